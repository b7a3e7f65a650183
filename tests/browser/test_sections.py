"""Sections and the front page in a real browser.

A section page passes axe-core and marks its own menu link; on a phone the menu opens without
JavaScript; an editor puts an article on the front page through the admin and readers see it
lead the home page. Screenshots land in artifacts/screenshots/section-*.png and desk-front-*.png.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Feature, Section
from tests.browser.conftest import AXE_OPTIONS, SCREENSHOTS, VIEWPORTS, WCAG_A_AA

pytestmark = pytest.mark.browser

EUROPE = reverse("articles:section", kwargs={"slug": "europe"})
DEFENCE = reverse("articles:section", kwargs={"slug": "defense"})
# The demo's article in Europe, and the newest demo article, which leads while nothing is chosen.
EUROPE_ARTICLE = "Zelensky inquiet : troupes nord-coréennes bientôt en Russie ?"
NEWEST_ARTICLE = "Des troupes nord-coréennes soutiennent la Russie en Ukraine"
BEST_PRACTICE = [*WCAG_A_AA, "best-practice"]


def menu(page):
    return page.get_by_role("navigation", name="Menu principal")


def screenshot(page, name, viewport, scheme="light"):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"section-{name}-{viewport}-{scheme}.png", full_page=True)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_section_page_passes_axe_and_marks_its_menu_link(page, color_scheme):
    page.emulate_media(color_scheme=color_scheme)
    page.goto(EUROPE)
    expect(page.locator("h1")).to_contain_text("Europe")
    expect(page.locator("main")).to_contain_text(EUROPE_ARTICLE)
    expect(page.locator("main")).not_to_contain_text(NEWEST_ARTICLE)

    current = menu(page).locator("[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("Europe")
    expect(current).to_have_attribute("href", EUROPE)
    # On a desktop the whole list is a bar: no summary to open.
    expect(current).to_be_visible()
    expect(menu(page).locator("summary")).to_be_hidden()

    # WCAG 2.2 A and AA, and axe-core's best practices (distinct landmarks, one main heading).
    options = {**AXE_OPTIONS, "runOnly": {"type": "tag", "values": BEST_PRACTICE}}
    assert Axe().run(page, options=options).response["violations"] == []
    for viewport, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        screenshot(page, "europe", viewport, color_scheme)


def test_phone_menu_opens_and_leads_to_a_section_without_javascript(browser, site):
    context = browser.new_context(
        base_url=site, locale="fr-FR", viewport=VIEWPORTS["phone"], java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(EUROPE)
        toggle = menu(page).get_by_text("Rubriques")
        defence = menu(page).get_by_role("link", name="Défense")
        expect(toggle).to_be_visible()
        expect(defence).to_be_hidden()
        screenshot(page, "menu-closed", "phone")

        toggle.click()
        expect(defence).to_be_visible()
        expect(menu(page).locator("[aria-current=page]")).to_have_text("Europe")
        # One link a line, each wide enough for a thumb and within the screen.
        box = defence.bounding_box()
        assert box["height"] >= 24 and box["x"] >= 0
        assert box["x"] + box["width"] <= VIEWPORTS["phone"]["width"]
        screenshot(page, "menu-open", "phone")

        defence.click()
        expect(page).to_have_url(site + DEFENCE)
        expect(page.locator("h1")).to_contain_text("Défense")
        expect(menu(page).get_by_role("link", name="Défense")).to_be_hidden()
        toggle.click()
        expect(menu(page).locator("[aria-current=page]")).to_have_text("Défense")
    finally:
        context.close()


def test_editor_puts_an_article_on_the_front_page_and_it_leads_the_home_page(desk, new_page):
    reader = new_page()
    reader.goto("/")
    lead = reader.locator(".teaser--lead")
    expect(lead).to_contain_text(NEWEST_ARTICLE)

    editor = desk("ines", "Éditeurs", first_name="Inès")
    editor.goto(reverse("admin:articles_article_changelist"))
    row = editor.locator("#result_list tbody tr").filter(has_text=EUROPE_ARTICLE)
    row.locator("input.action-select").check()
    editor.locator("select[name=action]").select_option(
        label="Mettre à la une (la première ouvre la page)"
    )
    desk.check(editor, "front-action", "#changelist-form")
    editor.locator("#changelist-form .actions button[type=submit]").click()
    expect(editor.locator(".messagelist .success")).to_contain_text(
        f"« {EUROPE_ARTICLE} » ouvre désormais la une"
    )
    assert list(Feature.objects.values_list("article__title", "position")) == [(EUROPE_ARTICLE, 1)]

    # The front page's own list shows it first.
    editor.locator("#changelist-filter").get_by_role("link", name="À la une").click()
    expect(editor.locator("#result_list tbody tr")).to_have_count(1)
    desk.check(editor, "front-list", "#result_list")

    # A reader who saw the home page before gets the new lead (the cached page was replaced),
    # with its section as its kicker.
    reader.reload()
    expect(lead).to_contain_text(EUROPE_ARTICLE)
    article = Article.objects.get(title=EUROPE_ARTICLE)
    expect(lead.locator(f'a[href="{article.get_absolute_url()}"]').first).to_be_visible()
    expect(lead).to_contain_text(Section.objects.get(slug="europe").name)
    for viewport, size in VIEWPORTS.items():
        reader.set_viewport_size(size)
        reader.screenshot(path=SCREENSHOTS / f"desk-front-home-{viewport}.png", full_page=False)
