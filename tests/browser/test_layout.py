"""Reader pages on a phone and on a desktop: nothing scrolls sideways, nothing is out of reach.

Full-page screenshots of each page at each size land in artifacts/screenshots/ for people
to look at.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import READER_PAGES, SCREENSHOTS, SEED_URL, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_fit_the_screen_without_sideways_scrolling(page, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in READER_PAGES.items():
        page.goto(url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {viewport} size"
        page.screenshot(path=SCREENSHOTS / f"{viewport}-{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_sidebar_and_share_block_are_reachable(page, viewport):
    size = VIEWPORTS[viewport]
    page.set_viewport_size(size)
    page.goto(SEED_URL)
    for selector in (".related", ".share", ".related__list a", "[data-copy-link]"):
        element = page.locator(selector).first
        element.scroll_into_view_if_needed()
        expect(element).to_be_in_viewport()
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], selector
