"""Unpublished articles: staff and preview-link holders see them, nobody else learns they exist."""

from datetime import timedelta
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from articles.models import Article
from articles.preview import MAX_AGE, preview_url
from tests.factories import make_article, make_user, sign_in

DRAFT_BANNER = (
    '<p class="preview-banner" role="status">'
    "Aperçu : cet article est un brouillon, les lecteurs ne le voient pas.</p>"
)
SCHEDULED_BANNER = (
    '<p class="preview-banner" role="status">'
    "Aperçu : cet article est programmé, les lecteurs le verront à sa date de publication.</p>"
)


class StaffPreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.draft = make_article(title="Brouillon secret", status=Article.Status.DRAFT)
        cls.scheduled = make_article(
            title="Sous embargo", published_at=timezone.now() + timedelta(days=1)
        )

    def test_staff_see_drafts_and_scheduled_articles_at_their_page(self):
        sign_in(self.client, make_user("Rédacteurs"))
        for article, banner in ((self.draft, DRAFT_BANNER), (self.scheduled, SCHEDULED_BANNER)):
            with self.subTest(article=article.title):
                response = self.client.get(article.get_absolute_url())
                self.assertContains(response, article.title)
                self.assertContains(response, banner, html=True)
                self.assertContains(response, '<meta name="robots" content="noindex">')

    def test_a_preview_offers_no_share_links_and_says_why(self):
        sign_in(self.client, make_user("Rédacteurs"))
        for article in (self.draft, self.scheduled):
            with self.subTest(article=article.title):
                response = self.client.get(article.get_absolute_url())
                self.assertNotContains(response, "Partager cet article")
                self.assertNotContains(response, "share__link")
                self.assertContains(response, "fonctionneront une fois l’article publié")

    def test_staff_follow_the_short_link_to_an_unpublished_article(self):
        sign_in(self.client, make_user("Rédacteurs"))
        for article in (self.draft, self.scheduled):
            with self.subTest(article=article.title):
                response = self.client.get(article.get_short_url())
                self.assertRedirects(response, article.get_absolute_url(), status_code=302)
                self.assertIn("no-store", response["Cache-Control"])

    def test_the_short_link_of_an_unpublished_article_is_not_found_for_others(self):
        for user in (None, make_user(), make_user(is_staff=True)):
            if user:
                sign_in(self.client, user)
            for article in (self.draft, self.scheduled):
                with self.subTest(user=user, article=article.title):
                    self.assertEqual(self.client.get(article.get_short_url()).status_code, 404)

    def test_staff_responses_are_never_cached(self):
        sign_in(self.client, make_user("Éditeurs"))
        response = self.client.get(self.draft.get_absolute_url())
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(response["X-Robots-Tag"], "noindex")

    def test_readers_and_staff_without_article_rights_get_404_never_403(self):
        for user in (None, make_user(), make_user(is_staff=True)):
            if user:
                sign_in(self.client, user)
            for article in (self.draft, self.scheduled):
                with self.subTest(user=user, article=article.title):
                    self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)

    def test_live_page_for_readers_keeps_its_caching_and_has_no_banner(self):
        response = self.client.get(make_article(title="En ligne").get_absolute_url())
        self.assertIn("public", response["Cache-Control"])
        self.assertNotContains(response, "preview-banner")


class PreviewLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.draft = make_article(title="Brouillon partagé", status=Article.Status.DRAFT)

    def test_signed_link_opens_the_draft_without_an_account(self):
        response = self.client.get(preview_url(self.draft))
        self.assertContains(response, "Brouillon partagé")
        self.assertIn("no-store", response["Cache-Control"])

    def test_link_expires(self):
        url = preview_url(self.draft)
        later = timezone.now() + MAX_AGE + timedelta(minutes=1)
        with mock.patch("time.time", return_value=later.timestamp()):
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_tampered_or_foreign_token_is_not_found(self):
        other = make_article(status=Article.Status.DRAFT)
        url = preview_url(self.draft)
        self.assertEqual(self.client.get(url[:-3] + "abc").status_code, 404)
        self.assertEqual(self.client.get(url + "x").status_code, 404)
        # A link opens its own article only, even when put on another article's address.
        token = url.split("?")[1]
        self.assertEqual(self.client.get(f"{other.get_absolute_url()}?{token}").status_code, 404)

    def test_editor_finds_the_link_in_the_admin(self):
        sign_in(self.client, make_user("Éditeurs"))
        response = self.client.get(f"/admin/articles/article/{self.draft.pk}/change/")
        self.assertContains(response, "?apercu=")


class PreviewAndSharedCacheTests(TestCase):
    def test_a_preview_link_never_fills_the_shared_cache(self):
        draft = make_article(title="Brouillon partagé", status=Article.Status.DRAFT)
        self.assertEqual(self.client.get(preview_url(draft)).status_code, 200)
        # The next reader at the same address, without the link, learns nothing.
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)
