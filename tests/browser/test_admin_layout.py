"""The desk at an editor's usual screen width: nothing scrolls sideways, headlines show whole."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.browser

# A laptop's screen, with both of the admin's sidebars open.
LAPTOP = {"width": 1280, "height": 800}
# How far the list's table scrolls sideways inside its box.
OVERFLOW = "(r => r.scrollWidth - r.clientWidth)(document.querySelector('.results'))"


def test_article_versions_fit_a_1280_px_screen(desk, site):
    page = desk("jeanne.dupont-moreau", "Éditeurs")
    editor = get_user_model().objects.get(username="jeanne.dupont-moreau")
    article = Article.objects.latest()
    article.title = (
        "Des troupes nord-coréennes soutiennent la Russie en Ukraine, selon les services "
        "de renseignement sud-coréens"
    )
    article._history_user = editor
    article.mark_significant()
    article.save()
    article.history.filter(pk=article.history.latest().pk).update(
        withheld_at=timezone.now(), withheld_reason="Décision de justice."
    )

    page.set_viewport_size(LAPTOP)
    page.goto(reverse("admin:articles_historicalarticle_changelist"))

    assert page.evaluate(OVERFLOW) <= 0, "the list of versions scrolls sideways"
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
    desk.check(page, "article-versions")


def test_a_long_headline_shows_whole_in_the_article_form(desk, site):
    page = desk("jeanne.dupont-moreau", "Éditeurs")
    page.set_viewport_size(LAPTOP)
    page.goto(reverse("admin:articles_article_change", args=[Article.objects.latest().pk]))
    title = page.locator("#id_title")
    title.fill("Des troupes nord-coréennes soutiennent la Russie en Ukraine, selon Séoul")
    assert title.evaluate("input => input.scrollWidth <= input.clientWidth")
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
    desk.check(page, "article-form")
