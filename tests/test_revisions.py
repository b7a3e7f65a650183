"""Revisions, their comparison and restoring, and the lock that keeps two editors' work apart."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import change_form_data, change_url, make_article, make_user, sign_in


class RevisionTests(TestCase):
    def setUp(self):
        self.editor = make_user("Éditeurs")
        self.client.force_login(self.editor)
        # Whole seconds, as the form posts them back.
        self.article = make_article(
            title="Premier titre", published_at=timezone.now().replace(microsecond=0)
        )

    def edit(self, **changes):
        self.article.refresh_from_db()
        return self.client.post(change_url(self.article), change_form_data(self.article, **changes))

    def test_every_save_keeps_a_revision_with_its_author(self):
        self.edit(title="Deuxième titre")
        self.edit(title="Troisième titre")
        titles = [record.title for record in self.article.history.all()]
        self.assertEqual(titles, ["Troisième titre", "Deuxième titre", "Premier titre"])
        self.assertEqual(self.article.history.first().history_user, self.editor)

    def test_history_page_lists_who_changed_what(self):
        self.edit(title="Deuxième titre")
        response = self.client.get(
            reverse("admin:articles_article_history", args=[self.article.pk])
        )
        self.assertContains(response, "Deuxième titre")
        self.assertContains(response, self.editor.username)
        self.assertContains(response, "Comparer deux versions")

    def test_compare_two_revisions(self):
        self.edit(title="Deuxième titre", body="<p>Nouveau texte.</p>")
        new, old = self.article.history.all()[:2]
        url = reverse("admin:articles_article_compare", args=[self.article.pk])
        response = self.client.get(url, {"old": old.pk, "new": new.pk})
        changes = {change.label: change.html for change in response.context["changes"]}
        self.assertEqual(list(changes), ["Titre", "Corps de l'article"])
        self.assertIn(
            '<ins><span class="visually-hidden">ajouté : </span>Deuxième</ins>', changes["Titre"]
        )
        # Bad choices fall back to the last change rather than failing.
        self.assertEqual(self.client.get(url, {"old": "x", "new": "999"}).status_code, 200)

    def test_restore_an_earlier_revision(self):
        self.edit(title="Mauvais titre")
        first = self.article.history.last()
        url = reverse("admin:articles_article_simple_history", args=[self.article.pk, first.pk])
        self.article.refresh_from_db()
        response = self.client.post(url, change_form_data(self.article, title=first.title))
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Premier titre")


class RestoreKeepsPublicationTests(TestCase):
    """Restoring a revision brings back its words and pictures, not its status or times."""

    def setUp(self):
        sign_in(self.client, make_user("Éditeurs"))

    def restore(self, article, revision):
        """Open the restore form of ``revision`` and save it as it is shown."""
        url = reverse("admin:articles_article_simple_history", args=[article.pk, revision.pk])
        shown = self.client.get(url).context["adminform"].form.instance
        response = self.client.post(url, change_form_data(shown))
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        return article

    def test_restoring_a_draft_revision_of_a_live_article_keeps_it_live(self):
        article = make_article(
            title="Premier jet",
            status=Article.Status.DRAFT,
            published_at=timezone.now().replace(microsecond=0) - timedelta(days=2),
        )
        draft_revision = article.history.get()
        article.title, article.standfirst = "Titre publié", "Chapeau publié."
        article.publish()
        article.save()
        # Whole seconds, as the form posts them back.
        published_at = article.published_at.replace(microsecond=0)
        Correction.objects.create(article=article, text="Un chiffre était faux.")
        article.refresh_from_db()
        revised_at = article.revised_at

        article = self.restore(article, draft_revision)

        self.assertEqual(article.title, "Premier jet")
        self.assertEqual(article.standfirst, draft_revision.standfirst)
        self.assertEqual(article.state, Article.State.LIVE)
        self.assertEqual(article.published_at, published_at)
        self.assertEqual(article.revised_at, revised_at)
        self.assertEqual(article.corrections.count(), 1)
        page = self.client.get(article.get_absolute_url())
        self.assertContains(page, "Premier jet")
        self.assertContains(page, "Mis à jour le")
        self.assertNotContains(page, "preview-banner")

    def test_restoring_a_revision_from_before_a_significant_update_keeps_the_mark(self):
        article = make_article(published_at=timezone.now().replace(microsecond=0))
        before = article.history.get()
        self.client.post(
            change_url(article),
            change_form_data(article, body="<p>Bilan revu.</p>", significant_update="on"),
        )
        article.refresh_from_db()
        revised_at = article.revised_at
        self.assertIsNotNone(revised_at)

        article = self.restore(article, before)

        self.assertEqual(article.body, before.body)
        self.assertEqual(article.revised_at, revised_at)
        self.assertTrue(article.is_revised)


class OptimisticLockingTests(TestCase):
    def test_second_editor_is_refused_with_their_text_kept(self):
        article = make_article(title="Titre d'origine")
        first, second = make_user("Éditeurs"), make_user("Éditeurs")
        # Both open the form at the same version.
        form_first = change_form_data(article, title="Titre du premier")
        form_second = change_form_data(article, title="Titre du second", body="<p>Mon texte</p>")

        self.client.force_login(first)
        self.assertEqual(self.client.post(change_url(article), form_first).status_code, 302)

        self.client.force_login(second)
        response = self.client.post(change_url(article), form_second)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Quelqu’un d’autre a enregistré cet article")
        self.assertContains(response, "Titre du second")
        self.assertContains(response, "Mon texte")
        article.refresh_from_db()
        self.assertEqual(article.title, "Titre du premier")

    def test_every_save_moves_the_version(self):
        article = make_article()
        version = article.version
        article.save()
        self.assertEqual(Article.objects.get(pk=article.pk).version, version + 1)
