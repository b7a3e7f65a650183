import contextlib
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import ConnectionError


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


def pytest_unconfigure(config):
    config.media_root.cleanup()


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
