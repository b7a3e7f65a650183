import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from articles.images import MEDIA_TYPES

logger = logging.getLogger(__name__)

HEALTH_CACHE_KEY = "healthz"
# A year, the most HTTP caches keep anything: stored files never change under their name.
MEDIA_MAX_AGE = 365 * 24 * 60 * 60
# No file system holds a longer name; asking it for one is an error, not a missing file.
MAX_NAME_BYTES = 255


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers():
    """Whether a value set can be read back. Tried twice: /healthz answered 503 once under a
    crawler's load while the site served fine, most likely because the file cache, when
    full, deletes a third of its files, and another worker's cull came between the two
    steps. A broken cache (a full disk, which the file cache hides from pages) fails both
    times."""
    for _ in range(2):
        cache.set(HEALTH_CACHE_KEY, "ok", 10)
        if cache.get(HEALTH_CACHE_KEY) == "ok":
            return True
    return False


@require_safe
@never_cache
def healthz(request):
    """200 when the database and the cache both answer, else 503, for load balancers."""
    checks = {}
    for name, check in (("database", database_answers), ("cache", cache_answers)):
        try:
            checks[name] = "ok" if check() else "error"
        except Exception:
            logger.exception("Health check of the %s failed", name)
            checks[name] = "error"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@require_safe
def media(request, path):
    """An uploaded file, typed by a fixed list of image types and never rendered as a page.

    Guessing the type from the name would serve a stray .html or .svg file as a page that
    runs in the site's origin; SecurityMiddleware's nosniff keeps browsers from guessing too.
    Browsers may keep a file for good: new pixels get a new name (articles.images), and share
    cards are named by the text they show.
    """
    if any(len(part.encode()) > MAX_NAME_BYTES for part in path.split("/")):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE, immutable=True)
    content_type = MEDIA_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    else:
        response["Content-Type"] = content_type
    return response
