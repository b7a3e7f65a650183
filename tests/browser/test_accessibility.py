"""Accessibility: axe-core finds no WCAG 2.2 A/AA violation, and the keyboard alone suffices.

axe-core comes bundled inside axe-playwright-python, so the audit needs no network.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from articles.links import absolute_url
from tests.browser.conftest import AXE_OPTIONS, NOT_FOUND_ERROR, READER_PAGES, SEED_URL

pytestmark = pytest.mark.browser

AUDITED_PAGES = {
    **READER_PAGES,
    "year archive": "/archives/2024/",
    "not found": "/no/such/page/",
    "admin login": "/admin/login/",
}

# Where keyboard focus is and whether a sighted keyboard user can see it.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    text: (element.textContent || element.value || "").trim().slice(0, 80),
    outlined: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
  };
}"""
FOCUS_IS_VISIBLE = f"() => {{ const f = ({FOCUS_STATE})(); return f.outlined && f.inView; }}"
# Links and controls standing on their own (menus, footer, forms) that are smaller than
# WCAG 2.2's 24 × 24 CSS pixels. Passing on spacing instead would hang on sub-pixel layout.
UNDERSIZED_TARGETS = """() => [...document.querySelectorAll(
  ".site-nav__list a, .site-footer a, form button, form select, form input:not([type=hidden])"
)].filter((element) => {
  const box = element.getBoundingClientRect();
  return box.width > 0 && (box.width < 24 || box.height < 24);
}).map((element) => element.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_pages_have_no_wcag_a_or_aa_violation(page, console_errors, color_scheme):
    page.emulate_media(color_scheme=color_scheme)
    axe = Axe()
    violations = {}
    for name, url in AUDITED_PAGES.items():
        page.goto(url)
        report = axe.run(page, options=AXE_OPTIONS).generate_snapshot()
        if report:
            violations[name] = report
    assert violations == {}
    console_errors.remove(NOT_FOUND_ERROR)


def test_targets_outside_running_text_are_big_enough_on_their_own(page, site):
    undersized = {}
    for name, url in READER_PAGES.items():
        page.goto(url)
        if targets := page.evaluate(UNDERSIZED_TARGETS):
            undersized[name] = targets
    assert undersized == {}


def tab_to(page, selector, limit=60):
    """Press Tab until ``selector`` has the focus, checking that every stop shows its focus."""
    # Tabbing through a page still loading would walk the previous page's last focus state.
    page.wait_for_load_state()
    for _ in range(limit):
        page.keyboard.press("Tab")
        try:
            # Chromium may restyle for :focus-visible a frame after the key press: wait for it.
            page.wait_for_function(FOCUS_IS_VISIBLE, timeout=5000)
        except PlaywrightTimeout:
            raise AssertionError(f"focus is not visible on {page.evaluate(FOCUS_STATE)}") from None
        focus = page.evaluate(FOCUS_STATE)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return focus
    raise AssertionError(f"{selector} never got the focus in {limit} presses of Tab")


def test_keyboard_alone_takes_a_reader_through_the_site(page, site):
    page.goto("/")
    tab_to(page, ".skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    tab_to(page, ".teaser--lead a")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + SEED_URL)

    tab_to(page, "[data-copy-link]")
    page.keyboard.press("Enter")
    expect(page.locator(".share__status")).to_have_text("Lien copié")
    assert page.evaluate("navigator.clipboard.readText()") == absolute_url(SEED_URL)

    related = tab_to(page, ".related__list a")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(related["text"])

    tag = tab_to(page, ".article__footer .tag-list a")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(tag["text"])
