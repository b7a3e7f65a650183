"""Page-head metadata: absolute addresses and JSON-LD for link previews and search engines."""

from django import template

from articles import structured_data
from articles.links import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """``{{ article.get_absolute_url|absolute }}``: the public address from SITE_URL."""
    return absolute_url(path)


@register.simple_tag
def article_json_ld(article):
    return structured_data.json_ld(
        structured_data.news_article(article), structured_data.breadcrumbs(article)
    )


@register.simple_tag
def website_json_ld():
    return structured_data.json_ld(structured_data.website())
