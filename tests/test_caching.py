"""The shared page cache: fast for anonymous readers, never stale news, never a staff page."""

import os
from datetime import timedelta

import time_machine
from django.contrib.auth.models import User
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.cache import page_key
from articles.models import Article
from tests.factories import make_article
from tests.services import require

HOME = reverse("articles:home")


class SharedCacheTests(TestCase):
    def test_anonymous_reader_page_is_public_and_served_from_cache(self):
        article = make_article(title="Frappes sur Kyiv")
        first = self.client.get(article.get_absolute_url())
        self.assertEqual(first["Cache-Control"], "public, max-age=60, stale-while-revalidate=30")
        with self.assertNumQueries(0):
            second = self.client.get(article.get_absolute_url())
        self.assertEqual(second.content, first.content)

    def test_every_reader_page_is_cached(self):
        article = make_article(tags=["Ukraine"])
        author = article.authors.get()
        urls = [
            HOME,
            article.get_absolute_url(),
            reverse("articles:tag", args=["ukraine"]),
            author.get_absolute_url(),
            reverse("articles:archive-year", args=[article.published_at.year]),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
                with self.assertNumQueries(0):
                    self.client.get(url)

    def test_tracking_parameters_share_the_cached_page(self):
        make_article()
        self.client.get(HOME)
        with self.assertNumQueries(0):
            self.client.get(HOME, {"utm_source": "telegram", "fbclid": "x"})

    def test_other_pages_of_a_listing_are_cached_apart(self):
        for _ in range(13):
            make_article()
        first, second = self.client.get(HOME), self.client.get(HOME, {"page": 2})
        self.assertNotEqual(first.content, second.content)

    def test_not_found_is_not_cached(self):
        self.client.get("/tags/nope/")
        make_article(tags=["Nope"])
        self.assertEqual(self.client.get("/tags/nope/").status_code, 200)

    def test_anonymous_reader_pages_set_no_cookie_and_vary_on_nothing_personal(self):
        article = make_article()
        for url in (HOME, article.get_absolute_url()):
            response = self.client.get(url)
            self.assertEqual(response.cookies, {})
            self.assertNotIn("Cookie", response.get("Vary", ""))


class StaffAreNeverCachedTests(TestCase):
    def setUp(self):
        self.editor = User.objects.create_user("editor", password="x", is_staff=True)
        self.article = make_article(title="Avant")

    def test_logged_in_staff_get_fresh_private_pages(self):
        self.client.get(self.article.get_absolute_url())  # cached for anonymous readers
        self.client.force_login(self.editor)
        response = self.client.get(self.article.get_absolute_url())
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotIn("public", response["Cache-Control"])

    def test_staff_page_is_not_stored_for_readers(self):
        self.client.force_login(self.editor)
        self.client.get(HOME)
        self.client.logout()
        response = self.client.get(HOME)
        self.assertIn("public", response["Cache-Control"])

    def test_admin_is_never_cached(self):
        self.client.force_login(User.objects.create_superuser("chief", password="x"))
        response = self.client.get(reverse("admin:articles_article_changelist"))
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])


# The local-memory cache expires entries by the (travelled) clock; Redis by its own.
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
class FreshnessTests(TestCase):
    """What editors do shows on the article at once and on every listing within 60 seconds."""

    def test_publishing_a_draft_shows_at_once(self):
        draft = make_article(title="Exclusif", status=Article.Status.DRAFT)
        self.assertNotContains(self.client.get(HOME), "Exclusif")
        draft.status = Article.Status.PUBLISHED
        draft.save()
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 200)
        self.assertContains(self.client.get(HOME), "Exclusif")

    def test_editing_shows_at_once(self):
        article = make_article(title="Premier titre")
        self.client.get(article.get_absolute_url())
        self.client.get(HOME)
        article.title = "Titre corrigé"
        article.save()
        self.assertContains(self.client.get(article.get_absolute_url()), "Titre corrigé")
        self.assertContains(self.client.get(HOME), "Titre corrigé")

    def test_unpublishing_removes_at_once(self):
        article = make_article(title="Retiré")
        self.client.get(article.get_absolute_url())
        self.client.get(HOME)
        article.status = Article.Status.DRAFT
        article.save()
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(HOME), "Retiré")

    def test_retagging_shows_at_once_on_the_tag_page(self):
        article = make_article(tags=["Ukraine"])
        make_article(tags=["Gaza"])
        self.client.get(reverse("articles:tag", args=["gaza"]))
        article.tags.add("Gaza")
        response = self.client.get(reverse("articles:tag", args=["gaza"]))
        self.assertIn(article, response.context["object_list"])

    def test_scheduled_article_reaches_listings_within_a_minute_with_no_save(self):
        with time_machine.travel(timezone.now(), tick=False) as clock:
            make_article(title="Déjà en ligne")
            make_article(title="Programmé", published_at=timezone.now() + timedelta(seconds=30))
            self.assertNotContains(self.client.get(HOME), "Programmé")
            clock.shift(timedelta(seconds=31))
            scheduled = Article.objects.get(title="Programmé")
            self.assertEqual(self.client.get(scheduled.get_absolute_url()).status_code, 200)
            clock.shift(timedelta(seconds=30))
            self.assertContains(self.client.get(HOME), "Programmé")


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
)
class CacheOutageTests(TestCase):
    def test_reader_pages_still_answer_from_the_database(self):
        with self.assertLogs("articles.cache", "ERROR"):
            article = make_article(title="Toujours là")
        with self.assertLogs("articles.cache", "ERROR"):
            self.assertContains(self.client.get(article.get_absolute_url()), "Toujours là")
            self.assertContains(self.client.get(HOME), "Toujours là")


def redis_url():
    """REDIS_URL, or under CI=true the server on this machine; without either the tests skip."""
    ci_server = "redis://127.0.0.1:6379/15" if os.environ.get("CI") == "true" else ""
    url = os.environ.get("REDIS_URL") or ci_server
    require(url, "Set REDIS_URL to test the Redis cache")
    return url


class RedisCacheTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.caches = override_settings(
            CACHES={
                "default": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": redis_url(),
                    "KEY_PREFIX": "newsroom-tests",
                }
            }
        )
        cls.caches.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.caches.disable()

    def test_reader_pages_are_shared_through_redis(self):
        article = make_article(title="Par Redis")
        self.client.get(article.get_absolute_url())
        with self.assertNumQueries(0):
            self.assertContains(self.client.get(article.get_absolute_url()), "Par Redis")
        article.title = "Toujours par Redis"
        article.save()
        self.assertContains(self.client.get(article.get_absolute_url()), "Toujours par Redis")

    def test_healthz_answers_with_redis(self):
        self.assertEqual(self.client.get("/healthz").status_code, 200)


class PageKeyTests(TestCase):
    def test_page_numbers_of_listings_and_sitemaps_get_their_own_entries(self):
        factory = RequestFactory()
        keys = {
            page_key(factory.get("/sitemap-articles.xml", query))
            for query in ({}, {"p": "2"}, {"page": "2"}, {"p": "2", "page": "2"})
        }
        self.assertEqual(len(keys), 4)
        self.assertEqual(
            page_key(factory.get("/", {"utm_source": "x"})), page_key(factory.get("/"))
        )


class SearchIsNeverSharedTests(TestCase):
    def test_search_results_with_or_without_filters_are_private(self):
        make_article(title="Corée du Nord", tags=["Ukraine"])
        for query in ({"q": "coree"}, {"q": "coree", "tag": "ukraine", "from": "2020-01-01"}):
            with self.subTest(query=query):
                response = self.client.get(reverse("articles:search"), query)
                self.assertIn("private", response["Cache-Control"])
                self.assertIn("no-store", response["Cache-Control"])
