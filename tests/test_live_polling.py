"""The endpoint live pages poll: only what the reader lacks, cheap, cacheable, conditional."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from unittest import skipIf

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_max_age

from live import polling
from live.models import LiveCoverage, LiveUpdate
from tests.factories import make_article, make_live, post_update


def poll_url(coverage, after):
    return reverse("live:poll", args=[coverage.pk]) + f"?after={after}"


class PollTests(TestCase):
    """Every write here commits (on_commit runs), as the admin's do."""

    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.coverage = make_live()
            self.first = post_update(self.coverage, body="<p>Première</p>")
            self.second = post_update(self.coverage, body="<p>Deuxième</p>")

    def committed(self):
        return self.captureOnCommitCallbacks(execute=True)

    def poll(self, after, **headers):
        return self.client.get(poll_url(self.coverage, after), headers=headers)

    def test_only_the_updates_after_the_readers_number_come(self):
        data = self.poll(self.first.sequence).json()
        self.assertEqual(data["sequence"], self.second.sequence)
        self.assertEqual([u["id"] for u in data["updates"]], [self.second.pk])
        self.assertIn("Deuxième", data["updates"][0]["html"])
        self.assertTrue(data["live"])

    def test_an_up_to_date_reader_gets_nothing_new(self):
        data = self.poll(self.second.sequence).json()
        self.assertEqual((data["updates"], data["withdrawn"]), ([], []))

    def test_a_correction_comes_again_and_a_deletion_is_announced(self):
        seen = self.second.sequence
        with self.committed():
            self.first.body = "<p>Première, corrigée</p>"
            self.first.save()
            self.second.withdraw()
        data = self.poll(seen).json()
        self.assertEqual([u["id"] for u in data["updates"]], [self.first.pk])
        self.assertIn("corrigée", data["updates"][0]["html"])
        self.assertEqual(data["withdrawn"], [self.second.pk])

    def test_shared_caches_may_keep_it_a_few_seconds(self):
        response = self.poll(0)
        self.assertIn("public", response["Cache-Control"])
        self.assertLessEqual(get_max_age(response), 10)
        self.assertEqual(response["Content-Type"], "application/json")

    def test_a_repeated_question_gets_a_304_without_the_database(self):
        response = self.poll(self.first.sequence)
        etag = response["ETag"]
        with self.assertNumQueries(0):
            again = self.poll(self.first.sequence, if_none_match=etag)
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again["ETag"], etag)
        self.assertLessEqual(get_max_age(again), 10)

    def test_a_new_update_changes_the_etag(self):
        etag = self.poll(self.second.sequence)["ETag"]
        with self.committed():
            post_update(self.coverage)
        response = self.poll(self.second.sequence, if_none_match=etag)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()["updates"]), 1)

    def test_polls_after_a_change_read_the_cache_not_the_database(self):
        """The state is cached at write time; an answer is built once for everyone."""
        self.poll(self.second.sequence)
        with self.committed():
            third = post_update(self.coverage)
        with self.assertNumQueries(1):  # the new answer, once
            self.poll(self.second.sequence)
        with self.assertNumQueries(0):  # every other reader asking the same
            for _ in range(20):
                self.poll(self.second.sequence)
                self.poll(third.sequence)

    def test_without_the_cache_a_poll_costs_two_small_queries(self):
        cache.clear()
        with self.assertNumQueries(2):
            self.assertEqual(self.poll(0).status_code, 200)

    def test_a_closed_coverage_says_so(self):
        with self.committed():
            self.coverage.close()
            self.coverage.save()
        data = self.poll(self.second.sequence).json()
        self.assertFalse(data["live"])
        self.assertIn("terminé", data["message"])

    def test_a_coverage_closing_by_itself_changes_the_answer(self):
        etag = self.poll(self.second.sequence)["ETag"]
        later = timezone.now() + timedelta(hours=self.coverage.close_after_hours, minutes=1)
        with time_machine.travel(later):
            response = self.poll(self.second.sequence, if_none_match=etag)
            self.assertEqual(response.status_code, 200)
            self.assertFalse(response.json()["live"])

    def test_a_number_from_the_future_asks_the_page_to_reload(self):
        self.assertTrue(self.poll(self.second.sequence + 100).json()["reload"])

    def test_too_many_changes_ask_the_page_to_reload(self):
        with self.committed():
            for _ in range(polling.MAX_CHANGES + 1):
                post_update(self.coverage)
        self.assertTrue(self.poll(0).json()["reload"])

    def test_a_bad_number_is_a_400(self):
        for value in ["", "-1", "abc", "1e3", "٣", "01", "9" * 12, "1%00"]:
            with self.subTest(value=value):
                self.assertEqual(self.poll(value).status_code, 400)

    def test_unknown_or_unpublished_coverage_is_a_404(self):
        draft = make_live(article=make_article(status="draft"))
        for pk in (draft.pk, 999999, 2**63, 10**30):
            with self.subTest(pk=pk):
                url = f"/live/{pk}/updates.json?after=0"
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_publishing_the_article_opens_its_polls_at_once(self):
        with self.committed():
            draft = make_live(article=make_article(status="draft"))
        url = poll_url(draft, 0)
        self.assertEqual(self.client.get(url).status_code, 404)
        article = draft.article
        with self.committed():
            article.publish()
            article.save()
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_only_get_and_head(self):
        self.assertEqual(self.client.post(poll_url(self.coverage, 0)).status_code, 405)


@override_settings(READER_CACHE_SECONDS=60)
class LivePageCacheTests(TestCase):
    def test_a_new_update_shows_at_once_on_the_cached_page(self):
        coverage = make_live()
        url = coverage.article.get_absolute_url()
        post_update(coverage, body="<p>Avant</p>")
        self.assertContains(self.client.get(url), "Avant")
        self.assertContains(self.client.get(url), "Avant")  # from the page cache
        post_update(coverage, body="<p>Après</p>")
        self.assertContains(self.client.get(url), "Après")


class ConcurrentPostingTests(TransactionTestCase):
    def test_each_change_gets_its_own_number_and_the_article_lock_is_untouched(self):
        coverage = make_live()
        version = coverage.article.version
        updates = [post_update(coverage) for _ in range(5)]
        self.assertEqual([u.sequence for u in updates], [1, 2, 3, 4, 5])
        coverage.article.refresh_from_db()
        self.assertEqual(coverage.article.version, version)
        coverage.refresh_from_db()
        self.assertEqual(coverage.sequence, 5)
        # Committed: the state the polls read was renewed after each commit.
        self.assertEqual(polling.state(coverage.pk).sequence, 5)

    def test_saving_settings_read_before_updates_keeps_their_numbers(self):
        coverage = make_live()
        stale = LiveCoverage.objects.get(pk=coverage.pk)
        post_update(coverage)
        post_update(coverage)
        stale.close_after_hours = 12
        stale.save()
        coverage.refresh_from_db()
        self.assertEqual((coverage.sequence, coverage.close_after_hours), (2, 12))
        self.assertEqual(polling.state(coverage.pk).sequence, 2)

    @skipIf(
        connection.vendor == "sqlite",
        "threads share SQLite's in-memory test database, whose locks fail at once instead of "
        "waiting; tests/test_sqlite_writers.py shows writers in real processes on a file",
    )
    def test_editors_posting_at_the_same_moment_each_get_their_update_and_number(self):
        """Four threads, each with its own database connection, post ten updates each."""
        coverage = make_live()

        def editor():
            try:
                for _ in range(10):
                    post_update(LiveCoverage.objects.get(pk=coverage.pk))
            finally:
                connection.close()

        with ThreadPoolExecutor(4) as pool:
            for future in [pool.submit(editor) for _ in range(4)]:
                future.result()
        numbers = sorted(LiveUpdate.objects.values_list("sequence", flat=True))
        self.assertEqual(numbers, list(range(1, 41)))
        coverage.refresh_from_db()
        self.assertEqual(coverage.sequence, 40)
