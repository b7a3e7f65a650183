"""The review step: writers send drafts to the editors, who publish, schedule or send them back."""

from datetime import timedelta

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import change_form_data, change_url, make_article, make_user

QUEUE = reverse("admin:articles_article_review")
CHANGELIST = reverse("admin:articles_article_changelist")


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def waiting(writer, title, since):
    """A draft of ``writer`` sent for review ``since`` ago."""
    article = make_article(title=title, status=Article.Status.DRAFT, created_by=writer)
    with time_machine.travel(timezone.now() - since, tick=False):
        article.submit_for_review()
        article.save()
    return article


class WriterSendsForReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.writer = make_user("Rédacteurs")

    def setUp(self):
        self.client.force_login(self.writer)
        self.draft = make_article(status=Article.Status.DRAFT, created_by=self.writer)

    def test_sending_for_review_puts_the_draft_in_the_queue_with_a_revision(self):
        data = change_form_data(self.draft, title="Prêt à relire", _submit_review="1")
        self.assertRedirects(self.client.post(change_url(self.draft), data), CHANGELIST)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Article.Status.REVIEW)
        self.assertEqual(self.draft.title, "Prêt à relire")
        self.assertIsNotNone(self.draft.submitted_at)
        self.assertEqual(self.draft.history.latest().history_change_reason, "Envoyé en relecture")

    def test_a_new_article_can_go_straight_to_review(self):
        data = change_form_data(make_article(), title="Tout neuf", slug="", _submit_review="1")
        self.client.post(reverse("admin:articles_article_add"), data)
        self.assertEqual(Article.objects.get(title="Tout neuf").status, Article.Status.REVIEW)

    def test_a_headline_used_before_gets_a_free_address_to_take(self):
        make_article(title="Le point sur la guerre", slug="le-point-sur-la-guerre")
        data = change_form_data(make_article(), title="Le point sur la guerre")
        data["slug"] = "le-point-sur-la-guerre"
        response = self.client.post(reverse("admin:articles_article_add"), data)
        self.assertEqual(
            response.context["adminform"].form.errors["slug"],
            [
                "« Le point sur la guerre » a déjà cette adresse. Choisissez-en une autre, "
                "par exemple « le-point-sur-la-guerre-2 »."
            ],
        )

    def test_the_form_offers_the_button_on_drafts_only(self):
        self.assertContains(self.client.get(change_url(self.draft)), 'name="_submit_review"')
        self.draft.submit_for_review()
        self.draft.save()
        response = self.client.get(change_url(self.draft))
        self.assertNotContains(response, 'name="_submit_review"')
        self.assertContains(response, "En attente de relecture depuis le")

    def test_a_new_article_is_not_said_to_wait_for_review(self):
        response = self.client.get(reverse("admin:articles_article_add"))
        self.assertContains(response, 'name="_submit_review"')
        self.assertNotContains(response, "En attente de relecture")

    def test_a_draft_waiting_for_review_is_out_of_the_writers_hands(self):
        self.draft.submit_for_review()
        self.draft.save()
        data = change_form_data(self.draft, title="Encore une retouche")
        self.client.post(change_url(self.draft), data)
        self.draft.refresh_from_db()
        self.assertNotEqual(self.draft.title, "Encore une retouche")

    def test_writers_have_no_queue(self):
        self.assertEqual(self.client.get(QUEUE).status_code, 403)

    def test_a_sent_back_draft_shows_the_editors_note(self):
        self.draft.send_back("Sources à citer au deuxième paragraphe.")
        self.draft.save()
        self.assertContains(
            self.client.get(change_url(self.draft)), "Sources à citer au deuxième paragraphe."
        )


class WriterDeletesOwnDraftsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.writer = make_user("Rédacteurs")

    def setUp(self):
        self.client.force_login(self.writer)

    def test_a_writer_deletes_an_own_draft_never_published(self):
        draft = make_article(status=Article.Status.DRAFT, created_by=self.writer)
        self.client.post(delete_url(draft), {"post": "yes"})
        self.assertFalse(Article.objects.filter(pk=draft.pk).exists())

    def test_a_draft_once_published_stays(self):
        article = make_article(created_by=self.writer)
        article.unpublish()
        article.save()
        self.assertEqual(self.client.post(delete_url(article), {"post": "yes"}).status_code, 403)
        self.assertTrue(Article.objects.filter(pk=article.pk).exists())

    def test_a_colleagues_draft_stays_even_by_the_bulk_action(self):
        other = make_article(status=Article.Status.DRAFT, created_by=make_user("Rédacteurs"))
        data = {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
        self.client.post(CHANGELIST, data)
        self.assertTrue(Article.objects.filter(pk=other.pk).exists())


class ReviewQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("Éditeurs", first_name="Inès", last_name="Martin")
        cls.writer = make_user("Rédacteurs", first_name="Paul", last_name="Durand")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_the_queue_lists_what_waits_oldest_first_with_who_and_since_when(self):
        waiting(self.writer, "Récent", timedelta(minutes=5))
        waiting(self.writer, "Ancien", timedelta(hours=3))
        make_article(title="Brouillon en cours", status=Article.Status.DRAFT)
        response = self.client.get(QUEUE)
        self.assertEqual([a.title for a in response.context["waiting"]], ["Ancien", "Récent"])
        self.assertContains(response, "Envoyé par")
        self.assertContains(response, "Paul Durand")
        self.assertContains(response, "il y a 3")
        self.assertNotContains(response, "Brouillon en cours")

    def test_the_article_list_links_to_the_queue_with_its_count(self):
        waiting(self.writer, "Un", timedelta(minutes=5))
        self.assertContains(self.client.get(CHANGELIST), "À relire (1)")

    def test_publish_now_from_the_queue(self):
        article = waiting(self.writer, "À publier", timedelta(hours=1))
        data = {"article": article.pk, "decision": "publish"}
        self.assertRedirects(self.client.post(QUEUE, data), QUEUE)
        article.refresh_from_db()
        self.assertEqual(article.state, Article.State.LIVE)
        revision = article.history.latest()
        self.assertEqual(revision.history_user, self.editor)
        self.assertEqual(revision.history_change_reason, "Publié après relecture")

    def test_schedule_from_the_queue(self):
        article = waiting(self.writer, "Pour demain", timedelta(hours=1))
        tomorrow = timezone.localtime() + timedelta(days=1)
        data = {
            "article": article.pk,
            "decision": "schedule",
            "publish_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
        }
        self.client.post(QUEUE, data)
        article.refresh_from_db()
        self.assertEqual(article.state, Article.State.SCHEDULED)
        self.assertEqual(timezone.localtime(article.published_at).hour, tomorrow.hour)

    def test_scheduling_in_the_past_is_refused_on_the_articles_row(self):
        article = waiting(self.writer, "Trop tard", timedelta(hours=1))
        yesterday = timezone.localtime() - timedelta(days=1)
        data = {
            "article": article.pk,
            "decision": "schedule",
            "publish_at": yesterday.strftime("%Y-%m-%dT%H:%M"),
        }
        response = self.client.post(QUEUE, data)
        self.assertContains(response, "Indiquez une heure de publication à venir.")
        article.refresh_from_db()
        self.assertEqual(article.status, Article.Status.REVIEW)

    def test_send_back_with_a_note(self):
        article = waiting(self.writer, "À reprendre", timedelta(hours=1))
        data = {"article": article.pk, "decision": "send_back", "note": "Vérifier les chiffres."}
        self.client.post(QUEUE, data)
        article.refresh_from_db()
        self.assertEqual(article.status, Article.Status.DRAFT)
        self.assertEqual(article.review_note, "Vérifier les chiffres.")
        self.assertEqual(
            article.history.latest().history_change_reason, "Renvoyé : Vérifier les chiffres."
        )

    def test_sending_back_needs_a_note(self):
        article = waiting(self.writer, "Sans note", timedelta(hours=1))
        response = self.client.post(QUEUE, {"article": article.pk, "decision": "send_back"})
        self.assertContains(response, "Dites au rédacteur ce qu’il faut changer.")

    def test_bad_decisions_are_form_errors(self):
        article = waiting(self.writer, "Solide", timedelta(hours=1))
        for data in (
            {"article": "abc", "decision": "publish"},
            {"article": "9" * 30, "decision": "publish"},
            {"article": article.pk, "decision": "burn"},
            {"article": make_article().pk, "decision": "publish"},
            {},
        ):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(QUEUE, data).status_code, 200)
        article.refresh_from_db()
        self.assertEqual(article.status, Article.Status.REVIEW)

    def test_the_queue_costs_the_same_queries_for_one_or_many_articles(self):
        waiting(self.writer, "Un", timedelta(minutes=5))
        self.client.get(QUEUE)  # the session and permissions, as on any admin page
        with self.assertNumQueries(5):
            self.client.get(QUEUE)
        for n in range(5):
            waiting(make_user("Rédacteurs"), f"Autre {n}", timedelta(minutes=n))
        with self.assertNumQueries(5):
            self.client.get(QUEUE)


class AdminSearchTests(TestCase):
    def test_admin_search_ignores_accents_and_case(self):
        self.client.force_login(make_user("Éditeurs"))
        article = make_article(title="Les troupes nord-coréennes en Russie", status="draft")
        make_article(title="Autre chose")
        for term in ("coréennes", "COREENNES", "nord-coreennes", "troupes"):
            with self.subTest(term=term):
                response = self.client.get(CHANGELIST, {"q": term})
                self.assertEqual(list(response.context["cl"].result_list), [article])
