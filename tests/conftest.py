import contextlib

import pytest
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import ConnectionError


def pytest_configure(config):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Serve static files from the source folders, as a developer's checkout has no STATIC_ROOT.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploads made by a test land in a temporary folder, never in the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as pages cached by another test would hide its own."""
    # A test that points the cache at a dead server clears nothing, and needs nothing cleared.
    with contextlib.suppress(ConnectionError):
        cache.clear()
