"""Sections (rubriques): the menu, each section's page, feeds and sitemap file."""

import re
from datetime import timedelta
from unittest import mock
from xml.etree import ElementTree

import time_machine
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import listings
from articles.cache import renew_generation
from articles.context_processors import menu_sections
from articles.models import Article, Section
from tests.factories import keep_menu, make_archive, make_article, make_section, page_query

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


class SectionPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.europe = make_section(name="Europe", slug="europe", description="Le continent.")
        cls.africa = make_section(name="Afrique", slug="afrique")
        cls.older = make_article(
            title="Frappe sur Kharkiv", section=cls.europe, published_at=hours_ago(5)
        )
        cls.newer = make_article(
            title="Sommet à Bruxelles", section=cls.europe, published_at=hours_ago(1)
        )
        make_article(title="Khartoum assiégée", section=cls.africa)
        make_article(title="Brouillon secret", section=cls.europe, status=Article.Status.DRAFT)
        make_article(title="Embargo", section=cls.europe, published_at=hours_ago(-1))

    def test_lists_the_sections_published_articles_newest_first(self):
        response = self.client.get(self.europe.get_absolute_url())
        self.assertEqual(list(response.context["object_list"]), [self.newer, self.older])
        self.assertContains(response, "<title>Europe – ")
        self.assertContains(response, '<meta name="description" content="Le continent.">')
        self.assertNotContains(response, "Khartoum")
        self.assertNotContains(response, "Brouillon secret")
        self.assertNotContains(response, "Embargo")

    def test_an_article_names_its_section_above_its_headline_even_once_renamed(self):
        kicker = '<p class="kicker"><a href="/sections/europe/">{}</a></p>'
        url = self.older.get_absolute_url()
        self.assertContains(self.client.get(url), kicker.format("Europe"), html=True)
        self.europe.name = "Europe de l’Est"
        self.europe.save()
        self.assertContains(self.client.get(url), kicker.format("Europe de l’Est"), html=True)

    def test_unknown_section_is_not_found(self):
        self.assertEqual(self.client.get("/sections/nulle-part/").status_code, 404)

    def test_a_new_section_answers_with_an_empty_list(self):
        section = make_section(name="Asie", slug="asie")
        response = self.client.get(section.get_absolute_url())
        self.assertContains(response, "Aucun article n'a encore été publié ici.")

    def test_bad_page_numbers_are_not_found(self):
        for page in ("abc", "0", "2"):
            with self.subTest(page=page):
                url = self.europe.get_absolute_url()
                self.assertEqual(self.client.get(url, {"page": page}).status_code, 404)

    def test_paginates_and_costs_the_same_at_any_size(self):
        # The count, the page, the bylines; the section itself is the menu's, kept.
        for size in (2, 30):
            with self.subTest(size=size):
                section = make_section()
                for article in make_archive(size):
                    Article.objects.filter(pk=article.pk).update(section=section)
                listings.rebuild()  # update() skips the signals that keep the section's count
                keep_menu(self.client)
                last = (size - 1) // 12 + 1
                for page in {1, last}:
                    with self.assertNumQueries(3):
                        response = self.client.get(section.get_absolute_url(), page_query(page))
                    self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["paginator"].count, size)

    def test_announces_its_feeds(self):
        response = self.client.get(self.europe.get_absolute_url())
        self.assertContains(response, 'href="http://127.0.0.1:8000/sections/europe/rss/"')
        self.assertContains(response, 'href="http://127.0.0.1:8000/sections/europe/atom/"')


class MenuTests(TestCase):
    def test_every_page_lists_the_sections_in_their_order(self):
        make_section(name="Défense", slug="defense", position=20)
        make_section(name="International", slug="international", position=10)
        article = make_article()
        for url in ("/", "/sections/defense/", article.get_absolute_url()):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                menu = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
                self.assertEqual(
                    re.findall(r'<a href="([^"]+)"', menu),
                    ["/", "/sections/international/", "/sections/defense/", "/stories/"],
                )

    def menu_links_of_a_missing_page(self, queries=0):
        with self.assertNumQueries(queries):
            response = self.client.get("/no/such/page/")
        self.assertEqual(response.status_code, 404)
        html = response.content.decode()
        menu = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
        return re.findall(r'<a href="([^"]+)"', menu)

    def test_a_missing_page_shows_the_menu_its_worker_kept_without_a_query(self):
        make_section(name="Défense", slug="defense")
        keep_menu(self.client)
        self.assertEqual(
            self.menu_links_of_a_missing_page(), ["/", "/sections/defense/", "/stories/"]
        )

    def test_a_worker_that_kept_no_menu_reads_it_once_for_missing_pages(self):
        make_section(name="Défense", slug="defense")
        with mock.patch.object(menu_sections, "kept", (None, None)):
            for queries in (1, 0):
                self.assertEqual(
                    self.menu_links_of_a_missing_page(queries),
                    ["/", "/sections/defense/", "/stories/"],
                )

    def test_a_missing_page_shows_a_renamed_section_at_once(self):
        section = make_section(name="Défense", slug="defense")
        keep_menu(self.client)
        section.name = "Défense et sécurité"
        section.save()
        response = self.client.get("/no/such/page/")
        self.assertContains(response, ">Défense et sécurité</a>", status_code=404)

    def test_the_current_section_is_marked_in_the_menu(self):
        make_section(name="Défense", slug="defense")
        html = self.client.get("/sections/defense/").content.decode()
        self.assertIn('<a href="/sections/defense/" aria-current="page">Défense</a>', html)

    def test_section_names_are_escaped(self):
        make_section(name="Guerre & <paix>", slug="guerre-et-paix")
        html = self.client.get("/").content.decode()
        self.assertIn(
            '<li><a href="/sections/guerre-et-paix/">Guerre &amp; &lt;paix&gt;</a></li>', html
        )

    def test_the_menu_is_a_disclosure_that_needs_no_script(self):
        html = self.client.get("/").content.decode()
        self.assertRegex(
            html, r'<details class="site-nav__menu">\s*<summary[^>]*>Rubriques</summary>'
        )


class KeptMenuTests(TestCase):
    """Each worker keeps the menu's sections while the content generation is the same."""

    menu = ["Accueil", "Défense", "Fils"]

    @classmethod
    def setUpTestData(cls):
        cls.defense = make_section(name="Défense", slug="defense", position=1)
        cls.first, cls.second, cls.third = make_article(), make_article(), make_article()

    def menu_and_section_queries(self, article):
        with CaptureQueriesContext(connection) as queries:
            html = self.client.get(article.get_absolute_url()).content.decode()
        menu = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
        names = re.findall(r"<li><a [^>]*>([^<]+)</a></li>", menu)
        return names, sum('FROM "articles_section"' in query["sql"] for query in queries)

    def test_only_the_first_page_built_under_a_generation_reads_the_sections(self):
        self.assertEqual(self.menu_and_section_queries(self.first)[1], 1)
        self.assertEqual(self.menu_and_section_queries(self.second), (self.menu, 0))

    def test_a_section_renamed_or_added_elsewhere_shows_on_the_next_page(self):
        self.menu_and_section_queries(self.first)
        # As another worker saves: the rows change, and so does the shared generation, with no
        # signal in this process.
        Section.objects.filter(pk=self.defense.pk).update(name="Armées")
        Section.objects.bulk_create([Section(name="Asie", slug="asie", position=9)])
        # Under the same generation this worker still shows what it kept, as the page cache does.
        self.assertEqual(self.menu_and_section_queries(self.second)[0], self.menu)
        renew_generation()
        names, queries = self.menu_and_section_queries(self.third)
        self.assertEqual(names, ["Accueil", "Armées", "Asie", "Fils"])
        self.assertEqual(queries, 1)

    def test_a_section_deleted_is_gone_from_the_next_page(self):
        self.menu_and_section_queries(self.first)
        Article.objects.update(section=None)
        self.defense.delete()
        self.assertEqual(self.menu_and_section_queries(self.second), (["Accueil", "Fils"], 1))

    @override_settings(READER_CACHE_SECONDS=0)
    def test_pages_built_without_the_page_cache_read_the_sections_each_time(self):
        for article in (self.first, self.second):
            with self.subTest(article=article.pk):
                self.assertEqual(self.menu_and_section_queries(article), (self.menu, 1))


class SectionFeedTests(TestCase):
    def test_feeds_list_the_sections_articles_only(self):
        europe, africa = make_section(slug="europe"), make_section(slug="afrique")
        make_article(title="Sommet à Bruxelles", section=europe)
        make_article(title="Khartoum assiégée", section=africa)
        make_article(title="Brouillon secret", section=europe, status=Article.Status.DRAFT)
        rss = ElementTree.fromstring(self.client.get("/sections/europe/rss/").content)
        self.assertEqual(
            [item.findtext("title") for item in rss.iter("item")], ["Sommet à Bruxelles"]
        )
        atom = ElementTree.fromstring(self.client.get("/sections/europe/atom/").content)
        self.assertEqual(
            [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")], ["Sommet à Bruxelles"]
        )

    def test_unknown_section_has_no_feed(self):
        self.assertEqual(self.client.get("/sections/nulle-part/rss/").status_code, 404)


class SectionSitemapTests(TestCase):
    def test_lists_sections_with_articles_and_their_newest_publication(self):
        europe, empty = make_section(slug="europe"), make_section(slug="vide")
        make_article(section=europe, published_at=hours_ago(30))
        newest = make_article(section=europe, published_at=hours_ago(26))
        make_article(section=empty, status=Article.Status.DRAFT)
        response = self.client.get(reverse("articles:sitemap-sections"))
        urls = ElementTree.fromstring(response.content).findall(f"{SITEMAP}url")
        self.assertEqual(
            [(u.findtext(f"{SITEMAP}loc"), u.findtext(f"{SITEMAP}lastmod")) for u in urls],
            [
                (
                    "http://127.0.0.1:8000/sections/europe/",
                    timezone.localdate(newest.published_at).isoformat(),
                )
            ],
        )
        index = self.client.get(reverse("articles:sitemap-index")).content.decode()
        self.assertIn("<loc>http://127.0.0.1:8000/sitemap-sections.xml</loc>", index)

    def test_no_section_with_articles_means_no_file(self):
        make_section()
        make_article()
        self.assertEqual(self.client.get(reverse("articles:sitemap-sections")).status_code, 404)
        index = self.client.get(reverse("articles:sitemap-index")).content.decode()
        self.assertNotIn("sitemap-sections.xml", index)


class SectionCountTests(TestCase):
    """The section page's count is kept at write time, as tag counts are."""

    def setUp(self):
        self.europe = make_section(name="Europe", slug="europe")
        self.africa = make_section(name="Afrique", slug="afrique")

    def counted(self, section):
        return listings.section_article_count(section)

    def test_publishing_unpublishing_moving_and_deleting_follow(self):
        article = make_article(section=self.europe, status=Article.Status.DRAFT)
        make_article(section=self.europe)
        self.assertEqual(self.counted(self.europe), 1)
        article.publish()
        article.save()
        self.assertEqual(self.counted(self.europe), 2)
        article.section = self.africa
        article.save()
        self.assertEqual((self.counted(self.europe), self.counted(self.africa)), (1, 1))
        article.unpublish()
        article.save()
        self.assertEqual(self.counted(self.africa), 0)
        article.delete()
        self.assertEqual(self.counted(self.europe), 1)

    def test_a_scheduled_article_counts_once_its_time_comes_without_any_save(self):
        make_article(section=self.europe)
        make_article(section=self.europe, published_at=hours_ago(-1))
        self.assertEqual(self.counted(self.europe), 1)
        with time_machine.travel(hours_ago(-2)):
            self.assertEqual(self.counted(self.europe), 2)

    def test_rebuild_gives_the_counts_kept_at_write_time(self):
        for n in range(3):
            make_article(section=self.europe if n else self.africa)
        make_article(section=self.europe, status=Article.Status.DRAFT)
        kept = (self.counted(self.europe), self.counted(self.africa))
        listings.rebuild()
        self.assertEqual((self.counted(self.europe), self.counted(self.africa)), kept)
        self.assertEqual(kept, (2, 1))
