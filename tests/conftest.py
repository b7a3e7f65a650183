import contextlib
import tempfile
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from articles.templatetags.articles_tags import KEPT_TEASERS

# The suite's cache keys, and the only ones it deletes: a Redis database shared with anything
# else (a developer's site, another run) keeps its keys.
KEY_PREFIX = "newsroom-tests"


def pytest_configure(config):
    # From the very start, before any setUpTestData draws a share card: no test writes into
    # the project's media folder, whatever runs before the per-test fixture below.
    config.media_root = tempfile.TemporaryDirectory(prefix="newsroom-test-media-")
    settings.MEDIA_ROOT = Path(config.media_root.name)
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Serve static files from the source folders, as a developer's checkout has no STATIC_ROOT.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # The default file cache goes to a folder of the run's own, not the project's cache.
    config.cache_root = tempfile.TemporaryDirectory(prefix="newsroom-test-cache-")
    default = {**settings.CACHES["default"], "KEY_PREFIX": KEY_PREFIX}
    if default["BACKEND"].endswith("FileBasedCache"):
        default["LOCATION"] = config.cache_root.name
    settings.CACHES = {"default": default}


def pytest_unconfigure(config):
    config.media_root.cleanup()
    config.cache_root.cleanup()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploads made by a test land in a temporary folder, never in the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as pages cached by another test would hide its own.

    Teasers kept by the process too: a test's rolled-back articles leave their numbers to the
    next test's (SQLite), whose frozen clock may give them the same time of last save.
    """
    KEPT_TEASERS.clear()
    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("RedisCache"):
        cache.clear()
        return
    # Not FLUSHDB, which would empty the whole database: the suite's keys only. A test that
    # points the cache at a dead server clears nothing, and needs nothing cleared.
    with contextlib.suppress(redis.ConnectionError), redis.from_url(default["LOCATION"]) as server:
        keys = list(server.scan_iter(f"{default.get('KEY_PREFIX', '')}:*", count=500))
        if keys:
            server.delete(*keys)
