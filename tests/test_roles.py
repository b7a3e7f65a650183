"""Rédacteurs write drafts; only Éditeurs publish, by whatever path the request takes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    EMPTY_INLINES,
    change_form_data,
    change_url,
    make_article,
    make_author,
    make_user,
)

PARIS = ZoneInfo("Europe/Paris")
CHANGELIST = reverse("admin:articles_article_changelist")


class RoleGroupsTests(TestCase):
    def test_only_editors_hold_the_publish_permission(self):
        editors = Group.objects.get(name="Éditeurs")
        writers = Group.objects.get(name="Rédacteurs")
        self.assertTrue(editors.permissions.filter(codename="publish_article").exists())
        self.assertFalse(writers.permissions.filter(codename="publish_article").exists())
        self.assertTrue(writers.permissions.filter(codename="add_article").exists())


class WriterTests(TestCase):
    """A Rédacteur cannot publish, unpublish or schedule: not by form, action or crafted POST."""

    @classmethod
    def setUpTestData(cls):
        cls.writer = make_user("Rédacteurs")
        cls.author = make_author()

    def setUp(self):
        self.client.force_login(self.writer)
        self.draft = make_article(
            status=Article.Status.DRAFT, created_by=self.writer, authors=[self.author]
        )

    def test_status_and_time_are_read_only_in_the_change_form(self):
        response = self.client.get(change_url(self.draft))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("status", response.context["adminform"].form.fields)
        self.assertNotIn("published_at", response.context["adminform"].form.fields)

    def test_crafted_post_of_the_change_form_does_not_publish(self):
        data = change_form_data(self.draft, title="Nouveau titre", status="published")
        response = self.client.post(change_url(self.draft), data)
        self.assertRedirects(response, CHANGELIST)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title, "Nouveau titre")
        self.assertEqual(self.draft.status, Article.Status.DRAFT)

    def test_crafted_post_of_the_add_form_makes_a_draft(self):
        data = change_form_data(self.draft, title="Autre", slug="autre", status="published")
        self.client.post(reverse("admin:articles_article_add"), data)
        article = Article.objects.get(slug="autre")
        self.assertEqual(article.status, Article.Status.DRAFT)
        self.assertEqual(article.created_by, self.writer)

    def test_publish_action_is_not_offered_and_a_crafted_post_does_nothing(self):
        response = self.client.get(CHANGELIST)
        self.assertNotContains(response, 'value="publish"')
        self.client.post(CHANGELIST, {"action": "publish", "_selected_action": [self.draft.pk]})
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Article.Status.DRAFT)

    def test_unpublish_by_crafted_action_post_does_nothing(self):
        live = make_article(created_by=self.writer)
        self.client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [live.pk]})
        live.refresh_from_db()
        self.assertEqual(live.status, Article.Status.PUBLISHED)

    def test_published_article_cannot_be_changed_even_their_own(self):
        live = make_article(created_by=self.writer, title="En ligne")
        response = self.client.post(change_url(live), change_form_data(live, title="Changé"))
        self.assertEqual(response.status_code, 403)
        live.refresh_from_db()
        self.assertEqual(live.title, "En ligne")

    def test_articles_of_others_are_read_only(self):
        other = make_article(status=Article.Status.DRAFT, created_by=make_user("Rédacteurs"))
        self.assertContains(self.client.get(CHANGELIST), other.title)
        response = self.client.get(change_url(other))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["has_change_permission"])
        self.assertNotContains(response, 'name="_save"')
        self.client.post(change_url(other), change_form_data(other, title="Pris"))
        other.refresh_from_db()
        self.assertNotEqual(other.title, "Pris")

    def test_restoring_a_published_revision_does_not_publish(self):
        article = make_article(created_by=self.writer)
        published_revision = article.history.latest()
        article.status = Article.Status.DRAFT
        article.save()
        url = reverse(
            "admin:articles_article_simple_history", args=[article.pk, published_revision.pk]
        )
        self.client.post(url, change_form_data(article, status="published"))
        article.refresh_from_db()
        self.assertEqual(article.status, Article.Status.DRAFT)

    def test_no_preview_link_and_no_correction_for_a_writer(self):
        response = self.client.get(change_url(self.draft))
        self.assertNotContains(response, "apercu=")
        self.assertNotContains(response, "corrections-TOTAL_FORMS")


class EditorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("Éditeurs")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_admin_pages_answer(self):
        article = make_article()
        for url in (
            reverse("admin:index"),
            reverse("admin:articles_article_add"),
            change_url(article),
            reverse("admin:articles_article_history", args=[article.pk]),
            reverse("admin:articles_article_compare", args=[article.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_editor_publishes_from_the_change_form(self):
        draft = make_article(status=Article.Status.DRAFT)
        response = self.client.post(change_url(draft), change_form_data(draft, status="published"))
        self.assertRedirects(response, CHANGELIST)
        draft.refresh_from_db()
        self.assertEqual(draft.status, Article.Status.PUBLISHED)

    def test_bulk_publish_and_unpublish(self):
        old_draft = make_article(
            status=Article.Status.DRAFT, published_at=timezone.now() - timedelta(days=3)
        )
        self.client.post(CHANGELIST, {"action": "publish", "_selected_action": [old_draft.pk]})
        old_draft.refresh_from_db()
        self.assertEqual(old_draft.state, Article.State.LIVE)
        # A draft written days ago goes out now, not backdated.
        self.assertGreater(old_draft.published_at, timezone.now() - timedelta(minutes=1))
        self.client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [old_draft.pk]})
        old_draft.refresh_from_db()
        self.assertEqual(old_draft.state, Article.State.DRAFT)
        self.assertEqual(old_draft.history.first().history_user, self.editor)

    def test_list_shows_status_paris_time_authors_and_tags(self):
        make_article(
            title="Programmé",
            published_at=timezone.now() + timedelta(days=1),
            authors=[make_author(name="Anne Reporter")],
            tags=["Ukraine"],
        )
        make_article(title="Brouillon", status=Article.Status.DRAFT)
        make_article(title="En ligne")
        response = self.client.get(CHANGELIST)
        for text in ("Programmé", "Brouillon", "En ligne", "Anne Reporter", "Ukraine"):
            self.assertContains(response, text)
        self.assertContains(response, '<td class="field-state_label">Programmé</td>')
        self.assertContains(response, '<td class="field-state_label">En ligne</td>')
        self.assertContains(response, '<td class="field-state_label">Brouillon</td>')

    def test_state_filter(self):
        scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
        make_article()
        response = self.client.get(CHANGELIST, {"state": "scheduled"})
        self.assertEqual(list(response.context["cl"].queryset), [scheduled])

    def test_list_query_count_does_not_grow_with_articles(self):
        counts = []
        for size in (2, 12):
            while Article.objects.count() < size:
                make_article(tags=["Ukraine", "Gaza"], authors=[make_author(), make_author()])
            with CaptureQueriesContext(connection) as queries:
                self.client.get(CHANGELIST)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])


class PublicationTimeFromTheFormTests(TestCase):
    """A draft goes live when it is published, unless an editor set its time on purpose."""

    written = datetime(2026, 11, 30, 20, 26, tzinfo=PARIS)
    published = datetime(2026, 11, 30, 20, 36, tzinfo=PARIS)

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("Éditeurs")

    def setUp(self):
        self.client.force_login(self.editor)

    def write_draft(self):
        with time_machine.travel(self.written, tick=False):
            return make_article(status=Article.Status.DRAFT, published_at=timezone.now())

    def publish_from_the_form(self, article, **changes):
        with time_machine.travel(self.published, tick=False):
            data = change_form_data(article, status="published", **changes)
            response = self.client.post(change_url(article), data)
        self.assertRedirects(response, CHANGELIST)
        article.refresh_from_db()
        return article

    def test_draft_published_from_the_change_form_is_dated_when_it_goes_live(self):
        article = self.publish_from_the_form(self.write_draft())
        self.assertEqual(article.published_at, self.published)
        self.assertIn("/2026/11/30/", article.get_absolute_url())

    def test_a_time_the_editor_typed_is_kept(self):
        article = self.publish_from_the_form(
            self.write_draft(), published_at_0="30/11/2026", published_at_1="20:30:00"
        )
        self.assertEqual(article.published_at, datetime(2026, 11, 30, 20, 30, tzinfo=PARIS))

    def test_an_article_readers_saw_keeps_its_time_when_published_again(self):
        article = self.publish_from_the_form(self.write_draft())
        url = article.get_absolute_url()
        with time_machine.travel(self.published + timedelta(minutes=5), tick=False):
            self.client.post(change_url(article), change_form_data(article, status="draft"))
        article.refresh_from_db()
        with time_machine.travel(self.published + timedelta(days=1), tick=False):
            self.client.post(change_url(article), change_form_data(article, status="published"))
        article.refresh_from_db()
        self.assertEqual(article.state, Article.State.LIVE)
        self.assertEqual(article.published_at, self.published)
        self.assertEqual(article.get_absolute_url(), url)

    def test_a_draft_given_a_future_time_is_scheduled_for_it(self):
        draft = self.write_draft()
        draft.published_at = datetime(2026, 12, 1, 8, 0, tzinfo=PARIS)
        draft.save()
        article = self.publish_from_the_form(draft)
        self.assertEqual(article.published_at, datetime(2026, 12, 1, 8, 0, tzinfo=PARIS))
        with time_machine.travel(self.published, tick=False):
            self.assertEqual(article.state, Article.State.SCHEDULED)

    def test_draft_published_from_the_add_form_is_dated_when_it_is_saved(self):
        with time_machine.travel(self.written, tick=False):
            form = self.client.get(reverse("admin:articles_article_add")).context["adminform"].form
        data = {
            "title": "Écrit à 20 h 26",
            "standfirst": "Chapeau.",
            "body": "<p>Texte.</p>",
            "status": "published",
            "authors": [make_author().pk],
            **EMPTY_INLINES,
        }
        # The date and time as the form showed them, with the hidden copy Django compares.
        shown = timezone.localtime(form["published_at"].initial)
        for prefix in ("", "initial-"):
            data[f"{prefix}published_at_0"] = shown.strftime("%d/%m/%Y")
            data[f"{prefix}published_at_1"] = shown.strftime("%H:%M:%S")
        with time_machine.travel(self.published, tick=False):
            response = self.client.post(reverse("admin:articles_article_add"), data)
        self.assertRedirects(response, CHANGELIST)
        self.assertEqual(Article.objects.get().published_at, self.published)
