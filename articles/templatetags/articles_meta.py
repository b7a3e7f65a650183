"""Page-head metadata: absolute addresses and JSON-LD for link previews and search engines."""

from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext

from articles import share_card, structured_data
from articles.links import absolute_url
from articles.models import ShareImage

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


@register.simple_tag
def site_share_image():
    """The site's own card, for link previews of pages that are not an article's."""
    name = share_card.stored_card(
        default_storage,
        settings.SITE_NAME,
        gettext("Wars and crises, reported"),
        settings.SITE_URL.split("://", 1)[-1],
    )
    return ShareImage(
        default_storage.url(name), share_card.WIDTH, share_card.HEIGHT, settings.SITE_NAME
    )
