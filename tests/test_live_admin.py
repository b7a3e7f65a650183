"""Editors run a live coverage from the admin: post, correct, delete, close, make an article."""

from django.test import TestCase
from django.urls import reverse

from live.models import LiveCoverage, LiveUpdate
from tests.factories import make_article, make_author, make_live, make_user, post_update


def updates_url(coverage):
    return reverse("admin:live_livecoverage_updates", args=[coverage.pk])


def posted(**fields):
    """What the posting form sends."""
    return {"title": "", "body": "<p>Du nouveau.</p>", "author": "", "image_alt": "", **fields}


class PostingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.writer = make_user("Rédacteurs")
        cls.other_writer = make_user("Rédacteurs")
        cls.editor = make_user("Éditeurs")
        cls.author = make_author(name="Anna")

    def setUp(self):
        self.coverage = make_live()

    def test_a_writer_posts_from_the_live_articles_screen_and_comes_back_to_it(self):
        self.client.force_login(self.writer)
        page = self.client.get(updates_url(self.coverage))
        self.assertContains(page, "Publier une mise à jour")
        response = self.client.post(
            updates_url(self.coverage),
            posted(
                title="Frappe sur Kyiv",
                body="<p>Sirènes<script>x()</script></p>",
                is_key="on",
                author=self.author.pk,
            ),
        )
        self.assertRedirects(response, updates_url(self.coverage))
        update = LiveUpdate.objects.get()
        self.assertEqual(
            (update.title, update.body, update.is_key, update.author, update.created_by),
            ("Frappe sur Kyiv", "<p>Sirènes</p>", True, self.author, self.writer),
        )
        self.assertEqual(update.history.get().history_user, self.writer)
        self.assertContains(self.client.get(updates_url(self.coverage)), "Frappe sur Kyiv")

    def test_editors_posting_at_once_never_overwrite_each_other(self):
        """Both open the screen, both post: two updates, and the article's lock is untouched."""
        version = self.coverage.article.version
        for user, text in ((self.writer, "Un"), (self.other_writer, "Deux")):
            self.client.force_login(user)
            self.client.post(updates_url(self.coverage), posted(body=f"<p>{text}</p>"))
        self.assertEqual(
            [u.body for u in LiveUpdate.objects.order_by("pk")], ["<p>Un</p>", "<p>Deux</p>"]
        )
        self.coverage.article.refresh_from_db()
        self.assertEqual(self.coverage.article.version, version)

    def test_an_update_carries_a_sourcing_label_and_a_named_source_is_required(self):
        self.client.force_login(self.writer)
        url = updates_url(self.coverage)
        response = self.client.post(url, posted(sourcing="according-to"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(LiveUpdate.objects.exists())
        self.client.post(url, posted(sourcing="according-to", sourcing_source="Reuters"))
        self.assertEqual(LiveUpdate.objects.get().sourcing_source, "Reuters")
        page = self.client.get(self.coverage.article.get_absolute_url())
        self.assertContains(page, '<span class="live-update__sourcing">Selon Reuters</span>')

    def test_an_empty_text_is_a_form_error(self):
        self.client.force_login(self.writer)
        response = self.client.post(updates_url(self.coverage), posted(body=""))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(LiveUpdate.objects.exists())

    def test_a_closed_coverage_takes_no_update(self):
        self.coverage.close()
        self.coverage.save()
        self.client.force_login(self.writer)
        response = self.client.post(updates_url(self.coverage), posted())
        self.assertContains(response, "Ce direct est clos")
        self.assertFalse(LiveUpdate.objects.exists())

    def test_editors_close_and_reopen_but_writers_cannot(self):
        self.client.force_login(self.writer)
        self.assertEqual(
            self.client.post(updates_url(self.coverage), {"close": "1"}).status_code, 403
        )
        self.client.force_login(self.editor)
        self.client.post(updates_url(self.coverage), {"close": "1"})
        self.coverage.refresh_from_db()
        self.assertFalse(self.coverage.is_live)
        self.client.post(updates_url(self.coverage), {"reopen": "1"})
        self.coverage.refresh_from_db()
        self.assertTrue(self.coverage.is_live)

    def test_an_unknown_coverage_is_a_404(self):
        self.client.force_login(self.editor)
        for object_id in ("999999", "abc", "9" * 40):
            with self.subTest(object_id=object_id):
                url = reverse("admin:live_livecoverage_updates", args=[object_id])
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_reader_account_cannot_reach_the_screen(self):
        self.client.force_login(make_user())
        response = self.client.get(updates_url(self.coverage))
        self.assertEqual(response.status_code, 302)  # to the admin's sign-in

    def test_an_editor_marks_an_article_live_from_the_admin(self):
        article = make_article()
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:live_livecoverage_add"),
            {
                "article": article.pk,
                "started_at_0": "04/12/2026",
                "started_at_1": "06:00:00",
                "close_after_hours": "6",
            },
        )
        coverage = LiveCoverage.objects.get(pk=article.pk)
        self.assertRedirects(response, updates_url(coverage))


class ArticleAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("Éditeurs")
        cls.writer = make_user("Rédacteurs")

    def test_editors_start_a_live_page_from_the_list_of_articles(self):
        article = make_article()
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "run_live", "_selected_action": [article.pk]},
        )
        coverage = LiveCoverage.objects.get(pk=article.pk)
        self.assertRedirects(response, updates_url(coverage))
        self.assertTrue(coverage.is_live)

    def test_writers_cannot_start_one(self):
        article = make_article(created_by=self.writer, status="draft")
        self.client.force_login(self.writer)
        self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "run_live", "_selected_action": [article.pk]},
        )
        self.assertFalse(LiveCoverage.objects.exists())

    def test_the_articles_form_leads_to_its_live_screen(self):
        coverage = make_live()
        self.client.force_login(self.editor)
        response = self.client.get(
            reverse("admin:articles_article_change", args=[coverage.article.pk])
        )
        self.assertContains(response, updates_url(coverage))


class CorrectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.writer = make_user("Rédacteurs")

    def setUp(self):
        self.coverage = make_live()
        self.update = post_update(self.coverage, body="<p>Bilan : 3 morts</p>")
        self.client.force_login(self.writer)

    def test_a_correction_is_saved_marked_and_kept_in_the_history(self):
        url = reverse("admin:live_liveupdate_change", args=[self.update.pk])
        response = self.client.post(url, posted(body="<p>Bilan : 4 morts</p>"))
        self.assertRedirects(response, updates_url(self.coverage))
        self.update.refresh_from_db()
        self.assertEqual(self.update.body, "<p>Bilan : 4 morts</p>")
        self.assertIsNotNone(self.update.edited_at)
        bodies = [record.body for record in self.update.history.order_by("history_date")]
        self.assertEqual(bodies, ["<p>Bilan : 3 morts</p>", "<p>Bilan : 4 morts</p>"])

    def test_deleting_withdraws_the_update_for_readers_and_the_history_keeps_it(self):
        url = reverse("admin:live_liveupdate_delete", args=[self.update.pk])
        response = self.client.post(url, {"post": "yes"})
        self.assertRedirects(response, updates_url(self.coverage))
        self.update.refresh_from_db()
        self.assertIsNotNone(self.update.withdrawn_at)
        self.assertEqual(self.update.history.count(), 2)
        page = self.client.get(self.coverage.article.get_absolute_url())
        self.assertNotContains(page, "Bilan : 3 morts")

    def test_an_update_becomes_a_draft_article_from_the_screen(self):
        response = self.client.post(updates_url(self.coverage), {"make_article": self.update.pk})
        self.update.refresh_from_db()
        self.assertRedirects(
            response, reverse("admin:articles_article_change", args=[self.update.article.pk])
        )
        self.assertEqual(self.update.article.status, "draft")

    def test_a_made_up_update_is_a_404(self):
        for value in ("999999", "abc", "9" * 40):
            with self.subTest(value=value):
                response = self.client.post(updates_url(self.coverage), {"make_article": value})
                self.assertEqual(response.status_code, 404)
