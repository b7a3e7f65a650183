"""A shared page cache for anonymous readers that never serves stale news.

Every cached page's key carries the current *content generation*, which changes whenever an
article, author, tag or anything else of this app is saved or deleted: an edit shows at once.
Entries also expire after READER_CACHE_SECONDS, so a scheduled article, which appears without
any save, reaches every listing within that delay. A broken cache only costs speed: pages are
then built from the database.
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

GENERATION_KEY = "reader-pages:generation"
WATCHED_APPS = {"articles", "taggit"}
# The query parameters that change a reader page: listings' and sitemaps' page numbers.
PAGE_PARAMETERS = ("page", "p")


@receiver([post_save, post_delete, m2m_changed], dispatch_uid="articles.cache.bump_generation")
def bump_generation(sender=None, **kwargs):
    """Signal receiver: a change to published content makes every cached page obsolete."""
    if sender is not None and sender._meta.app_label not in WATCHED_APPS:
        return
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.exception("Could not renew the reader page cache generation")


def page_key(request):
    """The cache key of a reader page: its path and page number, under the current generation.

    Other query parameters (tracking tags and the like) do not change the page, so they share
    its entry instead of filling the cache with copies.
    """
    generation = cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)
    pages = [request.GET.get(name, "") for name in PAGE_PARAMETERS]
    address = f"{request.path}?{pages}"
    return "reader-page:" + hashlib.sha256(f"{generation}:{address}".encode()).hexdigest()


def is_anonymous(request):
    # Looking at the cookie, not at request.user, costs no session or database query.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_private(response):
    """The view said this page is for its requester only, as a preview is: never share it."""
    directives = response.get("Cache-Control", "")
    return "private" in directives or "no-store" in directives


def shared_cache(view):
    """Serve ``view`` to anonymous readers from the shared cache, and say so to CDNs and browsers.

    Reader pages only read: methods other than GET and HEAD get a 405. Readers holding a
    session (staff) always get a fresh page marked private.
    """

    @require_safe
    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not is_anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_store=True)
            return response

        try:
            key = page_key(request)
            response = cache.get(key)
        except Exception:
            logger.exception("Reader page cache unavailable; serving from the database")
            key = response = None
        if response is not None:
            return response

        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not is_private(response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.READER_CACHE_SECONDS,
                stale_while_revalidate=settings.READER_CACHE_STALE_SECONDS,
            )
            if key is not None:
                store = _storer(key)
                if hasattr(response, "render") and not response.is_rendered:
                    response.add_post_render_callback(store)
                else:
                    store(response)
        return response

    return cached_view


def _storer(key):
    def store(response):
        # Feeds write their XML in many small pieces; joined once here, a cached page goes to
        # the socket in one write instead of thousands.
        response.content = response.content
        try:
            cache.set(key, response, settings.READER_CACHE_SECONDS)
        except Exception:
            logger.exception("Could not store a reader page in the cache")

    return store
