"""The browser suite: Debian's Chromium driven by Playwright against a live Django server.

One Chromium serves the whole package; each test gets a fresh context (cookies, clipboard,
viewport). Every request to a host other than 127.0.0.1 is blocked and fails the test, and
so does any console error or uncaught script exception.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.factories import SEED_URL
from tests.services import require

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless, and nothing that phones home: no component updates, sync or first-run pages.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOST = "127.0.0.1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# One page of each kind a reader sees; the search page with results.
READER_PAGES = {
    "home": "/",
    "article": SEED_URL,
    "tag": "/tags/ukraine/",
    "author": "/authors/la-redaction/",
    "archive": "/archives/2024/10/",
    "search": "/search/?q=coree",
    "stories": "/stories/",
    "story": "/stories/guerre-en-ukraine-la-ligne-de-front/",
    "place": "/places/paris/",
}


@pytest.fixture(scope="package")
def browser():
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio loop running in this thread; Django would
        # otherwise refuse the test's own database calls (loading fixtures, flushing).
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture(scope="session")
def live_server(django_db_setup):
    """pytest-django's live server, on 127.0.0.1 rather than "localhost"."""
    server = LiveServer(HOST)
    yield server
    server.stop()


@pytest.fixture
def site(live_server):
    """The live server's address, with the demo articles loaded."""
    call_command("loaddata", "demo", verbosity=0)
    return live_server.url


@pytest.fixture
def console_errors():
    """The page's console errors and uncaught exceptions; a test may remove expected ones."""
    return []


@pytest.fixture
def new_page(browser, site, console_errors):
    """Opens a page in a context of its own: another person, with their own cookies."""
    contexts, offsite = [], []

    def keep_local(route):
        if urlsplit(route.request.url).hostname == HOST:
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    def open_page():
        context = browser.new_context(base_url=site, locale="fr-FR", viewport=VIEWPORTS["desktop"])
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
        context.route("**/*", keep_local)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: record_error(message, console_errors))
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert offsite == [], "requests left 127.0.0.1"
    assert console_errors == [], "the browser console reported errors"


@pytest.fixture
def page(new_page):
    return new_page()


def record_error(message, errors):
    if message.type == "error":
        errors.append(message.text)


VIEWPORTS = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1440, "height": 900}}
