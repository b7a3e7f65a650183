"""Page-head metadata: absolute addresses and JSON-LD for link previews and search engines."""

from functools import lru_cache

from django import template
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver

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
    return site_card(*share_card.site_card_text())


@lru_cache(maxsize=16)
def site_card(*text):
    """The card showing ``text``, looked up in the storage (drawn there if missing) once per
    process: in object storage each lookup is a request, which every page built from the
    database made. ``clean_media`` keeps the card (articles.media)."""
    name = share_card.stored_card(default_storage, *text)
    return ShareImage(default_storage.url(name), share_card.WIDTH, share_card.HEIGHT, text[0])


@receiver(setting_changed)
def forget_site_card(setting, **kwargs):
    """Tests change the storage under a running process (override_settings)."""
    if setting in ("STORAGES", "MEDIA_ROOT", "MEDIA_URL"):
        site_card.cache_clear()
