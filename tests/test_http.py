"""HTTP behaviour of the shared pages: conditional requests, and no address from the Host header."""

from datetime import UTC, datetime, timedelta
from unittest import mock

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone
from django.utils.http import http_date

from tests.factories import make_article


class ConditionalGetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(
            tags=["Ukraine"], published_at=datetime(2024, 10, 27, 18, 0, tzinfo=UTC)
        )
        cls.author = cls.article.authors.get()
        make_article(title="Ce matin")  # Keeps the Google News sitemap from being empty.

    def paths(self):
        return (
            self.article.get_absolute_url(),
            "/rss/",
            "/atom/",
            "/tags/ukraine/rss/",
            f"/authors/{self.author.slug}/atom/",
            "/sitemap.xml",
            "/sitemap-articles-2024-10.xml",
            "/sitemap-news.xml",
        )

    def test_pages_feeds_and_sitemaps_send_etag_and_last_modified(self):
        for path in self.paths():
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertTrue(response.has_header("ETag"))
                self.assertTrue(response.has_header("Last-Modified"))

    def test_unchanged_content_answers_304_to_either_validator(self):
        for path in self.paths():
            with self.subTest(path=path):
                first = self.client.get(path)
                by_etag = self.client.get(path, headers={"if-none-match": first["ETag"]})
                self.assertEqual(by_etag.status_code, 304)
                by_date = self.client.get(
                    path, headers={"if-modified-since": first["Last-Modified"]}
                )
                self.assertEqual(by_date.status_code, 304)

    def last_modified(self):
        return self.client.get(self.article.get_absolute_url())["Last-Modified"]

    def test_article_last_modified_is_its_last_save(self):
        self.article.standfirst = "Corrigé."
        self.article.save()
        self.assertEqual(self.last_modified(), http_date(self.article.updated_at.timestamp()))

    def test_article_last_modified_follows_its_related_list(self):
        related = make_article(tags=["Ukraine"], published_at=timezone.now() + timedelta(hours=2))
        self.assertEqual(self.last_modified(), http_date(self.article.updated_at.timestamp()))
        # The related article appears when its time comes, and the page changes with it.
        cache.clear()  # A page cache in front may keep the former page for a while.
        with mock.patch("django.utils.timezone.now", return_value=related.published_at):
            self.assertEqual(self.last_modified(), http_date(related.published_at.timestamp()))


@override_settings(SITE_URL="https://news.example", ALLOWED_HOSTS=["evil.example"])
class HostHeaderTests(TestCase):
    def test_no_page_builds_an_address_from_the_host_header(self):
        article = make_article(tags=["Ukraine"], published_at=datetime(2024, 10, 27, tzinfo=UTC))
        author = article.authors.get()
        paths = [
            "/",
            article.get_absolute_url(),
            article.get_short_url(),
            f"/articles/2001/01/01/{article.slug}/",
            "/tags/ukraine/",
            author.get_absolute_url(),
            "/archives/2024/",
            "/archives/2024/10/",
            "/archives/2024/10/27/",
            "/rss/",
            "/atom/",
            "/tags/ukraine/rss/",
            "/tags/ukraine/atom/",
            f"/authors/{author.slug}/rss/",
            f"/authors/{author.slug}/atom/",
            "/sitemap.xml",
            "/sitemap-articles-2024-10.xml",
            "/sitemap-tags.xml",
            "/sitemap-years.xml",
            "/sitemap-months.xml",
            "/sitemap-news.xml",
            "/robots.txt",
            "/no/such/page/",
        ]
        for path in paths:
            with self.subTest(path=path):
                response = self.client.get(path, HTTP_HOST="evil.example")
                self.assertLess(response.status_code, 500)
                self.assertNotIn("evil.example", response.content.decode())
                self.assertNotIn("evil.example", response.get("Location", ""))
