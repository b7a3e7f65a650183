"""Corrections and significant updates, as readers see them on the article page."""

from datetime import UTC, datetime, timedelta
from unittest import mock

from django.db.models.sql.compiler import SQLCompiler
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction
from tests.factories import change_form_data, change_url, make_article, make_user


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

    def test_an_article_without_corrections_builds_no_query_for_them(self):
        article = make_article()
        built, as_sql = [], SQLCompiler.as_sql

        def recording_as_sql(compiler, *args, **kwargs):
            built.append(compiler.query.model)
            return as_sql(compiler, *args, **kwargs)

        with mock.patch.object(SQLCompiler, "as_sql", recording_as_sql):
            response = self.client.get(article.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(Correction, built)

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


class DeletedCorrectionTests(TestCase):
    """A deleted correction takes its "Updated on" with it; what else updated the article stays."""

    def setUp(self):
        self.editor = make_user("Éditeurs")
        self.client.force_login(self.editor)
        self.article = make_article(published_at=timezone.now() - timedelta(days=2))

    def correct(self, hours_ago):
        return Correction.objects.create(
            article=self.article,
            text=f"Corrigé il y a {hours_ago} heures.",
            created_at=timezone.now() - timedelta(hours=hours_ago),
        )

    def delete_in_the_form(self, correction):
        """Tick "Supprimer" beside the correction in the article's form and save it."""
        self.article.refresh_from_db()
        created_at = timezone.localtime(correction.created_at)
        data = change_form_data(
            self.article,
            **{
                "corrections-TOTAL_FORMS": 1,
                "corrections-INITIAL_FORMS": 1,
                "corrections-0-id": correction.pk,
                "corrections-0-article": self.article.pk,
                "corrections-0-text": correction.text,
                "corrections-0-created_at_0": created_at.strftime("%d/%m/%Y"),
                "corrections-0-created_at_1": created_at.strftime("%H:%M:%S"),
                "corrections-0-DELETE": "on",
            },
        )
        response = self.client.post(change_url(self.article), data)
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()

    def test_readers_no_longer_see_updated_on_once_the_only_correction_is_deleted(self):
        reader = Client()
        correction = self.correct(hours_ago=3)
        # Read once, so that the page is stored and cached with its "Updated on".
        self.assertContains(reader.get(self.article.get_absolute_url()), "Mis à jour le")

        self.delete_in_the_form(correction)

        self.assertIsNone(self.article.revised_at)
        response = reader.get(self.article.get_absolute_url())
        self.assertNotContains(response, "Mis à jour le")
        self.assertNotContains(response, correction.text)

    def test_the_latest_remaining_correction_dates_the_update(self):
        earlier = self.correct(hours_ago=5)
        later = self.correct(hours_ago=1)
        later.delete()
        self.article.refresh_from_db()
        self.assertEqual(self.article.revised_at, earlier.created_at)

    def test_a_significant_update_outlives_a_deleted_correction(self):
        self.article.mark_significant()
        self.article.save()
        updated = self.article.history.latest().history_date
        correction = self.correct(hours_ago=0)
        correction.delete()
        self.article.refresh_from_db()
        self.assertEqual(self.article.revised_at, updated)

    def test_deleting_an_older_correction_keeps_the_later_ones_date(self):
        older = self.correct(hours_ago=5)
        later = self.correct(hours_ago=1)
        older.delete()
        self.article.refresh_from_db()
        self.assertEqual(self.article.revised_at, later.created_at)

    def test_deleting_a_correction_moves_last_modified_but_not_the_editors_lock(self):
        correction = self.correct(hours_ago=1)
        self.article.refresh_from_db()
        before = (self.article.updated_at, self.article.version)
        correction.delete()
        self.article.refresh_from_db()
        self.assertGreater(self.article.updated_at, before[0])
        self.assertEqual(self.article.version, before[1])

    def test_the_next_editor_is_not_shown_changing_updated_on(self):
        """The editors' history gives the deletion to nobody's later, unrelated save."""
        self.delete_in_the_form(self.correct(hours_ago=3))
        self.client.post(
            change_url(self.article), change_form_data(self.article, body="<p>Coquille.</p>")
        )
        response = self.client.get(
            reverse("admin:articles_article_history", args=[self.article.pk])
        )
        self.assertContains(response, "Coquille")
        self.assertNotContains(response, "Mise à jour importante")


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
