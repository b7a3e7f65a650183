"""Sitemaps and robots.txt, as a search engine's crawler reads them."""

from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import urlsplit
from xml.etree import ElementTree

from django.test import TestCase, override_settings
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import ArticleSitemap
from tests.factories import make_archive, make_article

SITE = "https://news.example"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def local_path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@override_settings(SITE_URL=SITE)
class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.old = make_article(
            title="Octobre",
            published_at=datetime(2024, 10, 27, 18, 0, tzinfo=UTC),
            tags=["Ukraine"],
        )
        cls.fresh = make_article(title="Ce matin", tags=["Gaza"])
        make_article(title="Brouillon", status=Article.Status.DRAFT, tags=["Secret"])
        make_article(title="Embargo", published_at=timezone.now() + timedelta(hours=1))

    def parse(self, path):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        self.assertEqual(response["Content-Type"], "application/xml")
        return ElementTree.fromstring(response.content)

    def crawl(self):
        """Every URL listed by the index's sitemaps, with its lastmod."""
        index = self.parse("/sitemap.xml")
        urls = {}
        for sitemap in index.findall(f"{SM}sitemap"):
            self.assertTrue(sitemap.findtext(f"{SM}loc").startswith(SITE + "/"))
            self.assertIsNotNone(sitemap.findtext(f"{SM}lastmod"))
            urlset = self.parse(local_path(sitemap.findtext(f"{SM}loc")))
            for url in urlset.findall(f"{SM}url"):
                urls[url.findtext(f"{SM}loc")] = url.findtext(f"{SM}lastmod")
        return urls

    def test_index_lists_articles_tags_and_archives_and_every_url_resolves(self):
        urls = self.crawl()
        self.assertEqual(
            set(urls),
            {
                SITE + self.old.get_absolute_url(),
                SITE + self.fresh.get_absolute_url(),
                f"{SITE}/tags/ukraine/",
                f"{SITE}/tags/gaza/",
                f"{SITE}/archives/2024/",
                f"{SITE}/archives/2024/10/",
                SITE + f"/archives/{timezone.localdate():%Y}/",
                SITE + f"/archives/{timezone.localdate():%Y/%m}/",
            },
        )
        for url, lastmod in urls.items():
            with self.subTest(url=url):
                self.assertIsNotNone(lastmod)
                self.assertEqual(self.client.get(local_path(url)).status_code, 200)

    def test_article_lastmod_is_its_last_change(self):
        urls = self.crawl()
        self.assertEqual(
            urls[SITE + self.old.get_absolute_url()], f"{self.old.last_modified:%Y-%m-%d}"
        )

    def test_articles_are_split_into_sections_of_the_limit(self):
        with mock.patch.object(ArticleSitemap, "limit", 1):
            index = self.parse("/sitemap.xml")
            locs = [loc.text for loc in index.iter(f"{SM}loc")]
            self.assertIn(f"{SITE}/sitemap-articles.xml", locs)
            self.assertIn(f"{SITE}/sitemap-articles.xml?p=2", locs)
            second = self.parse("/sitemap-articles.xml?p=2")
            self.assertEqual(len(second.findall(f"{SM}url")), 1)

    def test_bad_section_or_page_is_not_found(self):
        for path in (
            "/sitemap-nope.xml",
            "/sitemap-articles.xml?p=abc",
            "/sitemap-articles.xml?p=99",
            "/sitemap-articles.xml?p=0",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_news_sitemap_lists_only_the_last_two_days(self):
        urlset = self.parse("/sitemap-news.xml")
        [url] = urlset.findall(f"{SM}url")
        self.assertEqual(url.findtext(f"{SM}loc"), SITE + self.fresh.get_absolute_url())
        news = url.find(f"{NEWS}news")
        self.assertEqual(news.findtext(f"{NEWS}publication/{NEWS}name"), "Newsroom")
        self.assertEqual(news.findtext(f"{NEWS}publication/{NEWS}language"), "fr")
        self.assertEqual(news.findtext(f"{NEWS}title"), "Ce matin")
        self.assertEqual(
            datetime.fromisoformat(news.findtext(f"{NEWS}publication_date")),
            self.fresh.published_at,
        )
        self.assertEqual(self.client.get(local_path(url.findtext(f"{SM}loc"))).status_code, 200)

    def test_news_sitemap_stops_at_its_limit(self):
        with mock.patch("articles.sitemaps.NewsSitemap.limit", 1):
            make_article(title="Encore plus frais")
            urlset = self.parse("/sitemap-news.xml")
        self.assertEqual(len(urlset.findall(f"{SM}url")), 1)

    def test_drafts_scheduled_articles_and_their_tags_are_not_listed(self):
        content = "".join(
            self.client.get(path).content.decode()
            for path in ("/sitemap-articles.xml", "/sitemap-tags.xml", "/sitemap-news.xml")
        )
        self.assertNotIn("brouillon", content)
        self.assertNotIn("embargo", content)
        self.assertNotIn("secret", content)


@override_settings(SITE_URL=SITE)
class RobotsTests(TestCase):
    def test_robots_names_the_sitemaps_and_keeps_crawlers_out_of_admin_and_search(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain")
        lines = response.content.decode().splitlines()
        self.assertIn("User-agent: *", lines)
        self.assertIn("Disallow: /admin/", lines)
        self.assertIn("Disallow: /search/", lines)
        self.assertIn(f"Sitemap: {SITE}/sitemap.xml", lines)
        self.assertIn(f"Sitemap: {SITE}/sitemap-news.xml", lines)


class SitemapQueryTests(TestCase):
    def test_query_counts_are_constant(self):
        start = datetime(2019, 12, 31, 12, 0, tzinfo=UTC)
        for size in (2, 30):
            Article.objects.all().delete()
            make_archive(size, start=start)
            make_archive(size, start=timezone.now())
            for path, expected in (
                ("/sitemap.xml", 10),  # two per section, one per empty one (stories, places)
                ("/sitemap-articles.xml", 2),
                ("/sitemap-tags.xml", 2),
                ("/sitemap-years.xml", 2),
                ("/sitemap-months.xml", 2),
                ("/sitemap-news.xml", 2),
                ("/robots.txt", 0),
            ):
                with self.subTest(size=size, path=path), self.assertNumQueries(expected):
                    self.assertEqual(self.client.get(path).status_code, 200)
