"""schema.org data: a story page's CollectionPage and its ItemList, an article's places."""

from articles.links import absolute_url
from articles.structured_data import CONTEXT, LANGUAGE, home_url


def collection_page(story, pieces, url, oldest_first=False):
    """The story page's data; ``pieces`` carry the ``url`` that the page's timeline links to."""
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
                    "url": absolute_url(piece.url),
                    "name": piece.title,
                }
                for position, piece in enumerate(pieces, start=1)
            ],
        },
    }


def place(place):
    data = {
        "@type": "Place",
        "name": place.name,
        "url": absolute_url(place.get_absolute_url()),
        "address": {"@type": "PostalAddress", "addressCountry": place.country},
    }
    if place.latitude is not None and place.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(place.latitude),
            "longitude": float(place.longitude),
        }
    return data


def add_places(article, data):
    """The article's structured dateline, and the places it is about as its contentLocation.

    Without places of its own to be about, the article is about where it was written from.
    """
    links = places_of(article)
    dateline = next((link.place for link in links if link.is_dateline), None)
    about = [link.place for link in links if not link.is_dateline] or [dateline] * bool(dateline)
    if dateline is not None:
        data["dateline"] = dateline.name
    if about:
        data["contentLocation"] = [place(each) for each in about]


def places_of(article):
    """The article's place links, dateline first, read once per article instance."""
    if not hasattr(article, "_stories_place_links"):
        article._stories_place_links = []
        if getattr(article, "has_places", True):  # the article page's flag
            article._stories_place_links = list(article.place_links.select_related("place"))
    return article._stories_place_links
