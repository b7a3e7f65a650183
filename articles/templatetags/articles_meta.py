"""Page-head metadata: absolute addresses and JSON-LD for link previews and search engines."""

import logging
import time
from functools import lru_cache

from django import template
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver

from articles import share_card, structured_data
from articles.links import absolute_url
from articles.models import ShareImage
from newsroom.storage import STORAGE_ERRORS

register = template.Library()
logger = logging.getLogger(__name__)


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


class Pause:
    """After the storage failed to answer, ``seconds`` without asking it: a storage down or
    hung then costs one page's wait, not every page's."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.until = 0.0

    def __bool__(self):
        return time.monotonic() < self.until

    def start(self):
        self.until = time.monotonic() + self.seconds


storage_pause = Pause(300.0)


def site_card(*text):
    """The card showing ``text``. A card is decoration: when the storage cannot say whether it
    exists, the page links the name it is drawn under and is served all the same."""
    if not storage_pause:
        try:
            return stored_site_card(*text)
        except STORAGE_ERRORS:
            storage_pause.start()
            logger.exception(
                "Site card not looked up; storage left alone for %.0f s", storage_pause.seconds
            )
    return site_card_image(share_card.card_name(*text), text)


@lru_cache(maxsize=16)
def stored_site_card(*text):
    """The card looked up in the storage (drawn there if missing) once per process: in object
    storage each lookup is a request, which every page built from the database made.
    ``clean_media`` keeps the card (articles.media)."""
    return site_card_image(share_card.stored_card(default_storage, *text), text)


def site_card_image(name, text):
    return ShareImage(default_storage.url(name), share_card.WIDTH, share_card.HEIGHT, text[0])


@receiver(setting_changed)
def forget_site_card(setting, **kwargs):
    """Tests change the storage under a running process (override_settings)."""
    if setting in ("STORAGES", "MEDIA_ROOT", "MEDIA_URL"):
        stored_site_card.cache_clear()
        storage_pause.until = 0.0
