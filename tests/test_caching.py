"""The shared page cache: fast for anonymous readers, never stale news, never a staff page."""

import os
import pickle
import tempfile
import time
from datetime import timedelta
from unittest import mock

import redis
import time_machine
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client, SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.cache import EDITOR_COOKIE, GENERATION_KEY, KeptPages, RecentlyAsked
from articles.models import Article
from newsroom.cache import FileBasedCache, RedisCache
from tests.factories import (
    ask_until_cached,
    keep_menu,
    make_archive,
    make_article,
    make_user,
    sign_in,
)
from tests.services import require

HOME = reverse("articles:home")


class SharedCacheTests(TestCase):
    def test_anonymous_reader_page_is_public_and_served_from_cache(self):
        article = make_article(title="Frappes sur Kyiv")
        first = ask_until_cached(self.client, article.get_absolute_url())
        self.assertEqual(first["Cache-Control"], "public, max-age=0, s-maxage=60")
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
                self.assertEqual(ask_until_cached(self.client, url).status_code, 200)
                with self.assertNumQueries(0):
                    self.client.get(url)

    def test_tracking_parameters_share_the_cached_page(self):
        make_article()
        ask_until_cached(self.client, HOME)
        with self.assertNumQueries(0):
            self.client.get(HOME, {"utm_source": "telegram", "fbclid": "x"})

    def test_other_pages_of_a_listing_are_cached_apart(self):
        for _ in range(13):
            make_article()
        first, second = self.client.get(HOME), self.client.get(HOME, {"page": 2})
        self.assertNotEqual(first.content, second.content)

    def test_not_found_is_not_cached(self):
        """Asked twice with no save between: only the clock makes the tag's page appear."""
        with time_machine.travel(timezone.now(), tick=False) as clock:
            make_article(tags=["Bientôt"], published_at=timezone.now() + timedelta(seconds=5))
            tag = reverse("articles:tag", args=["bientot"])
            self.assertEqual(self.client.get(tag).status_code, 404)
            clock.shift(timedelta(seconds=6))
            self.assertEqual(self.client.get(tag).status_code, 200)

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
        sign_in(self.client, self.editor)
        response = self.client.get(self.article.get_absolute_url())
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotIn("public", response["Cache-Control"])

    def test_staff_page_is_not_stored_for_readers(self):
        sign_in(self.client, self.editor)
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
            "BACKEND": "newsroom.cache.RedisCache",
            # Nothing listens on port 1: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
)
class CacheOutageTests(TestCase):
    def test_reader_pages_still_answer_from_the_database_and_healthz_says_why(self):
        with self.assertLogs("newsroom.cache", "ERROR"):
            article = make_article(title="Toujours là")
        self.assertContains(self.client.get(article.get_absolute_url()), "Toujours là")
        self.assertContains(self.client.get(HOME), "Toujours là")
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["cache"], "error")


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
                    "BACKEND": "newsroom.cache.RedisCache",
                    "LOCATION": redis_url(),
                    "KEY_PREFIX": "newsroom-tests",
                    "OPTIONS": {"kept_keys": [GENERATION_KEY]},
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
        ask_until_cached(self.client, article.get_absolute_url())
        with self.assertNumQueries(0):
            self.assertContains(self.client.get(article.get_absolute_url()), "Par Redis")
        article.title = "Toujours par Redis"
        article.save()
        self.assertContains(self.client.get(article.get_absolute_url()), "Toujours par Redis")

    def test_healthz_answers_with_redis(self):
        self.assertEqual(self.client.get("/healthz").status_code, 200)

    def test_an_edit_shows_at_once_where_the_worker_kept_the_page(self):
        article = make_article(title="Gardée par le worker")
        for _ in range(4):  # built twice (stored), read from Redis, served from the worker
            self.assertContains(self.client.get(article.get_absolute_url()), "Gardée")
        article.title = "Corrigée partout"
        article.save()
        self.assertContains(self.client.get(article.get_absolute_url()), "Corrigée partout")


class RedisKeptKeysTests(SimpleTestCase):
    """The generation, read on every cached page, is kept by each worker while it holds."""

    def setUp(self):
        self.server = redis.from_url(redis_url())
        self.addCleanup(self.server.close)
        self.addCleanup(self.server.delete, ":1:newsroom-tests-kept")

    def worker(self, **options):
        """A cache of its own, with its own connections, as each gunicorn worker has."""
        options = {"kept_keys": ["newsroom-tests-kept"], "kept_seconds": 60, **options}
        return RedisCache(redis_url(), {"OPTIONS": options})

    @staticmethod
    def round_trips(worker):
        return mock.patch.object(worker._cache, "_read", wraps=worker._cache._read)

    def test_a_kept_value_costs_no_round_trip(self):
        worker = self.worker()
        worker.set("newsroom-tests-kept", "first")
        self.assertEqual(worker.get("newsroom-tests-kept"), "first")
        with self.round_trips(worker) as read:
            for _ in range(20):
                self.assertEqual(worker.get("newsroom-tests-kept"), "first")
        self.assertEqual(read.call_count, 0)

    def test_a_change_from_another_worker_shows_at_once(self):
        worker, other = self.worker(), self.worker()
        other.set("newsroom-tests-kept", "first")
        self.assertEqual(worker.get("newsroom-tests-kept"), "first")
        other.set("newsroom-tests-kept", "second")
        self.assertEqual(worker.get("newsroom-tests-kept"), "second")
        other.delete("newsroom-tests-kept")
        self.assertIsNone(worker.get("newsroom-tests-kept"))

    def test_a_value_read_with_others_is_kept_too(self):
        worker, other = self.worker(), self.worker()
        other.set("newsroom-tests-kept", "first")
        self.assertEqual(worker.get_many(["newsroom-tests-kept"]), {"newsroom-tests-kept": "first"})
        other.set("newsroom-tests-kept", "second")
        self.assertEqual(worker.get("newsroom-tests-kept"), "second")

    def test_a_worker_that_read_nothing_while_thousands_of_changes_came_reads_on(self):
        # Each change pushed an invalidation onto its connection; none was read meanwhile.
        worker = self.worker()
        self.assertIsNone(worker.get("newsroom-tests-kept"))
        for n in range(3000):  # one at a time, as saves come (Redis groups those it reads at once)
            self.server.set(":1:newsroom-tests-kept", n)
        self.assertEqual(worker.get_many(["newsroom-tests-kept"]), {"newsroom-tests-kept": 2999})

    def test_a_lost_connection_forgets_what_it_kept(self):
        # Redis restarted, say: the change below reaches no connection of the worker's.
        worker = self.worker()
        worker.set("newsroom-tests-kept", "first")
        self.assertEqual(worker.get("newsroom-tests-kept"), "first")
        self.server.client_kill_filter(_type="normal", skipme=True)
        self.server.set(":1:newsroom-tests-kept", pickle.dumps("second"))
        self.assertEqual(worker.get("newsroom-tests-kept"), "second")

    def test_a_kept_value_is_asked_for_again_after_its_time(self):
        # A frozen Redis pushes nothing: trust lasts no longer than a failed write takes.
        worker = self.worker(kept_seconds=0.05)
        worker.set("newsroom-tests-kept", "first")
        worker.get("newsroom-tests-kept")
        time.sleep(0.1)
        with self.round_trips(worker) as read:
            worker.get("newsroom-tests-kept")
        self.assertEqual(read.call_count, 1)


class KeptPagesTests(SimpleTestCase):
    @staticmethod
    def page(size):
        return ("generation", 0.0, b"x" * size, [])

    def test_the_least_recently_served_page_leaves_first_past_the_count(self):
        kept = KeptPages(max_pages=2, max_bytes=1000)
        kept.put("a", self.page(10))
        kept.put("b", self.page(10))
        kept.get("a")
        kept.put("c", self.page(10))
        self.assertEqual(list(kept.pages), ["a", "c"])

    def test_pages_leave_past_the_bytes_and_an_oversized_page_is_not_kept(self):
        kept = KeptPages(max_pages=10, max_bytes=100)
        for key in "abc":
            kept.put(key, self.page(40))
        self.assertEqual((list(kept.pages), kept.size), (["b", "c"], 80))
        kept.put("huge", self.page(101))
        kept.put("c", self.page(20))  # replaced, counted once
        self.assertEqual((list(kept.pages), kept.size), (["b", "c"], 60))


class SecondRequestTests(TestCase):
    """A page enters the shared cache on its second request within its time there: the
    archive's long tail, each page asked once, neither pays for storing nor fills it."""

    def stores(self, client, url):
        """Whether asking for ``url`` stores a page in the shared cache."""
        default = caches["default"]
        with mock.patch.object(default, "set", wraps=default.set) as store:
            self.assertEqual(client.get(url).status_code, 200)
        return any(call.args[0] != GENERATION_KEY for call in store.call_args_list)

    def test_a_page_is_stored_on_its_second_request_and_served_from_there_on(self):
        url = make_article().get_absolute_url()
        self.assertFalse(self.stores(self.client, url))
        self.assertTrue(self.stores(self.client, url))
        with self.assertNumQueries(0):
            self.client.get(url)

    def test_a_page_asked_again_after_its_time_in_the_cache_counts_as_asked_once(self):
        url = make_article().get_absolute_url()
        with time_machine.travel(timezone.now(), tick=False) as clock:
            self.assertFalse(self.stores(self.client, url))
            clock.shift(timedelta(seconds=60))
            self.assertFalse(self.stores(self.client, url))
            clock.shift(timedelta(seconds=59))
            self.assertTrue(self.stores(self.client, url))

    # The local-memory cache expires entries by the (travelled) clock.
    @override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    )
    def test_a_page_expired_from_the_cache_is_stored_again_at_once(self):
        url = make_article().get_absolute_url()
        caches["default"].clear()  # local-memory caches of one location share one store
        with time_machine.travel(timezone.now(), tick=False) as clock:
            ask_until_cached(self.client, url)
            clock.shift(timedelta(seconds=30))
            self.client.get(url)  # a hit, but asked all the same
            clock.shift(timedelta(seconds=31))
            self.assertTrue(self.stores(self.client, url))

    def test_each_page_counts_its_own_requests(self):
        first, second = (make_article().get_absolute_url() for _ in range(2))
        self.client.get(first)
        self.assertFalse(self.stores(self.client, second))

    def test_the_worker_remembers_the_latest_pages_only(self):
        asked = RecentlyAsked(size=2)
        for key in "abc":
            self.assertIsNone(asked.last(key, now=0))
        self.assertEqual(list(asked.asked), ["b", "c"])
        self.assertIsNone(asked.last("a", now=1))
        self.assertEqual(asked.last("c", now=2), 0)


class StoredPageTests(TestCase):
    """A hit answers before the middleware stack, with everything the stack gave the page."""

    def test_a_hit_carries_every_header_of_the_page_built(self):
        article = make_article()
        built = ask_until_cached(self.client, article.get_absolute_url())
        with self.assertNumQueries(0):
            hit = self.client.get(article.get_absolute_url())
        self.assertEqual(dict(hit.items()), dict(built.items()))
        for header in ("ETag", "Last-Modified", "Content-Security-Policy", "X-Frame-Options"):
            self.assertIn(header, hit)

    def test_a_hit_answers_304_to_its_etag_and_its_date(self):
        article = make_article()
        built = ask_until_cached(self.client, article.get_absolute_url())
        for condition in (
            {"HTTP_IF_NONE_MATCH": built["ETag"]},
            {"HTTP_IF_MODIFIED_SINCE": built["Last-Modified"]},
        ):
            with self.subTest(condition=condition), self.assertNumQueries(0):
                response = self.client.get(article.get_absolute_url(), **condition)
                self.assertEqual(response.status_code, 304)
                self.assertEqual(response["ETag"], built["ETag"])

    def test_a_browser_coming_back_after_an_edit_gets_the_edited_page(self):
        # A browser may keep no page (max-age=0): it asks with what it holds, and gets a 304
        # while nothing changed, the edited page once something has.
        article = make_article(title="Frappes sur Kyiv")
        seen = self.client.get(HOME)
        self.assertIn("max-age=0", seen["Cache-Control"])
        again = self.client.get(HOME, HTTP_IF_NONE_MATCH=seen["ETag"])
        self.assertEqual(again.status_code, 304)
        article.title = "Frappes massives sur Kyiv"
        article.save()
        after_edit = self.client.get(HOME, HTTP_IF_NONE_MATCH=seen["ETag"])
        self.assertEqual(after_edit.status_code, 200)
        self.assertContains(after_edit, "Frappes massives sur Kyiv")


class ForgedCookieTests(TestCase):
    """Nobody forces misses for free: only signing in takes a reader out of the shared cache."""

    def setUp(self):
        self.article = make_article()
        ask_until_cached(self.client, self.article.get_absolute_url())

    def test_a_made_up_session_cookie_gets_the_cached_public_page(self):
        self.client.cookies["sessionid"] = "made-up-session-key"
        with self.assertNumQueries(0):
            response = self.client.get(self.article.get_absolute_url())
        self.assertIn("public", response["Cache-Control"])

    def test_a_made_up_editor_marker_gets_the_cached_public_page(self):
        self.client.cookies["sessionid"] = "made-up-session-key"
        self.client.cookies[EDITOR_COOKIE] = "1:forged-signature"
        with self.assertNumQueries(0):
            response = self.client.get(self.article.get_absolute_url())
        self.assertIn("public", response["Cache-Control"])

    def test_signing_in_gives_the_marker_and_signing_out_takes_it_back(self):
        editor = make_user("Éditeurs")
        signed_in = self.client.post(
            reverse("admin:login"), {"username": editor.username, "password": "x"}
        )
        self.assertTrue(signed_in.cookies[EDITOR_COOKIE].value)
        self.assertTrue(signed_in.cookies[EDITOR_COOKIE]["httponly"])
        page = self.client.get(self.article.get_absolute_url())
        self.assertIn("private", page["Cache-Control"])

        signed_out = self.client.post(reverse("admin:logout"))
        self.assertEqual(signed_out.cookies[EDITOR_COOKIE].value, "")
        page = self.client.get(self.article.get_absolute_url())
        self.assertIn("public", page["Cache-Control"])


class CanonicalAddressTests(TestCase):
    """Only the page number tells reader pages apart, written as the site's links write it."""

    @classmethod
    def setUpTestData(cls):
        cls.articles = make_archive(13)  # two pages of the home page

    def test_page_numbers_written_otherwise_redirect_before_the_view_runs(self):
        for written, canonical in (
            ("1", HOME),
            ("01", HOME),
            ("+2", "?page=2"),
            (" 2", "?page=2"),
            ("002", "?page=2"),
        ):
            with self.subTest(written=written), self.assertNumQueries(0):
                response = self.client.get(HOME, {"page": written, "utm_source": "x"})
            expected = HOME + canonical if canonical.startswith("?") else canonical
            self.assertRedirects(response, expected, 301, fetch_redirect_response=False)

    def test_pages_link_to_each_other_at_their_canonical_addresses(self):
        self.assertContains(self.client.get(HOME), '<a href="?page=2" rel="next">')
        second = self.client.get(HOME, {"page": "2", "utm_source": "x"})
        self.assertContains(second, f'<a href="{HOME}" rel="prev">')

    def test_what_is_no_page_number_is_not_found_before_the_view_runs(self):
        keep_menu(self.client)  # the not-found page's menu, read once per change
        for written in ("last", "0", "-1", "abc", "", "1" * 30, "1000000", ["1", "2"]):
            with self.subTest(written=written), self.assertNumQueries(0):
                self.assertEqual(self.client.get(HOME, {"page": written}).status_code, 404)

    def test_sitemaps_page_numbers_are_made_canonical_too(self):
        published = timezone.localtime(self.articles[0].published_at)
        sitemap = reverse(
            "articles:sitemap-articles", kwargs={"year": published.year, "month": published.month}
        )
        response = self.client.get(sitemap, {"p": "01"})
        self.assertRedirects(response, sitemap, 301, fetch_redirect_response=False)
        self.assertEqual(self.client.get(sitemap, {"p": "last"}).status_code, 404)

    def test_the_view_sees_no_parameter_it_does_not_read(self):
        response = self.client.get(HOME, {"page": "2", "utm_source": "telegram", "q": "x"})
        self.assertEqual(dict(response.context["request"].GET), {"page": ["2"]})
        self.assertNotContains(response, "telegram")

    def test_the_cache_holds_one_entry_per_canonical_page(self):
        article = self.articles[0].get_absolute_url()
        with mock.patch.object(caches["default"], "set", wraps=caches["default"].set) as store:
            # Each address twice: a page is stored on its second request.
            for url, query in 2 * (
                (HOME, {}),
                (HOME, {"page": "1"}),
                (HOME, {"page": "01"}),
                (HOME, {"page": "2"}),
                (HOME, {"page": "02"}),
                (HOME, {"page": "2", "utm_source": "x"}),
                (HOME, {"page": "last"}),
                (article, {}),
                (article, {"page": "5", "fbclid": "y"}),
            ):
                self.client.get(url, query)
        pages = {call.args[0] for call in store.call_args_list if call.args[0] != GENERATION_KEY}
        self.assertEqual(len(pages), 3)


class WorkerMemoryTests(TestCase):
    """A worker keeps the pages it read from the shared cache, and asks it for the generation."""

    @classmethod
    def setUpTestData(cls):
        make_article(title="Gardée en mémoire")

    def reads(self, client, url):
        """(keys read alone, key lists read together, keys written) by one request of ``client``."""
        default = caches["default"]
        with (
            mock.patch.object(default, "get", wraps=default.get) as read,
            mock.patch.object(default, "get_many", wraps=default.get_many) as read_many,
            mock.patch.object(default, "set", wraps=default.set) as store,
            self.assertNumQueries(0),
        ):
            self.assertEqual(client.get(url).status_code, 200)
        return (
            [call.args[0] for call in read.call_args_list],
            [list(call.args[0]) for call in read_many.call_args_list],
            [call.args[0] for call in store.call_args_list],
        )

    def test_a_hit_reads_the_page_and_the_generation_together(self):
        # One round trip to Redis (MGET) for a page this worker has not read yet.
        ask_until_cached(self.client, HOME)
        _, together, written = self.reads(self.client, HOME)
        # (Back-ends without a get_many of their own, files here, call get for each key.)
        self.assertEqual((len(together), written), (1, []))
        self.assertIn(GENERATION_KEY, together[0])

    def test_a_page_the_worker_read_already_costs_a_read_of_the_generation_alone(self):
        # The page itself (tens of kilobytes through Redis's socket) stays in the worker.
        ask_until_cached(self.client, HOME)
        self.client.get(HOME)
        self.assertEqual(self.reads(self.client, HOME), ([GENERATION_KEY], [], []))

    def test_another_worker_reads_the_page_from_the_shared_cache(self):
        ask_until_cached(self.client, HOME)
        _, together, _ = self.reads(Client(), HOME)  # a handler, so a middleware, of its own
        self.assertEqual(len(together), 1)

    # The local-memory cache expires entries by the (travelled) clock.
    @override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    )
    def test_a_kept_page_leaves_the_worker_a_second_before_its_time(self):
        # Redis keeps a page for whole seconds (Django rounds the timeout down): a worker
        # serving its copy longer would show an older page than a neighbour that built it anew.
        caches["default"].clear()  # local-memory caches of one location share one store
        with time_machine.travel(timezone.now(), tick=False) as clock:
            ask_until_cached(self.client, HOME)
            self.client.get(HOME)
            clock.shift(timedelta(seconds=58.9))
            self.assertEqual(self.reads(self.client, HOME)[:2], ([GENERATION_KEY], []))
            clock.shift(timedelta(seconds=0.2))
            # (The local-memory cache's get_many calls its get for each key.)
            self.assertEqual(len(self.reads(self.client, HOME)[1]), 1)


class SearchIsNeverSharedTests(TestCase):
    def test_search_results_with_or_without_filters_are_private(self):
        make_article(title="Corée du Nord", tags=["Ukraine"])
        for query in ({"q": "coree"}, {"q": "coree", "tag": "ukraine", "from": "2020-01-01"}):
            with self.subTest(query=query):
                response = self.client.get(reverse("articles:search"), query)
                self.assertIn("private", response["Cache-Control"])
                self.assertIn("no-store", response["Cache-Control"])


class RedisClientTests(SimpleTestCase):
    def test_every_call_shares_one_client_per_connection_pool(self):
        # Django made a client for each call, 0.3 ms of a cache hit. Nothing connects here.
        client = RedisCache("redis://127.0.0.1:6379/9", {})._cache
        self.assertIs(client.get_client("a"), client.get_client("b", write=True))


class FileCacheTests(SimpleTestCase):
    def test_pages_are_stored_as_they_are_and_read_back(self):
        # Uncompressed: a hit then costs no decompression of the page.
        with tempfile.TemporaryDirectory() as folder:
            cache = FileBasedCache(folder, {})
            page = "<h1>Des troupes nord-coréennes soutiennent la Russie</h1>" * 20
            cache.set("page", page)
            (name,) = os.listdir(folder)
            with open(os.path.join(folder, name), "rb") as file:
                self.assertIn(page.encode(), file.read())
            self.assertEqual(cache.get("page"), page)

    def test_the_folder_is_listed_once_in_a_while_and_stays_near_its_bound(self):
        with tempfile.TemporaryDirectory() as folder:
            cache = FileBasedCache(folder, {"OPTIONS": {"MAX_ENTRIES": 60}})
            largest = 0
            with mock.patch.object(
                cache, "_list_cache_files", wraps=cache._list_cache_files
            ) as listing:
                for n in range(200):
                    cache.set(f"page-{n}", "<html>")
                    largest = max(largest, len(os.listdir(folder)))
            self.assertEqual(listing.call_count, 200 // cache.CULL_EVERY)
            self.assertLessEqual(largest, 60 + cache.CULL_EVERY)
