"""schema.org data: a live article is a LiveBlogPosting with its updates."""

from django.utils.html import strip_tags

from articles.links import absolute_url
from articles.structured_data import iso
from live.pages import live_page


def blog_update(article_url, update):
    data = {
        "@type": "BlogPosting",
        "headline": update.headline,
        "url": f"{article_url}#{update.anchor}",
        "datePublished": iso(update.posted_at),
        "dateModified": iso(update.edited_at or update.posted_at),
        "articleBody": strip_tags(update.body),
    }
    if update.author is not None:
        data["author"] = {
            "@type": "Person",
            "name": update.author.name,
            "url": absolute_url(update.author.get_absolute_url()),
        }
    return data


def live_blog_posting(article, data):
    """Turn an article's NewsArticle into a LiveBlogPosting when it has live coverage.

    The updates on the page are its liveBlogUpdate entries; once closed, the coverage end
    is given and the page stays as the archive of the coverage.
    """
    page = live_page(article)
    if page is None:
        return
    coverage = page.coverage
    data["@type"] = "LiveBlogPosting"
    data["coverageStartTime"] = iso(coverage.started_at)
    if (end := coverage.coverage_end) is not None:
        data["coverageEndTime"] = iso(end)
    url = absolute_url(article.get_absolute_url())
    data["liveBlogUpdate"] = [blog_update(url, update) for update in page.updates]
