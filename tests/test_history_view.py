"""An article's history as an editor reads it, and the refused save that shows both sides."""

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from tests.factories import change_form_data, change_url, make_article, make_user

INSERTED = '<ins><span class="visually-hidden">ajouté : </span>'
DELETED = '<del><span class="visually-hidden">supprimé : </span>'


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


class HistoryPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("Éditeurs")

    def setUp(self):
        self.client.force_login(self.editor)
        self.article = make_article(
            title="Titre",
            status=Article.Status.DRAFT,
            body="<p>Les troupes avancent vers Koursk.</p>",
        )

    def edit(self, **changes):
        self.article.refresh_from_db()
        data = change_form_data(self.article, **changes)
        self.assertEqual(self.client.post(change_url(self.article), data).status_code, 302)

    def test_changes_are_shown_word_by_word_not_as_raw_html(self):
        self.edit(body="<p>Les troupes reculent vers Koursk.</p><ul><li>Un point</li></ul>")
        response = self.client.get(history_url(self.article))
        self.assertContains(response, f"{DELETED}avancent</del>", html=False)
        self.assertContains(response, f"{INSERTED}reculent</ins>", html=False)
        self.assertContains(response, "<li>" + INSERTED + "Un point</ins></li>", html=False)
        self.assertNotContains(response, "&lt;p&gt;")

    def test_statuses_in_french_and_times_in_paris(self):
        self.edit(status="published")
        response = self.client.get(history_url(self.article))
        self.assertContains(response, "Brouillon → Publié")
        revision = self.article.history.latest()
        paris = date_format(timezone.localtime(revision.history_date), "j F Y, H:i:s")
        self.assertContains(response, paris)

    def test_headers_in_french_and_no_none_for_a_missing_reason(self):
        self.edit(title="Nouveau titre")
        response = self.client.get(history_url(self.article))
        for header in ("Date et heure", "Par", "Motif", "Changements"):
            self.assertContains(response, f'<th scope="col">{header}</th>', html=True)
        self.assertNotContains(response, "None")
        self.assertNotContains(response, "Aucun")

    def test_a_given_reason_is_shown(self):
        self.article.submit_for_review()
        self.article._change_reason = "Envoyé en relecture"
        self.article.save()
        self.assertContains(self.client.get(history_url(self.article)), "Envoyé en relecture")

    def test_the_history_costs_the_same_queries_for_few_or_many_revisions(self):
        self.edit(title="Deux")
        self.client.get(history_url(self.article))
        with self.assertNumQueries(9):
            self.client.get(history_url(self.article))
        for n in range(6):
            self.edit(title=f"Titre {n}")
        with self.assertNumQueries(9):
            self.client.get(history_url(self.article))


class RefusedSaveTests(TestCase):
    """Two editors open the same article; the second to save is shown who saved and what."""

    def setUp(self):
        self.first, self.second = make_user("Éditeurs"), make_user("Éditeurs")
        self.article = make_article(
            title="Titre d’origine", body="<p>Kharkiv a été bombardée dans la nuit.</p>"
        )
        opened = change_form_data(self.article)
        self.client.force_login(self.first)
        theirs = {**opened, "body": "<p>Kharkiv a été lourdement bombardée dans la nuit.</p>"}
        self.assertEqual(self.client.post(change_url(self.article), theirs).status_code, 302)
        self.client.force_login(self.second)
        yours = {
            **opened,
            "title": "Titre du second",
            "body": "<p>Kharkiv a été bombardée hier.</p>",
        }
        self.response = self.client.post(change_url(self.article), yours)

    def test_the_refused_editor_learns_who_saved_and_when(self):
        self.assertEqual(self.response.status_code, 200)
        saved = self.article.history.latest()
        when = date_format(timezone.localtime(saved.history_date), "j F Y, H:i:s")
        self.assertContains(
            self.response, f"{self.first.username} a enregistré cet article le {when}"
        )

    def test_their_changes_and_yours_side_by_side_word_by_word(self):
        rows = {row.label: row for row in self.response.context["conflict"]["rows"]}
        body = rows["Corps de l'article"]
        self.assertIn(f"{INSERTED}lourdement</ins>", body.theirs)
        self.assertIn(f"{DELETED}dans la nuit</del>", body.yours)
        self.assertIn(f"{INSERTED}hier</ins>", body.yours)
        self.assertIn("Titre", rows)
        self.assertEqual(rows["Titre"].theirs, "Titre d’origine")

    def test_the_refused_text_stays_in_the_form(self):
        self.assertContains(self.response, "Titre du second")
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Titre d’origine")
