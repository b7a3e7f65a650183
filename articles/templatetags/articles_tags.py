from django import template

from articles.links import absolute_url, share_links

register = template.Library()


@register.inclusion_tag("includes/share.html")
def share_block(article):
    """The "Share this article" block, with the canonical URL from SITE_URL."""
    url = absolute_url(article.get_absolute_url())
    return {"title": article.title, "url": url, "links": share_links(article.title, url)}
