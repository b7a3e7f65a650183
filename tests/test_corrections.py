"""Corrections and significant updates, as readers see them on the article page."""

from datetime import UTC, datetime, timedelta

from django.test import TestCase
from django.utils import timezone

from articles.models import Correction
from tests.factories import change_form_data, make_article, make_user


class CorrectionTests(TestCase):
    def test_correction_is_shown_dated_in_paris_time(self):
        article = make_article(published_at=datetime(2024, 10, 27, 18, 0, tzinfo=UTC))
        Correction.objects.create(
            article=article,
            text="le bilan est de 12 morts, et non 21.",
            created_at=datetime(2024, 10, 28, 9, 15, tzinfo=UTC),
        )
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "Correction du 28 octobre 2024 à 10:15 :")
        self.assertContains(response, "le bilan est de 12 morts, et non 21.")
        self.assertContains(response, "Mis à jour le")

    def test_correction_marks_the_article_updated(self):
        article = make_article(published_at=timezone.now() - timedelta(days=1))
        correction = Correction.objects.create(article=article, text="Nom corrigé.")
        article.refresh_from_db()
        self.assertEqual(article.revised_at, correction.created_at)

    def test_correction_moves_last_modified_but_not_the_editors_lock(self):
        article = make_article(published_at=timezone.now() - timedelta(days=1))
        before = (article.last_modified, article.version)
        Correction.objects.create(article=article, text="Lieu corrigé.")
        article.refresh_from_db()
        self.assertGreater(article.last_modified, before[0])
        self.assertEqual(article.version, before[1])

    def test_editor_adds_a_correction_in_the_change_form(self):
        self.client.force_login(make_user("Éditeurs"))
        article = make_article()
        now = timezone.localtime()
        data = change_form_data(
            article,
            **{
                "corrections-TOTAL_FORMS": 1,
                "corrections-0-text": "Une date était fausse.",
                "corrections-0-created_at_0": now.strftime("%d/%m/%Y"),
                "corrections-0-created_at_1": now.strftime("%H:%M:%S"),
            },
        )
        response = self.client.post(f"/admin/articles/article/{article.pk}/change/", data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(article.corrections.get().text, "Une date était fausse.")


class SignificantUpdateTests(TestCase):
    def setUp(self):
        self.client.force_login(make_user("Éditeurs"))
        self.article = make_article(published_at=timezone.now() - timedelta(days=1))

    def save(self, **changes):
        url = f"/admin/articles/article/{self.article.pk}/change/"
        self.client.post(url, change_form_data(self.article, **changes))
        self.article.refresh_from_db()

    def test_typo_fix_does_not_change_updated_on(self):
        self.save(body="<p>Corps corrigé.</p>")
        self.assertIsNone(self.article.revised_at)
        self.assertNotContains(self.client.get(self.article.get_absolute_url()), "Mis à jour le")

    def test_edit_flagged_significant_shows_updated_on(self):
        self.save(body="<p>Nouveau bilan.</p>", significant_update="on")
        self.assertIsNotNone(self.article.revised_at)
        self.assertContains(self.client.get(self.article.get_absolute_url()), "Mis à jour le")
