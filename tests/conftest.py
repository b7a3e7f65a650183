import contextlib
import shutil
import tempfile

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

# The suite's cache keys, and the only ones it deletes: a Redis database shared with anything
# else (a developer's site, another run) keeps its keys.
KEY_PREFIX = "newsroom-tests"


def pytest_configure(config):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Serve static files from the source folders, as a developer's checkout has no STATIC_ROOT.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # The default file cache goes to a folder of the run's own, not the project's cache.
    default = {**settings.CACHES["default"], "KEY_PREFIX": KEY_PREFIX}
    if default["BACKEND"].endswith("FileBasedCache"):
        default["LOCATION"] = tempfile.mkdtemp(prefix="newsroom-test-cache-")
    settings.CACHES = {"default": default}


def pytest_unconfigure(config):
    if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        shutil.rmtree(settings.CACHES["default"]["LOCATION"], ignore_errors=True)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploads made by a test land in a temporary folder, never in the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as pages cached by another test would hide its own."""
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
