"""schema.org data of a story page: a CollectionPage whose main entity lists its pieces."""

from articles.links import absolute_url
from articles.structured_data import CONTEXT, LANGUAGE, home_url


def collection_page(story, pieces, url, oldest_first=False):
    return {
        "@context": CONTEXT,
        "@type": "CollectionPage",
        "name": story.title,
        "description": story.summary,
        "url": url,
        "inLanguage": LANGUAGE,
        "isPartOf": {"@type": "WebSite", "url": home_url()},
        "mainEntity": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrder"
            + ("Ascending" if oldest_first else "Descending"),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": absolute_url(article.get_absolute_url()),
                    "name": article.title,
                }
                for position, article in enumerate(pieces, start=1)
            ],
        },
    }
