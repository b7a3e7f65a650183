"""The browser suite: Debian's Chromium driven by Playwright against a live Django server.

One Chromium serves the whole package; each test gets a fresh context (cookies, clipboard,
viewport). Every request to a host other than 127.0.0.1 is blocked and fails the test, and
so does any console error or uncaught script exception. ``desk`` signs editors and writers
into the admin, photographing and auditing the pages they check.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from articles.admin.article import ArticleAdmin
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
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}
NOT_FOUND_ERROR = "Failed to load resource: the server responded with a status of 404 (Not Found)"
PASSWORD = "un mot de passe de rédaction"
AXE_STYLE_ERROR = "Applying inline style violates the following Content Security Policy"


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


def role(name):
    """The group, as its migration makes it: the browser suite empties the tables between tests."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        rights = Permission.objects.filter(content_type__app_label__in=["articles", "taggit"])
        if name == "Rédacteurs":
            rights = rights.filter(
                codename__in=[
                    "add_article",
                    "change_article",
                    "delete_article",
                    "view_article",
                    "view_author",
                ]
            )
        group.permissions.set(rights)
    return group


def report_of(axe, page):
    return axe.run(page, options=AXE_OPTIONS).response["violations"]


@pytest.fixture
def desk(new_page, console_errors, monkeypatch):
    """Opens a signed-in page for a new member of ``group``; photographs and audits pages."""
    # Autosave every 2 s rather than 30, in the live server (same process) and the page.
    monkeypatch.setattr(ArticleAdmin, "autosave_seconds", 2)
    axe, violations = Axe(), {}

    def open_as(username, group, **names):
        user = get_user_model().objects.create_user(
            username, password=PASSWORD, is_staff=True, **names
        )
        user.groups.add(role(group))
        page = new_page()
        page.goto("/admin/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#login-form [type=submit]").click()
        expect(page).to_have_url(re.compile(r"/admin/$"))
        return page

    def check(page, name, element="#content"):
        page.wait_for_load_state()
        page.locator(element).first.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / f"desk-{name}.png", full_page=False)
        report = axe.run(page, options=AXE_OPTIONS).generate_snapshot()
        if report:
            violations[name] = [
                (rule["id"], [node["target"] for node in rule["nodes"]])
                for rule in report_of(axe, page)
            ]

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    open_as.check = check
    yield open_as
    # Browsers ask admin pages for /favicon.ico, which the site does not serve; axe-core's
    # own probes set inline styles, which the page's CSP rightly blocks.
    console_errors[:] = [
        error
        for error in console_errors
        if error != NOT_FOUND_ERROR and not error.startswith(AXE_STYLE_ERROR)
    ]
    assert violations == {}
