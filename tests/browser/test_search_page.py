"""The search page in a real browser: its form on a phone and a desktop, light and dark, with
axe-core's best-practice rules too (landmarks), and the copy-link button's messages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, SEED_URL, VIEWPORTS

pytestmark = pytest.mark.browser

SEARCH_PAGES = {
    "results": "/search/?q=coree&tag=Ukraine",
    "suggestion": "/search/?q=zelenski",
    "errors": "/search/?q=coree&tag=Nulle+part&from=2024-02-30",
}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BAD_REQUEST_ERROR = (
    "Failed to load resource: the server responded with a status of 400 (Bad Request)"
)
FIELDS = "#search-tag, #search-author, #search-kind, #search-sourcing, #search-from, #search-to"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_search_pages_pass_axe_best_practice_rules(page, site, console_errors, color_scheme):
    page.emulate_media(color_scheme=color_scheme)
    axe = Axe()
    violations = {}
    for name, url in SEARCH_PAGES.items():
        page.goto(url)
        report = axe.run(page, options=AXE_OPTIONS).generate_snapshot()
        if report:
            violations[name] = report
    assert violations == {}
    console_errors.remove(BAD_REQUEST_ERROR)  # the page with errors answers 400, as it should


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_search_form_fields_line_up_at_the_size_of_their_labels(
    page, site, console_errors, viewport, color_scheme
):
    size = VIEWPORTS[viewport]
    page.set_viewport_size(size)
    page.emulate_media(color_scheme=color_scheme)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("errors", "results"):
        page.goto(SEARCH_PAGES[name])
        path = SCREENSHOTS / f"{viewport}-search-{name}-{color_scheme}.png"
        page.screenshot(path=path, full_page=True)

    boxes = [page.locator(selector).bounding_box() for selector in FIELDS.split(", ")]
    assert len({round(box["height"]) for box in boxes}) == 1, boxes
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    if viewport == "desktop":
        # Six filters on a grid: two lines of three, in aligned columns.
        assert len({round(box["y"]) for box in boxes}) == 2, "filters share two lines"
        assert len({round(box["x"]) for box in boxes}) == 3, "filters line up in columns"
    else:
        # One field a line, as wide as the form.
        assert len({round(box["y"]) for box in boxes}) == len(boxes)
        assert len({round(box["width"]) for box in boxes}) == 1
    label_size = page.eval_on_selector("label[for=search-tag]", "e => getComputedStyle(e).fontSize")
    input_size = page.eval_on_selector("#search-tag", "e => getComputedStyle(e).fontSize")
    assert input_size == label_size
    console_errors.remove(BAD_REQUEST_ERROR)


def test_datalists_offer_the_tags_and_authors(page, site):
    page.goto("/search/")
    tags = page.locator("#search-tag-choices option").evaluate_all("os => os.map(o => o.value)")
    assert "Corée du Nord" in tags
    page.locator("#search-author").fill("La rédaction")
    page.locator("#search-q").fill("troupes")
    page.locator("#search-q").press("Enter")
    expect(page.locator(".search-summary")).to_have_text("2 articles trouvés.")


def test_copied_link_message_clears_after_a_few_seconds(page, site):
    page.clock.install()
    page.goto(SEED_URL)
    page.locator("[data-copy-link]").click()
    status = page.locator(".share__status")
    expect(status).to_have_text("Lien copié")
    page.clock.run_for(5000)
    expect(status).to_have_text("")


def test_a_refused_clipboard_says_so_and_selects_the_link(page, site):
    page.add_init_script(
        "navigator.clipboard.writeText = () =>"
        " Promise.reject(new DOMException('denied', 'NotAllowedError'));"
    )
    page.goto(SEED_URL)
    page.locator("[data-copy-link]").click()
    expect(page.locator(".share__status")).to_contain_text("Votre navigateur a refusé la copie")
    expect(page.locator("#share-url")).to_be_focused()
