"""Home, tag, author and date-archive pages: what they list, and their answers to bad input."""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.template import Context, Template
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, prefetch_bylines
from tests.factories import (
    make_archive,
    make_article,
    make_author,
    make_section,
    script_prefix,
)


class QueryCountMixin:
    def assert_constant_queries(self, url_for_size, expected):
        """The page costs ``expected`` queries with a small archive and with a larger one."""
        for size in (2, 30):
            with self.subTest(size=size):
                Article.objects.all().delete()
                url = url_for_size(size)
                with self.assertNumQueries(expected):
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)


class HomePageTests(QueryCountMixin, TestCase):
    def test_newest_article_leads_and_others_follow(self):
        older = make_article(title="Older", published_at=timezone.now() - timedelta(days=1))
        newer = make_article(title="Newer")
        response = self.client.get(reverse("articles:home"))
        self.assertContains(response, "À la une")
        self.assertEqual(list(response.context["articles"]), [newer, older])
        self.assertContains(
            response,
            f'class="teaser__title teaser__title--lead"><a href="{newer.get_absolute_url()}">Newer',
        )

    def test_teasers_show_what_editors_typed_as_text(self):
        section = make_section(name="Guerre & <paix>")
        make_article(
            title="Kyiv & <Kharkiv>",
            standfirst="<b>Frappes</b> de nuit",
            dateline='"Odessa"',
            section=section,
            authors=[make_author(name="A. <i>Reporter</i>")],
            published_at=timezone.now() - timedelta(days=1),
        )
        make_article(title="En tête", section=section)  # the first teaser is the lead's
        html = self.client.get(reverse("articles:home")).content.decode()
        for shown in (
            "Kyiv &amp; &lt;Kharkiv&gt;</a>",
            '<p class="teaser__standfirst">&lt;b&gt;Frappes&lt;/b&gt; de nuit</p>',
            " · &quot;Odessa&quot;</p>",
            '<p class="kicker">Guerre &amp; &lt;paix&gt;</p>',
            'rel="author">A. &lt;i&gt;Reporter&lt;/i&gt;</a>',
        ):
            self.assertIn(shown, html)
        for raw in ("<Kharkiv>", "<b>Frappes", "<i>Reporter"):
            self.assertNotIn(raw, html)

    def test_drafts_and_scheduled_articles_are_not_listed(self):
        make_article(title="Brouillon secret", status=Article.Status.DRAFT)
        make_article(title="Embargo", published_at=timezone.now() + timedelta(hours=1))
        response = self.client.get(reverse("articles:home"))
        self.assertNotContains(response, "Brouillon secret")
        self.assertNotContains(response, "Embargo")

    def test_most_covered_tags_are_counted_over_published_articles(self):
        make_article(tags=["Ukraine", "Russie"])
        make_article(tags=["Ukraine"])
        make_article(tags=["Gaza"], status=Article.Status.DRAFT)
        response = self.client.get(reverse("articles:home"))
        self.assertEqual(
            [(tag.name, tag.article_count) for tag in response.context["top_tags"]],
            [("Ukraine", 2), ("Russie", 1)],
        )

    def test_paginates_with_french_labels(self):
        make_archive(30)
        response = self.client.get(reverse("articles:home"))
        self.assertContains(response, "Page 1 sur 3")
        self.assertContains(response, "Articles plus anciens")
        second = self.client.get(reverse("articles:home") + "?page=2")
        self.assertContains(second, "Articles plus récents")
        self.assertNotContains(second, "À la une")

    def test_bad_page_numbers_are_not_found(self):
        make_archive(3)
        for page in ("abc", "0", "99999", "-1", "1.5"):
            with self.subTest(page=page):
                response = self.client.get(reverse("articles:home"), {"page": page})
                self.assertEqual(response.status_code, 404)

    def test_empty_site_still_answers(self):
        response = self.client.get(reverse("articles:home"))
        self.assertContains(response, "Aucun article n'a encore été publié ici.")

    def test_query_count_is_constant(self):
        self.assert_constant_queries(
            # Besides the other listings' (the menu's sections, the day counts, the bylines):
            # the front page with the page of articles, the ongoing stories, the most covered
            # tags and the years.
            lambda size: make_archive(size) and reverse("articles:home"),
            expected=7,
        )


class PageTitleTests(TestCase):
    def test_each_page_of_a_list_has_a_title_of_its_own(self):
        make_archive(13)  # two pages, all tagged Ukraine
        site = settings.SITE_NAME
        for url, titles in (
            ("/", (site, f"{site} – page 2")),
            ("/tags/ukraine/", (f"Ukraine – {site}", f"Ukraine – page 2 – {site}")),
        ):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), f"<title>{titles[0]}</title>")
                second = self.client.get(url, {"page": 2})
                self.assertContains(second, f"<title>{titles[1]}</title>")


class BylineTests(TestCase):
    def test_every_copy_of_a_listed_article_gets_its_authors_by_name_in_one_query(self):
        # A page may list an article twice (the front, then a section's block).
        article = make_article(authors=[make_author(name="Zoé"), make_author(name="Anne")])
        unsigned = make_article(authors=[])
        listed = [Article.objects.get(pk=pk) for pk in (article.pk, article.pk, unsigned.pk)]
        with self.assertNumQueries(1):
            prefetch_bylines(listed)
        with self.assertNumQueries(0):
            bylines = [[author.name for author in copy.byline] for copy in listed]
        self.assertEqual(bylines, [["Anne", "Zoé"], ["Anne", "Zoé"], []])

    def test_nothing_listed_costs_no_query(self):
        with self.assertNumQueries(0):
            self.assertEqual(prefetch_bylines([]), [])


class TagPageTests(QueryCountMixin, TestCase):
    def test_lists_published_articles_with_the_tag(self):
        tagged = make_article(title="Sur le front", tags=["Ukraine"])
        make_article(title="Ailleurs", tags=["Gaza"])
        response = self.client.get(reverse("articles:tag", args=["ukraine"]))
        self.assertEqual(list(response.context["object_list"]), [tagged])
        self.assertContains(response, "<h1>")
        self.assertEqual(response.context["tag"].name, "Ukraine")

    def test_unknown_tag_is_not_found(self):
        self.assertEqual(self.client.get(reverse("articles:tag", args=["nope"])).status_code, 404)

    def test_tag_used_only_by_drafts_is_not_found(self):
        make_article(tags=["Secret"], status=Article.Status.DRAFT)
        self.assertEqual(self.client.get(reverse("articles:tag", args=["secret"])).status_code, 404)

    def test_bad_page_is_not_found(self):
        make_article(tags=["Ukraine"])
        url = reverse("articles:tag", args=["ukraine"])
        self.assertEqual(self.client.get(url, {"page": "abc"}).status_code, 404)

    def test_query_count_is_constant(self):
        self.assert_constant_queries(
            lambda size: make_archive(size) and reverse("articles:tag", args=["ukraine"]),
            expected=4,
        )


class AuthorPageTests(QueryCountMixin, TestCase):
    def test_shows_bio_and_articles(self):
        author = make_author(name="Anne Reporter", slug="anne-reporter", bio="Envoyée spéciale.")
        article = make_article(authors=[author])
        make_article()
        response = self.client.get(author.get_absolute_url())
        self.assertContains(response, "Envoyée spéciale.")
        self.assertEqual(list(response.context["object_list"]), [article])

    def test_unknown_author_is_not_found(self):
        response = self.client.get(reverse("articles:author", args=["nobody"]))
        self.assertEqual(response.status_code, 404)

    def test_query_count_is_constant(self):
        def url(size):
            author = make_author()
            make_archive(size, authors=[author, make_author()])
            return author.get_absolute_url()

        self.assert_constant_queries(url, expected=5)


class DateArchiveTests(QueryCountMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.october = make_article(
            title="Octobre", published_at=datetime(2024, 10, 27, 18, 37, tzinfo=UTC)
        )
        cls.november = make_article(
            title="Novembre", published_at=datetime(2024, 11, 2, 9, 0, tzinfo=UTC)
        )

    def get(self, name, *args):
        return self.client.get(reverse(f"articles:{name}", args=args))

    def test_year_lists_its_articles_newest_first_and_its_months(self):
        response = self.get("archive-year", 2024)
        self.assertEqual(list(response.context["object_list"]), [self.november, self.october])
        self.assertContains(response, "Archives 2024")
        self.assertContains(response, 'href="/archives/2024/10/">octobre</a>')

    def test_month_lists_only_its_articles(self):
        response = self.get("archive-month", 2024, 10)
        self.assertEqual(list(response.context["object_list"]), [self.october])
        self.assertContains(response, "Archives d’octobre 2024")

    def test_archives_link_to_the_nearest_periods_with_articles(self):
        make_article(title="Juillet", published_at=datetime(2024, 7, 14, 9, 0, tzinfo=UTC))
        response = self.get("archive-month", 2024, 10)
        self.assertContains(response, '<a href="/archives/2024/07/" rel="prev">juillet 2024</a>')
        self.assertContains(response, '<a href="/archives/2024/11/" rel="next">novembre 2024</a>')
        newest = self.get("archive-month", 2024, 11)
        self.assertContains(newest, 'rel="prev">octobre 2024</a>')
        self.assertNotContains(newest, 'rel="next"')

    def test_day_uses_the_paris_date(self):
        late = make_article(title="Tard", published_at=datetime(2024, 10, 27, 23, 30, tzinfo=UTC))
        response = self.get("archive-day", 2024, 10, 28)
        self.assertEqual(list(response.context["object_list"]), [late])

    def test_impossible_or_empty_dates_are_not_found(self):
        for url in (
            "/archives/2024/13/",
            "/archives/2024/00/",
            "/archives/2024/02/30/",
            "/archives/2023/",
            "/archives/2024/09/",
            "/archives/2024/10/20/",
            "/archives/0000/",
            "/archives/24/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_bad_page_is_not_found(self):
        response = self.client.get("/archives/2024/", {"page": "99999"})
        self.assertEqual(response.status_code, 404)

    def test_year_query_count_is_constant(self):
        start = datetime(2019, 12, 31, 12, 0, tzinfo=UTC)
        self.assert_constant_queries(
            lambda size: make_archive(size, start=start) and "/archives/2019/", expected=6
        )

    def test_month_query_count_is_constant(self):
        start = datetime(2019, 12, 31, 12, 0, tzinfo=UTC)
        self.assert_constant_queries(
            lambda size: make_archive(size, start=start) and "/archives/2019/12/", expected=6
        )

    def test_day_query_count_is_constant(self):
        start = datetime(2019, 12, 31, 23, 0, tzinfo=UTC)
        self.assert_constant_queries(
            lambda size: make_archive(min(size, 20), start=start) and "/archives/2019/12/31/",
            expected=5,
        )


class ArchiveLinkTests(SimpleTestCase):
    """The links to each year, month and day of an archive's list, written once per process
    for each language and script prefix."""

    months = Template('{% load articles_tags %}{% archive_links months "month" %}')

    def render(self):
        return self.months.render(Context({"months": [date(2024, 10, 1), date(2024, 12, 1)]}))

    def test_each_period_links_to_its_archive(self):
        self.assertHTMLEqual(
            self.render(),
            '<li><a href="/archives/2024/10/">octobre</a></li>'
            '<li><a href="/archives/2024/12/">décembre</a></li>',
        )

    def test_another_language_gets_its_own_words(self):
        with translation.override("en"):
            self.assertIn('<a href="/archives/2024/12/">December</a>', self.render())
        self.assertIn('<a href="/archives/2024/12/">décembre</a>', self.render())

    def test_links_carry_the_script_prefix(self):
        self.render()
        with script_prefix("/journal/"):
            html = self.render()
        self.assertIn('<a href="/journal/archives/2024/12/">', html)
