"""Autosave: the form's text kept as a revision, at most every 30 s, leaving the article alone."""

from datetime import timedelta

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import change_form_data, change_url, make_article, make_user


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


class AutosaveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("Éditeurs")

    def setUp(self):
        self.client.force_login(self.editor)
        self.article = make_article(title="Titre enregistré", body="<p>Texte enregistré.</p>")

    def autosave(self, **changes):
        return self.client.post(
            autosave_url(self.article), change_form_data(self.article, **changes)
        )

    def test_autosave_keeps_the_typed_text_as_a_revision_with_its_author(self):
        response = self.autosave(
            title="Titre en cours", body="<p>Texte <script>x</script>tapé.</p>"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Brouillon sauvegardé automatiquement", response.json()["message"])
        revision = self.article.history.latest()
        self.assertEqual(revision.title, "Titre en cours")
        self.assertEqual(revision.body, "<p>Texte tapé.</p>")
        self.assertEqual(revision.history_user, self.editor)
        self.assertEqual(revision.history_change_reason, "Sauvegarde automatique")

    def test_the_article_and_its_lock_are_left_alone(self):
        version = self.article.version
        other = make_user("Éditeurs")
        self.autosave(title="Titre en cours")
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Titre enregistré")
        self.assertEqual(self.article.version, version)
        # Another editor's form, opened before the autosave, still saves.
        self.client.force_login(other)
        response = self.client.post(
            change_url(self.article), change_form_data(self.article, title="Titre d’un collègue")
        )
        self.assertEqual(response.status_code, 302)

    def test_at_most_one_autosave_every_30_seconds(self):
        self.assertEqual(self.autosave(title="Un").status_code, 200)
        self.assertEqual(self.autosave(title="Deux").status_code, 429)
        with time_machine.travel(timezone.now() + timedelta(seconds=31)):
            self.assertEqual(self.autosave(title="Trois").status_code, 200)
        self.assertEqual(
            list(
                self.article.history.filter(title__in=["Un", "Deux", "Trois"]).values_list(
                    "title", flat=True
                )
            ),
            ["Trois", "Un"],
        )

    def test_a_field_in_error_keeps_its_saved_text(self):
        self.autosave(title="", standfirst="Nouveau chapeau")
        revision = self.article.history.latest()
        self.assertEqual(revision.title, "Titre enregistré")
        self.assertEqual(revision.standfirst, "Nouveau chapeau")

    def test_the_change_form_says_where_and_how_often_to_autosave(self):
        response = self.client.get(change_url(self.article))
        self.assertContains(response, f'data-url="{autosave_url(self.article)}"')
        self.assertContains(response, 'data-seconds="30"')

    def test_only_a_post_by_someone_who_may_change_the_article(self):
        self.assertEqual(self.client.get(autosave_url(self.article)).status_code, 405)
        self.client.force_login(make_user("Rédacteurs"))
        self.assertEqual(self.autosave(title="Pas à moi").status_code, 403)
        self.assertFalse(self.article.history.filter(title="Pas à moi").exists())

    def test_an_unknown_article_is_refused(self):
        url = reverse("admin:articles_article_autosave", args=["abc"])
        self.assertEqual(self.client.post(url, {}).status_code, 404)
        self.assertEqual(Article.history.count(), 1)
