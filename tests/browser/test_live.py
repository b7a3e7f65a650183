"""A live page in a real browser: an editor posts in one browser context while a reader's page
is open in another; the reader gets a button, an announcement, the update, and the focus."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from articles.models import Article
from live import polling
from live.models import PAGE_SIZE
from tests.browser.conftest import AXE_OPTIONS, SCREENSHOTS, VIEWPORTS
from tests.factories import SEED_URL, make_live, post_update

pytestmark = pytest.mark.browser

PASSWORD = "un mot de passe de direct"
ACTIVE_UPDATE = "() => document.activeElement.closest('[data-live-update]')?.id || ''"


@pytest.fixture
def coverage(site, monkeypatch):
    """The seed article run live, a key event and an ordinary update; pages poll every second."""
    monkeypatch.setattr(polling, "INTERVAL_SECONDS", 1)
    seed = Article.objects.get(slug=SEED_URL.split("/")[-2])
    coverage = make_live(article=seed)
    post_update(coverage, title="Des soldats nord-coréens au front", is_key=True)
    post_update(coverage, body="<p>Kyiv confirme les informations de Séoul.</p>")
    return coverage


def sign_in(page, path):
    user = get_user_model().objects.create_superuser("direct", password=PASSWORD)
    page.goto(f"/admin/login/?next={path}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def post(editor, title, text, key=False):
    editor.locator("#id_title").fill(title)
    body = editor.locator(".field-body [contenteditable=true]")
    body.click()
    editor.keyboard.type(text)
    if key:
        editor.locator("#id_is_key").check()
    editor.locator("#live-update-form [type=submit]").click()
    expect(editor.locator(".messagelist .success")).to_contain_text("Mise à jour publiée")


def test_a_reader_gets_the_update_an_editor_posts_without_reloading(new_page, coverage):
    reader, editor = new_page(), new_page()
    reader.goto(SEED_URL)
    expect(reader.locator(".live__badge")).to_have_text("En direct")
    updates = reader.locator("[data-live-updates] > li")
    expect(updates).to_have_count(2)
    button = reader.locator("[data-live-show]")
    expect(button).to_be_hidden()

    sign_in(editor, f"/admin/live/livecoverage/{coverage.pk}/updates/")
    post(editor, "Frappe sur Kharkiv", "Une frappe de missiles vise le centre-ville.", key=True)

    # The button appears with the count, announced; the text under the reader has not moved.
    expect(button).to_have_text("1 nouvelle mise à jour", timeout=10_000)
    expect(reader.locator("[data-live-status]")).to_have_text("1 nouvelle mise à jour")
    expect(reader.locator("[data-live-status]")).to_have_attribute("aria-live", "polite")
    expect(updates).to_have_count(2)

    post(editor, "Kyiv répond", "Le ministère de la Défense promet une riposte.")
    expect(button).to_have_text("2 nouvelles mises à jour", timeout=10_000)
    reader.screenshot(path=SCREENSHOTS / "desktop-live-new-updates.png")
    button.click()

    expect(updates).to_have_count(4)
    expect(updates.first).to_contain_text("Kyiv répond")
    expect(updates.nth(1)).to_contain_text("Frappe sur Kharkiv")
    expect(button).to_be_hidden()
    newest = updates.first.locator("[data-live-update]").get_attribute("id")
    assert reader.evaluate(ACTIVE_UPDATE) == newest
    expect(reader.locator("[data-live-status]")).to_have_text(
        "2 nouvelles mises à jour affichées en tête du fil."
    )

    # A deletion reaches the open page at the next poll.
    first_id = int(newest.removeprefix("update-"))
    editor.goto(f"/admin/live/liveupdate/{first_id}/delete/")
    editor.get_by_role("button", name="Oui, je suis sûr").click()
    expect(updates).to_have_count(3, timeout=10_000)
    expect(reader.locator(f"#{newest}")).to_have_count(0)

    report = Axe().run(reader, options=AXE_OPTIONS).generate_snapshot()
    assert report == ""
    for name, viewport in VIEWPORTS.items():
        reader.set_viewport_size(viewport)
        reader.screenshot(path=SCREENSHOTS / f"{name}-live.png", full_page=True)


def test_earlier_updates_load_in_place_and_permanent_links_scroll_to_theirs(new_page, coverage):
    for n in range(PAGE_SIZE + 3):
        post_update(coverage, body=f"<p>Point numéro {n}.</p>")
    reader = new_page()
    reader.goto(SEED_URL)
    updates = reader.locator("[data-live-updates] > li")
    expect(updates).to_have_count(PAGE_SIZE)
    reader.get_by_role("link", name="Mises à jour précédentes").click()
    expect(updates).to_have_count(PAGE_SIZE + 5)
    expect(reader).to_have_url(re.compile(re.escape(SEED_URL) + "$"))
    expect(reader.get_by_role("link", name="Mises à jour précédentes")).to_have_count(0)
    assert reader.evaluate(ACTIVE_UPDATE) == updates.nth(PAGE_SIZE).locator(
        "[data-live-update]"
    ).get_attribute("id")

    # The oldest update's permanent link opens the page that holds it, scrolled to it.
    oldest = coverage.updates.order_by("pk").first()
    other = new_page()
    other.goto(oldest.get_absolute_url())
    target = other.locator(f"#update-{oldest.pk}")
    expect(target).to_be_in_viewport()
    report = Axe().run(other, options=AXE_OPTIONS).generate_snapshot()
    assert report == ""
    other.screenshot(path=SCREENSHOTS / "desktop-live-earlier.png", full_page=True)
