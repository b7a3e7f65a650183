"""Sitemaps and robots.txt, as a search engine's crawler reads them."""

from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import urlsplit
from xml.etree import ElementTree

import time_machine
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from articles import dayindex
from articles.models import Article, Correction, PublicationDay, PublicationMonth
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
        fresh = timezone.localtime(self.fresh.published_at)
        self.assertEqual(
            set(urls),
            {
                SITE + self.old.get_absolute_url(),
                SITE + self.fresh.get_absolute_url(),
                f"{SITE}/tags/ukraine/",
                f"{SITE}/tags/gaza/",
                f"{SITE}/archives/2024/",
                f"{SITE}/archives/2024/10/",
                SITE + f"/archives/{fresh:%Y}/",
                SITE + f"/archives/{fresh:%Y/%m}/",
            },
        )
        for url, lastmod in urls.items():
            with self.subTest(url=url):
                # Tag pages alone go without: their lastmod would read every tagging.
                self.assertEqual(lastmod is None, "/tags/" in url)
                self.assertEqual(self.client.get(local_path(url)).status_code, 200)

    def test_index_has_one_articles_file_per_month_with_its_last_change(self):
        make_article(title="Octobre encore", published_at=datetime(2024, 10, 3, 8, 0, tzinfo=UTC))
        index = self.parse("/sitemap.xml")
        lastmods = {
            sitemap.findtext(f"{SM}loc"): sitemap.findtext(f"{SM}lastmod")
            for sitemap in index.findall(f"{SM}sitemap")
        }
        fresh = timezone.localtime(self.fresh.published_at)
        october = f"{SITE}/sitemap-articles-2024-10.xml"
        self.assertEqual(
            {loc for loc in lastmods if "/sitemap-articles-" in loc},
            {october, f"{SITE}/sitemap-articles-{fresh:%Y-%m}.xml"},
        )
        self.assertEqual(lastmods[october], f"{timezone.localdate(self.old.last_modified)}")
        self.assertEqual(len(self.parse(local_path(october)).findall(f"{SM}url")), 2)

    def test_an_article_is_in_the_file_of_its_paris_month(self):
        # 23:30 UTC on 31 October is already 1 November in Paris, as its URL says.
        article = make_article(published_at=datetime(2024, 10, 31, 23, 30, tzinfo=UTC))
        november = self.parse("/sitemap-articles-2024-11.xml")
        self.assertEqual(
            [url.findtext(f"{SM}loc") for url in november.findall(f"{SM}url")],
            [SITE + article.get_absolute_url()],
        )
        self.assertIn("/2024/11/01/", article.get_absolute_url())

    def test_each_article_of_a_month_has_its_own_address(self):
        # Two on one day, one on the next: the file reads each day's route once.
        published = [
            datetime(2024, 11, day, hour, tzinfo=UTC) for day, hour in ((5, 8), (5, 9), (6, 8))
        ]
        articles = [make_article(published_at=moment) for moment in published]
        november = self.parse("/sitemap-articles-2024-11.xml")
        self.assertEqual(
            [url.findtext(f"{SM}loc") for url in november.findall(f"{SM}url")],
            [SITE + article.get_absolute_url() for article in articles],
        )

    def test_article_lastmod_is_its_last_change(self):
        urls = self.crawl()
        self.assertEqual(
            urls[SITE + self.old.get_absolute_url()],
            f"{timezone.localtime(self.old.last_modified):%Y-%m-%d}",  # the Paris date
        )

    def test_a_month_over_the_limit_is_split_into_pages(self):
        make_article(published_at=datetime(2024, 10, 3, 8, 0, tzinfo=UTC))
        with mock.patch("articles.sitemaps.MAX_URLS", 1):
            index = self.parse("/sitemap.xml")
            locs = [loc.text for loc in index.iter(f"{SM}loc")]
            self.assertIn(f"{SITE}/sitemap-articles-2024-10.xml", locs)
            self.assertIn(f"{SITE}/sitemap-articles-2024-10.xml?p=2", locs)
            self.assertNotIn(f"{SITE}/sitemap-articles-2024-10.xml?p=3", locs)
            second = self.parse("/sitemap-articles-2024-10.xml?p=2")
            self.assertEqual(len(second.findall(f"{SM}url")), 1)
            self.assertIn(f"{SITE}/sitemap-tags.xml?p=2", locs)
            self.assertEqual(len(self.parse("/sitemap-tags.xml?p=2").findall(f"{SM}url")), 1)

    def test_unknown_files_months_and_pages_are_not_found(self):
        for path in (
            "/sitemap-nope.xml",
            "/sitemap-articles.xml",
            "/sitemap-articles-2024-13.xml",
            "/sitemap-articles-2024-00.xml",
            "/sitemap-articles-2024-09.xml",  # no article that month
            "/sitemap-articles-2099-01.xml",
            "/sitemap-articles-2024-1.xml",
            "/sitemap-articles-2024-10.xml?p=abc",
            "/sitemap-articles-2024-10.xml?p=2",
            "/sitemap-articles-2024-10.xml?p=0",
            "/sitemap-articles-2024-10.xml?p=99999999999999999999",
            "/sitemap-tags.xml?p=2",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_page_numbers_written_otherwise_redirect_to_the_canonical_file(self):
        month_file = "/sitemap-articles-2024-10.xml"
        for written in ("01", "+1", "1 "):
            with self.subTest(written=written):
                response = self.client.get(month_file, {"p": written})
                self.assertRedirects(response, month_file, 301, fetch_redirect_response=False)

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

    def test_news_sitemap_keeps_the_newest_up_to_its_limit(self):
        newest = make_article(title="Encore plus frais", published_at=timezone.now())
        with mock.patch("articles.sitemaps.NEWS_LIMIT", 1):
            urlset = self.parse("/sitemap-news.xml")
        self.assertEqual(
            [url.findtext(f"{SM}loc") for url in urlset.findall(f"{SM}url")],
            [SITE + newest.get_absolute_url()],
        )

    def test_headlines_are_escaped_in_the_news_sitemap(self):
        make_article(title="Gaza & Israël : <trêve>")
        titles = self.parse("/sitemap-news.xml").iter(f"{NEWS}title")
        self.assertIn("Gaza & Israël : <trêve>", [title.text for title in titles])

    def test_drafts_scheduled_articles_and_their_tags_are_not_listed(self):
        make_article(
            title="Brouillon ancien",
            status=Article.Status.DRAFT,
            published_at=datetime(2024, 9, 1, tzinfo=UTC),
        )
        files = [local_path(loc.text) for loc in self.parse("/sitemap.xml").iter(f"{SM}loc")]
        content = "".join(
            self.client.get(path).content.decode() for path in [*files, "/sitemap-news.xml"]
        )
        self.assertNotIn("brouillon", content)
        self.assertNotIn("embargo", content)
        self.assertNotIn("secret", content)
        self.assertNotIn("2024-09", content)


class TagsFileTests(TestCase):
    def test_the_tags_file_is_listed_once_a_tag_is_on_an_article_readers_see(self):
        make_article(title="Sans étiquette")
        make_article(
            title="Embargo", published_at=timezone.now() + timedelta(hours=1), tags=["Secret"]
        )
        self.assertNotIn("/sitemap-tags.xml", self.client.get("/sitemap.xml").content.decode())
        with time_machine.travel(timezone.now() + timedelta(hours=2)):
            cache.clear()
            self.assertIn("/sitemap-tags.xml", self.client.get("/sitemap.xml").content.decode())


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
    def test_query_counts_do_not_grow_with_the_articles_or_the_months(self):
        now = datetime(2020, 2, 15, 12, 0, tzinfo=UTC)
        archives = ((2, datetime(2019, 12, 31, tzinfo=UTC)), (30, datetime(2018, 1, 1, tzinfo=UTC)))
        with time_machine.travel(now, tick=False):
            for size, start in archives:
                Article.objects.all().delete()
                make_archive(size, start=start)
                make_archive(size, start=now)
                month_file = f"/sitemap-articles-{timezone.localtime(start):%Y-%m}.xml"
                for path, expected in (
                    # with one query for the sections, one for the stories and places
                    ("/sitemap.xml", 6),
                    (month_file, 1),
                    ("/sitemap-tags.xml", 2),
                    ("/sitemap-years.xml", 2),
                    ("/sitemap-months.xml", 2),
                    ("/sitemap-news.xml", 1),
                    ("/robots.txt", 0),
                ):
                    with self.subTest(size=size, path=path), self.assertNumQueries(expected):
                        self.assertEqual(self.client.get(path).status_code, 200)


@override_settings(SITE_URL=SITE)
class MonthFileTests(TestCase):
    """The month files of the index, counted at write time, follow every change of an article."""

    def month_files(self):
        cache.clear()  # the page cache in front may keep the index while only time passes
        response = self.client.get("/sitemap.xml")
        index = ElementTree.fromstring(response.content)
        return {
            sitemap.findtext(f"{SM}loc").removeprefix(f"{SITE}/sitemap-articles-"): (
                sitemap.findtext(f"{SM}lastmod")
            )
            for sitemap in index.findall(f"{SM}sitemap")
            if "/sitemap-articles-" in sitemap.findtext(f"{SM}loc")
        }

    def test_publish_move_unpublish_and_delete_are_counted(self):
        article = make_article(published_at=datetime(2024, 10, 27, 18, 0, tzinfo=UTC))
        self.assertEqual(list(self.month_files()), ["2024-10.xml"])
        article.published_at = datetime(2023, 5, 2, 9, 0, tzinfo=UTC)
        article.save()
        self.assertEqual(list(self.month_files()), ["2023-05.xml"])
        article.unpublish()
        article.save()
        self.assertEqual(self.month_files(), {})
        article.publish()
        article.save()
        self.assertEqual(len(self.month_files()), 1)
        article.delete()
        self.assertEqual(self.month_files(), {})

    def test_an_edit_or_a_correction_renews_the_month_lastmod(self):
        published_at = datetime(2024, 10, 27, 18, 0, tzinfo=UTC)
        with time_machine.travel(published_at, tick=False):
            article = make_article(published_at=published_at)
        self.assertEqual(self.month_files(), {"2024-10.xml": "2024-10-27"})
        with time_machine.travel(datetime(2025, 1, 5, 12, 0, tzinfo=UTC), tick=False):
            article.save()
        self.assertEqual(self.month_files(), {"2024-10.xml": "2025-01-05"})
        with time_machine.travel(datetime(2025, 3, 8, 12, 0, tzinfo=UTC), tick=False):
            Correction.objects.create(article=article, text="Une date corrigée.")
        self.assertEqual(self.month_files(), {"2024-10.xml": "2025-03-08"})

    def test_a_scheduled_article_enters_its_month_when_its_time_comes(self):
        now = datetime(2024, 10, 10, 12, 0, tzinfo=UTC)
        with time_machine.travel(now, tick=False):
            make_article(published_at=now + timedelta(days=40))  # in November
            make_article(published_at=now + timedelta(days=1))  # later in October
            self.assertEqual(self.month_files(), {})
        with time_machine.travel(now + timedelta(days=2), tick=False):
            self.assertEqual(list(self.month_files()), ["2024-10.xml"])
        with time_machine.travel(now + timedelta(days=41), tick=False):
            self.assertEqual(list(self.month_files()), ["2024-10.xml", "2024-11.xml"])

    def test_rebuild_counts_what_bulk_writes_left_out(self):
        published_at = datetime(2024, 10, 27, 18, 0, tzinfo=UTC)
        with time_machine.travel(published_at, tick=False):
            make_article(published_at=published_at)
        with time_machine.travel(datetime(2025, 1, 5, 12, 0, tzinfo=UTC), tick=False):
            make_article(published_at=published_at)
        PublicationDay.objects.all().delete()
        PublicationMonth.objects.all().delete()
        self.assertEqual(self.month_files(), {})
        dayindex.rebuild()
        self.assertEqual(self.month_files(), {"2024-10.xml": "2025-01-05"})
        with mock.patch("articles.sitemaps.MAX_URLS", 1):  # two articles: two pages
            self.assertEqual(set(self.month_files()), {"2024-10.xml", "2024-10.xml?p=2"})
