"""A reader's journey through the site, with the mouse and with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from articles.links import absolute_url
from tests.browser.conftest import SEED_URL

pytestmark = pytest.mark.browser

SEED_TITLE = "Des troupes nord-coréennes soutiennent la Russie en Ukraine"


def test_reader_goes_from_home_to_a_related_article_a_tag_a_search_and_back(page, site):
    page.goto("/")
    page.locator(".teaser--lead").get_by_role("link", name=SEED_TITLE).click()
    expect(page).to_have_url(site + SEED_URL)

    related = page.locator(".related__list a").first
    related_title = related.inner_text()
    related.click()
    expect(page.locator("h1")).to_have_text(related_title)

    page.locator(".article__footer .tag-list").get_by_role("link", name="Russie").click()
    expect(page.locator("h1")).to_contain_text("Russie")

    # Typed without its accent, as readers often do; search folds accents.
    page.locator(".search-box").get_by_role("searchbox").fill("coree")
    page.keyboard.press("Enter")
    expect(page.locator(".search-summary")).to_be_visible()
    page.locator(".article-list").get_by_role("link", name=SEED_TITLE).click()
    expect(page).to_have_url(site + SEED_URL)


def test_copy_link_puts_the_canonical_url_on_the_clipboard(page, site):
    page.goto(SEED_URL)
    page.locator("[data-copy-link]").click()
    expect(page.locator(".share__status")).to_have_text("Lien copié")
    assert page.evaluate("navigator.clipboard.readText()") == absolute_url(SEED_URL)
