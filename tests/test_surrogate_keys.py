"""Surrogate keys name what each shared page shows; a save purges exactly those at the proxies,
once committed, and a proxy that fails is logged and retried, never failing the save."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction
from edge import purge
from edge.keys import HEADER
from live.models import LiveCoverage, LiveUpdate
from tests.factories import make_article, make_author, make_user, sign_in


def keys(response):
    return set(response[HEADER].split())


class PageKeysTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.author = make_author(slug="anna")
        cls.article = make_article(tags=["Ukraine"], authors=[cls.author])
        cls.neighbour = make_article(tags=["Ukraine"], authors=[cls.author])

    def test_an_article_page_names_the_article_its_tags_authors_and_related_articles(self):
        response = self.client.get(self.article.get_absolute_url())
        tag = self.article.tags.get()
        self.assertLessEqual(
            {
                f"article-{self.article.pk}",
                f"tag-{tag.pk}",
                f"author-{self.author.pk}",
                f"article-{self.neighbour.pk}",
                "all",
            },
            keys(response),
        )
        # Another article's publication does not change this page's listing: no "home".
        self.assertNotIn("home", keys(response))

    def test_a_hit_from_the_sites_own_cache_carries_the_same_keys(self):
        first = self.client.get(self.article.get_absolute_url())
        self.assertEqual(keys(self.client.get(self.article.get_absolute_url())), keys(first))

    def test_listings_name_what_they_list_by(self):
        local = timezone.localdate(self.article.published_at)
        pages = {
            reverse("articles:home"): "home",
            reverse("articles:feed-rss"): "home",
            reverse("articles:tag", kwargs={"slug": "ukraine"}): "tag:ukraine",
            reverse("articles:tag-feed-atom", kwargs={"slug": "ukraine"}): "tag:ukraine",
            reverse("articles:author", kwargs={"slug": "anna"}): "author:anna",
            reverse("articles:archive-month", kwargs={"year": local.year, "month": local.month}): (
                f"archive:{local:%Y-%m}"
            ),
        }
        for path, key in pages.items():
            with self.subTest(path):
                response = self.client.get(path)
                self.assertIn(key, keys(response))
                self.assertIn(f"article-{self.article.pk}", keys(response))

    def test_pages_for_one_reader_carry_no_keys(self):
        sign_in(self.client, make_user("Éditeurs"))
        response = self.client.get(self.article.get_absolute_url())
        self.assertIn("private", response["Cache-Control"])
        self.assertNotIn(HEADER, response)
        self.client.logout()
        self.assertNotIn(HEADER, self.client.get(reverse("articles:search"), {"q": "x"}))


@override_settings(PURGE_URLS=["http://proxy.invalid"])
class PurgeOnSaveTests(TestCase):
    """What each change purges, sent once its transaction commits."""

    def purged(self, change):
        with (
            mock.patch.object(purge.purger, "send") as send,
            self.captureOnCommitCallbacks(execute=True),
        ):
            change()
        return set().union(*(call.args[0] for call in send.call_args_list))

    def test_an_edit_purges_the_article_and_the_listings_it_is_in(self):
        article = make_article(tags=["Ukraine"], authors=[make_author(slug="boris")])
        day = timezone.localdate(article.published_at)

        def edit():
            article.title = "Un titre corrigé"
            article.save()

        self.assertLessEqual(
            {
                f"article-{article.pk}",
                "home",
                "tag:ukraine",
                "author:boris",
                f"archive:{day:%Y}",
                f"archive:{day:%Y-%m}",
                f"archive:{day:%Y-%m-%d}",
            },
            self.purged(edit),
        )

    def test_a_new_date_purges_the_archives_left_and_entered(self):
        article = make_article(published_at=timezone.now() - timedelta(days=400))
        before = timezone.localdate(article.published_at)

        def redate():
            article.published_at = timezone.now() - timedelta(hours=2)
            article.save()

        purged = self.purged(redate)
        after = timezone.localdate(article.published_at)
        self.assertLessEqual({f"archive:{before:%Y-%m-%d}", f"archive:{after:%Y-%m-%d}"}, purged)

    def test_a_correction_purges_its_article(self):
        article = make_article()
        purged = self.purged(lambda: Correction.objects.create(article=article, text="Corrigé."))
        self.assertIn(f"article-{article.pk}", purged)

    def test_a_live_update_purges_its_article(self):
        coverage = LiveCoverage.objects.create(article=make_article())
        purged = self.purged(lambda: LiveUpdate.objects.create(coverage=coverage, body="<p>x</p>"))
        self.assertIn(f"article-{coverage.pk}", purged)

    def test_retagging_purges_the_tag_left_and_the_tag_entered(self):
        article = make_article(tags=["Ukraine"])
        self.assertLessEqual(
            {"tag:ukraine", "tag:russie"}, self.purged(lambda: article.tags.set(["Russie"]))
        )

    def test_nothing_is_sent_for_a_transaction_rolled_back(self):
        with (
            mock.patch.object(purge.purger, "send") as send,
            self.captureOnCommitCallbacks(execute=False),
        ):
            make_article()
        send.assert_not_called()


class Proxy(BaseHTTPRequestHandler):
    """A proxy that refuses the first ``failures`` purges, then accepts them."""

    def do_PURGE(self):
        server = self.server
        server.received.append(self.headers["xkey-purge"])
        status = 503 if len(server.received) <= server.failures else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class FailingProxyTests(TestCase):
    def start_proxy(self, failures):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
        server.received, server.failures = [], failures
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server

    def test_a_failed_purge_is_logged_and_retried_until_it_succeeds(self):
        proxy = self.start_proxy(failures=2)
        article = make_article()
        url = f"http://127.0.0.1:{proxy.server_port}/"
        with (
            override_settings(PURGE_URLS=[url]),
            mock.patch.object(purge, "RETRY_DELAYS", (0.05, 0.05, 0.05)),
            self.assertLogs("edge.purge", "INFO") as logs,
        ):
            with self.captureOnCommitCallbacks(execute=True):
                article.title = "Corrigé"
                article.save()
            self.assertTrue(purge.purger.wait(10))
        self.assertEqual(len(proxy.received), 3)
        self.assertIn(f"article-{article.pk}", proxy.received[-1].split())
        self.assertEqual(sum("failed" in line for line in logs.output), 2)
        self.assertIn("Purged", logs.output[-1])

    def test_a_proxy_that_never_answers_is_given_up_on_and_the_save_stands(self):
        article = make_article()
        with (
            override_settings(PURGE_URLS=["http://127.0.0.1:9/"]),
            mock.patch.object(purge, "RETRY_DELAYS", (0.05,)),
            self.assertLogs("edge.purge", "WARNING") as logs,
        ):
            with self.captureOnCommitCallbacks(execute=True):
                article.title = "Sauvé quand même"
                article.save()
            self.assertTrue(purge.purger.wait(10))
        article.refresh_from_db()
        self.assertEqual(article.title, "Sauvé quand même")
        self.assertIn("given up", logs.output[-1])
