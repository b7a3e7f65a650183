"""Trust pages in a real browser: the sensitive image's reveal, the public history and its diff."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Correction, Kind, Sourcing
from tests.browser.conftest import AXE_OPTIONS, SCREENSHOTS, VIEWPORTS
from tests.browser.test_accessibility import FOCUS_IS_VISIBLE, tab_to
from tests.test_sensitive_images import make_sensitive_article

pytestmark = pytest.mark.browser


@pytest.fixture
def article(site):
    article = make_sensitive_article(
        title="Boutcha, un mois après",
        standfirst="Les enquêteurs recensent les victimes civiles.",
        body="<p>Les enquêteurs ukrainiens ont recensé 410 corps dans la ville.</p>",
        published_at=timezone.now() - timedelta(days=2),
        kind=Kind.REPORTAGE,
        sourcing=Sourcing.VERIFIED,
        backstory="Notre envoyée a visité la ville avec les enquêteurs.",
    )
    article.standfirst = "Les enquêteurs recensent plus de 400 victimes civiles."
    article.body = (
        "<p>Les enquêteurs ukrainiens ont recensé 458 corps dans la ville et ses environs.</p>"
    )
    article.mark_significant()
    article.save()
    Correction.objects.create(article=article, text="Le bilan est de 458 morts, et non 410.")
    return article


def audit(page):
    return Axe().run(page, options=AXE_OPTIONS).generate_snapshot()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for viewport, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=SCREENSHOTS / f"trust-{name}-{viewport}.png", full_page=True)
    page.set_viewport_size(VIEWPORTS["desktop"])


def test_sensitive_image_is_revealed_by_keyboard_and_announced(page, article):
    hero_requests = []
    page.on(
        "request", lambda request: "/heroes/" in request.url and hero_requests.append(request.url)
    )
    page.goto(article.get_absolute_url())
    expect(page.get_by_text("Corps de civils")).to_be_visible()
    # Only the blurred rendition was downloaded: the picture waits in its <template>.
    assert hero_requests and all("-blurred-" in url for url in hero_requests)
    assert not audit(page)
    screenshot(page, "sensitive-blurred")

    button = page.get_by_role("button", name="Afficher l’image")
    tab_to(page, "button.sensitive__reveal")
    assert page.evaluate(FOCUS_IS_VISIBLE)
    # Revealing asks for the picture itself (the wait fails if it never does).
    with page.expect_request(lambda r: "/heroes/" in r.url and "-blurred-" not in r.url):
        page.keyboard.press("Enter")

    image = page.get_by_role("img", name="Des corps dans une rue de Boutcha")
    expect(image).to_be_visible()
    expect(button).to_have_count(0)
    expect(page.locator("[data-reveal-status]")).to_have_text(
        "Image affichée : Des corps dans une rue de Boutcha"
    )
    assert page.evaluate("document.activeElement.matches('[data-sensitive-frame]')")
    assert not audit(page)
    screenshot(page, "sensitive-revealed")


def test_without_javascript_a_link_opens_the_image(browser, site, article):
    context = browser.new_context(base_url=site, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(article.get_absolute_url())
        link = page.get_by_role("link", name="Afficher l’image")
        expect(link).to_be_visible()
        assert link.get_attribute("href") == article.hero_preview.url
    finally:
        context.close()


def test_history_and_word_diff_read_well_and_pass_axe(page, article):
    page.goto(article.get_absolute_url())
    expect(page.locator(".work-kind")).to_have_text("Reportage")
    expect(page.locator(".sourcing")).to_contain_text("Information vérifiée")
    page.get_by_role("link", name="Historique des modifications").click()
    expect(page.get_by_role("heading", name="Historique des modifications")).to_be_visible()
    expect(page.get_by_text("Le bilan est de 458 morts, et non 410.")).to_be_visible()
    assert not audit(page)
    screenshot(page, "history")

    page.get_by_role("button", name="Comparer").click()
    deleted, added = page.locator(".diff del"), page.locator(".diff ins")
    expect(deleted.filter(has_text="410")).to_have_count(1)
    expect(added.filter(has_text="458")).to_have_count(1)
    # Screen readers are told which words went and which came.
    expect(deleted.first).to_contain_text("supprimé :")
    expect(added.first).to_contain_text("ajouté :")
    assert not audit(page)
    screenshot(page, "diff")

    page.get_by_role("link", name="Historique des modifications").click()
    page.locator(".history__versions a").last.click()
    expect(page.get_by_text("Ce n’est pas la version actuelle")).to_be_visible()
    expect(page.get_by_text("410 corps")).to_be_visible()
    assert not audit(page)
    screenshot(page, "old-version")
