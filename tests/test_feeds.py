"""RSS 2.0 and Atom feeds of the site, a tag and an author, as a feed reader parses them."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

from django.contrib.sites.models import Site
from django.test import TestCase, override_settings
from django.utils import timezone

from articles.models import Article, Author
from tests.factories import make_archive, make_article, make_author, make_section

SITE = "https://news.example"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


@override_settings(SITE_URL=SITE, ALLOWED_HOSTS=["testserver"])
class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.anne = make_author(name="Anne Reporter", slug="anne-reporter")
        cls.karim = make_author(name="Karim Envoyé", slug="karim-envoye")
        cls.article = make_article(
            title="Trêve à Gaza",
            standfirst="L’Égypte et le Qatar négocient.",
            published_at=datetime(2024, 10, 27, 19, 45, tzinfo=UTC),
            tags=["Gaza", "Proche-Orient"],
            authors=[cls.anne, cls.karim],
        )
        cls.older = make_article(
            title="Frappe sur Kharkiv",
            published_at=datetime(2024, 10, 26, 8, 0, tzinfo=UTC),
            tags=["Ukraine"],
            authors=[cls.anne],
        )
        make_article(title="Brouillon secret", status=Article.Status.DRAFT, tags=["Gaza"])
        make_article(title="Embargo", published_at=timezone.now() + timedelta(hours=1))

    def parse(self, path):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return response, ElementTree.fromstring(response.content)

    def assert_links_resolve(self, urls):
        self.assertTrue(urls)
        for url in urls:
            with self.subTest(url=url):
                self.assertTrue(url.startswith(SITE + "/"), url)
                self.assertEqual(self.client.get(urlsplit(url).path).status_code, 200, url)

    def test_rss_lists_published_articles_with_every_field(self):
        response, rss = self.parse("/rss/")
        self.assertEqual(response["Content-Type"], "application/rss+xml; charset=utf-8")
        channel = rss.find("channel")
        self.assertEqual(channel.findtext("link"), f"{SITE}/")
        self.assertEqual(channel.findtext("language"), "fr")
        self.assertEqual(
            channel.findtext("description"),
            "L'actualité des guerres et des crises en français, et ses archives.",
        )
        items = channel.findall("item")
        self.assertEqual(
            [item.findtext("title") for item in items], ["Trêve à Gaza", "Frappe sur Kharkiv"]
        )
        first = items[0]
        self.assertEqual(first.findtext("description"), "L’Égypte et le Qatar négocient.")
        self.assertEqual(first.findtext("link"), SITE + self.article.get_absolute_url())
        self.assertEqual(first.findtext(f"{DC}creator"), "Anne Reporter, Karim Envoyé")
        self.assertEqual(
            sorted(category.text for category in first.findall("category")),
            ["Gaza", "Proche-Orient"],
        )
        self.assertEqual(first.findtext("pubDate"), "Sun, 27 Oct 2024 19:45:00 +0000")

    def test_atom_lists_published_articles_with_every_field(self):
        response, feed = self.parse("/atom/")
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
        self.assertEqual(self_link, f"{SITE}/atom/")
        entries = feed.findall(f"{ATOM}entry")
        self.assertEqual(len(entries), 2)
        first = entries[0]
        self.assertEqual(first.findtext(f"{ATOM}title"), "Trêve à Gaza")
        self.assertEqual(first.findtext(f"{ATOM}summary"), "L’Égypte et le Qatar négocient.")
        self.assertEqual(
            first.find(f"{ATOM}link").get("href"), SITE + self.article.get_absolute_url()
        )
        self.assertEqual(first.findtext(f"{ATOM}author/{ATOM}name"), "Anne Reporter, Karim Envoyé")
        self.assertEqual(
            sorted(category.get("term") for category in first.findall(f"{ATOM}category")),
            ["Gaza", "Proche-Orient"],
        )
        self.assertEqual(first.findtext(f"{ATOM}published"), "2024-10-27T19:45:00+00:00")
        self.assertIsNotNone(first.findtext(f"{ATOM}updated"))

    def test_rss_guid_and_atom_id_are_the_short_link_and_survive_a_slug_change(self):
        short_url = f"{SITE}/a/{self.article.pk}/"

        def ids():
            _, rss = self.parse("/rss/")
            _, atom = self.parse("/atom/")
            guid = rss.find("channel/item/guid")
            self.assertEqual(guid.get("isPermaLink"), "true")
            return guid.text, atom.findtext(f"{ATOM}entry/{ATOM}id")

        self.assertEqual(ids(), (short_url, short_url))
        self.article.slug = "treve-a-gaza-mise-a-jour"
        self.article.save()
        self.assertEqual(ids(), (short_url, short_url))
        self.assertRedirects(
            self.client.get(short_url.removeprefix(SITE)),
            self.article.get_absolute_url(),
            status_code=301,
            fetch_redirect_response=False,
        )

    def test_tag_and_author_feeds_list_only_their_articles(self):
        for path, title in (
            ("/tags/gaza/rss/", "Gaza – Newsroom"),
            ("/tags/gaza/atom/", "Gaza – Newsroom"),
            ("/authors/karim-envoye/rss/", "Karim Envoyé – Newsroom"),
            ("/authors/karim-envoye/atom/", "Karim Envoyé – Newsroom"),
        ):
            with self.subTest(path=path):
                _, feed = self.parse(path)
                titles = [e.text for e in feed.iter() if e.tag in ("title", f"{ATOM}title")]
                self.assertEqual(titles, [title, "Trêve à Gaza"])

    def test_every_link_in_every_feed_resolves(self):
        for path in (
            "/rss/",
            "/atom/",
            "/tags/gaza/rss/",
            "/tags/ukraine/atom/",
            "/authors/anne-reporter/rss/",
            "/authors/anne-reporter/atom/",
        ):
            with self.subTest(path=path):
                _, feed = self.parse(path)
                urls = [e.text for e in feed.iter("link") if e.text]
                urls += [e.get("href") for e in feed.iter(f"{ATOM}link")]
                self.assert_links_resolve(urls)

    def test_drafts_and_scheduled_articles_stay_out_of_every_feed(self):
        for path in ("/rss/", "/atom/", "/tags/gaza/rss/"):
            with self.subTest(path=path):
                content = self.client.get(path).content.decode()
                self.assertNotIn("Brouillon secret", content)
                self.assertNotIn("Embargo", content)

    def test_unknown_or_draft_only_tag_and_unknown_author_have_no_feed(self):
        make_article(tags=["Secret"], status=Article.Status.DRAFT)
        for path in ("/tags/nope/rss/", "/tags/secret/atom/", "/authors/nobody/rss/"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)


class FeedListTests(TestCase):
    def test_every_feed_lists_its_thirty_newest_published_articles_newest_first(self):
        anne, europe = make_author(slug="anne"), make_section(slug="europe")
        make_archive(32, authors=[anne])
        Article.objects.update(section=europe)
        make_article(
            title="Embargo",
            published_at=timezone.now() + timedelta(hours=1),
            tags=["Ukraine"],
            authors=[anne],
            section=europe,
        )
        newest = [f"Archive piece {i}" for i in range(30)]
        for path in ("/rss/", "/tags/ukraine/rss/", "/authors/anne/rss/", "/sections/europe/rss/"):
            with self.subTest(path=path):
                feed = ElementTree.fromstring(self.client.get(path).content)
                self.assertEqual([item.findtext("title") for item in feed.iter("item")], newest)


class FeedQueryTests(TestCase):
    def test_query_counts_are_constant(self):
        # The syndication framework reads the current Site once per process, as a worker does.
        Site.objects.get_current()
        for size in (2, 30):
            Article.objects.all().delete()
            Author.objects.all().delete()
            make_archive(size, authors=[make_author(slug="anne"), make_author()])
            for path, expected in (
                ("/rss/", 3),
                ("/atom/", 3),
                ("/tags/ukraine/rss/", 4),
                ("/authors/anne/atom/", 4),
            ):
                with self.subTest(size=size, path=path), self.assertNumQueries(expected):
                    self.assertEqual(self.client.get(path).status_code, 200)
