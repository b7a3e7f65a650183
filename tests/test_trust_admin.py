"""Editors set the labels, the backstory and the sensitive flag, and decide the public history."""

from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Kind, Sourcing
from tests.factories import change_form_data, change_url, jpeg_upload, make_article, make_user


def revision_url(record):
    return reverse("admin:articles_historicalarticle_change", args=[record.pk])


class ArticleFormTests(TestCase):
    def setUp(self):
        self.client.force_login(make_user("Éditeurs"))

    def test_editor_sets_kind_sourcing_and_backstory(self):
        article = make_article()
        data = change_form_data(
            article,
            kind=Kind.ANALYSIS,
            sourcing=Sourcing.ACCORDING_TO,
            sourcing_source="Reuters",
            backstory="Deux sources ont confirmé.",
        )
        response = self.client.post(change_url(article), data)
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(
            (article.kind, article.sourcing_label, article.backstory),
            (Kind.ANALYSIS, "Selon Reuters", "Deux sources ont confirmé."),
        )

    def test_according_to_without_a_source_is_a_form_error(self):
        article = make_article()
        data = change_form_data(article, sourcing=Sourcing.ACCORDING_TO, sourcing_source="")
        response = self.client.post(change_url(article), data)
        self.assertContains(response, "Nommez la source.")

    def test_a_sensitive_image_needs_its_warning(self):
        article = make_article()
        data = change_form_data(
            article, hero_image=jpeg_upload(), hero_alt="Une rue de Kharkiv", hero_sensitive="on"
        )
        response = self.client.post(change_url(article), data)
        self.assertContains(response, "Dites en quelques mots ce que montre l’image.")

    def test_significant_update_marks_the_revision_it_leaves(self):
        article = make_article()
        self.client.post(
            change_url(article),
            change_form_data(article, body="<p>Neuf.</p>", significant_update="on"),
        )
        self.assertTrue(article.history.latest().significant)
        article.refresh_from_db()
        self.client.post(change_url(article), change_form_data(article, body="<p>Neuf !</p>"))
        self.assertFalse(article.history.latest().significant)

    def test_editor_sees_the_link_to_the_public_history_controls(self):
        article = make_article()
        response = self.client.get(change_url(article))
        self.assertContains(
            response, reverse("admin:articles_historicalarticle_changelist") + f"?id={article.pk}"
        )


class PublicRevisionAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(body="<p>Un nom qui n’aurait pas dû paraître.</p>")
        cls.record = cls.article.history.latest()
        cls.other = make_article().history.latest()

    def test_editor_withholds_a_revision_with_a_reason(self):
        self.client.force_login(make_user("Éditeurs"))
        data = {"significant": "", "withheld_reason": "Décision de justice."}
        response = self.client.post(revision_url(self.record), data)
        self.assertEqual(response.status_code, 302)
        self.record.refresh_from_db()
        self.assertIsNotNone(self.record.withheld_at)
        self.assertEqual(self.record.withheld_reason, "Décision de justice.")
        # Nothing is lost: the article and its revision are still there for editors.
        self.assertTrue(Article.history.filter(pk=self.record.pk).exists())

    def test_clearing_the_reason_puts_the_revision_back(self):
        self.client.force_login(make_user("Éditeurs"))
        self.client.post(revision_url(self.record), {"withheld_reason": "Décision."})
        self.client.post(revision_url(self.record), {"withheld_reason": "  "})
        self.record.refresh_from_db()
        self.assertIsNone(self.record.withheld_at)

    def test_list_of_one_articles_revisions(self):
        self.client.force_login(make_user("Éditeurs"))
        url = reverse("admin:articles_historicalarticle_changelist") + f"?id={self.article.pk}"
        response = self.client.get(url)
        self.assertContains(response, revision_url(self.record))
        self.assertNotContains(response, revision_url(self.other))

    def test_writers_cannot_touch_the_public_history(self):
        writer = make_user("Rédacteurs")
        self.client.force_login(writer)
        response = self.client.post(revision_url(self.record), {"withheld_reason": "Non."})
        self.assertEqual(response.status_code, 403)
        self.record.refresh_from_db()
        self.assertIsNone(self.record.withheld_at)
        draft = make_article(status=Article.Status.DRAFT, created_by=writer)
        self.assertNotContains(
            self.client.get(change_url(draft)),
            reverse("admin:articles_historicalarticle_changelist"),
        )
