"""Searching the archive in French: the same behaviour on SQLite (FTS5) and PostgreSQL."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article
from articles.views import SearchPaginator
from tests.factories import make_archive, make_article, make_author

SEED_TITLE = "Des troupes nord-coréennes soutiennent la Russie en Ukraine"
# The seed's second piece: "Corée" is in its tags (Corée du Nord), not in its text.
ZELENSKY_TITLE = "Zelensky inquiet : troupes nord-coréennes bientôt en Russie ?"


class SearchTestCase(TestCase):
    def search(self, q="", status=200, **filters):
        response = self.client.get(reverse("articles:search"), {"q": q, **filters})
        self.assertEqual(response.status_code, status, response.content.decode()[-2000:])
        return response

    def titles(self, q, **filters):
        return [article.title for article in self.search(q, **filters).context["object_list"]]


class FrenchMatchingTests(SearchTestCase):
    fixtures = ["demo"]

    def test_accents_and_case_are_ignored(self):
        for q in ("coree", "COREE", "Corée", "corée du nord"):
            with self.subTest(q=q):
                self.assertCountEqual(self.titles(q), [SEED_TITLE, ZELENSKY_TITLE])

    def test_words_are_stemmed(self):
        self.assertIn(SEED_TITLE, self.titles("soutient"))
        drone = make_article(title="Un drone abattu au-dessus de Kyiv")
        self.assertEqual(self.titles("drones kyiv"), [drone.title])

    def test_a_name_is_found(self):
        self.assertEqual(
            self.titles("Zelensky"),
            ["Zelensky inquiet : troupes nord-coréennes bientôt en Russie ?"],
        )

    def test_quoted_phrase_must_appear_as_written(self):
        make_article(title="Des troupes russes face aux soldats nord-coréens")
        self.assertCountEqual(
            self.titles('"troupes nord-coréennes"'),
            [SEED_TITLE, "Zelensky inquiet : troupes nord-coréennes bientôt en Russie ?"],
        )

    def test_or_finds_either_word(self):
        self.assertEqual(
            sorted(self.titles("Pyongyang OR percée")),
            sorted(
                [
                    "Zelensky inquiet : troupes nord-coréennes bientôt en Russie ?",
                    "L'Ukraine échoue à percer les défenses russes, tensions croissantes",
                ]
            ),
        )

    def test_or_binds_tighter_than_the_words_around_it(self):
        # (Moscou OR Pyongyang) AND Zelensky: the seed piece names Moscou but not Zelensky.
        self.assertEqual(
            self.titles("Moscou OR Pyongyang Zelensky"),
            ["Zelensky inquiet : troupes nord-coréennes bientôt en Russie ?"],
        )

    def test_minus_excludes_a_word(self):
        self.assertEqual(self.titles("nord-coréennes -Zelensky"), [SEED_TITLE])

    def test_search_syntax_and_control_characters_are_plain_text(self):
        for q in (
            '"',
            '"Corée',
            "Corée*",
            "NEAR(corée russie)",
            "title:corée",
            "l'Ukraine'",
            "corée AND OR NOT",
            "(corée",
            "^corée",
            "corée\x01\x1f\x7f",
            "-",
            "--corée",
            "'; DROP TABLE articles_article; --",
            "%_\\",
            "OR",
        ):
            with self.subTest(q=q):
                self.search(q)
        self.assertEqual(self.titles('Corée*"'), [SEED_TITLE, ZELENSKY_TITLE])
        self.assertEqual(self.titles("NEAR(corée"), [])  # "near" is one more word to find


class RankingTests(SearchTestCase):
    def test_headline_and_standfirst_weigh_more_than_the_body(self):
        now = timezone.now()
        in_body = make_article(
            title="Sur le terrain", body="<p>Des blindés avancent.</p>", published_at=now
        )
        in_standfirst = make_article(
            title="Ailleurs",
            standfirst="Les blindés avancent.",
            published_at=now - timedelta(days=2),
        )
        in_title = make_article(title="Blindés en approche", published_at=now - timedelta(days=3))
        self.assertEqual(
            self.titles("blindés"), [in_title.title, in_standfirst.title, in_body.title]
        )

    def test_newest_first_among_equals(self):
        older = make_article(title="Frappe sur Odessa", published_at=timezone.now() - timedelta(2))
        newer = make_article(title="Frappe sur Odessa", published_at=timezone.now() - timedelta(1))
        response = self.search("odessa")
        self.assertEqual(list(response.context["object_list"]), [newer, older])

    def test_each_page_goes_on_with_the_ranking_where_the_last_ended(self):
        # Three ranks (the word in the headline, the standfirst, the body) and four times,
        # so that ties of both are broken across the pages' edges.
        now = timezone.now()
        for n in range(30):
            where = {0: "title", 1: "standfirst", 2: "body"}[n % 3]
            text = {"body": "<p>Des blindés avancent.</p>"}.get(where, "Des blindés avancent.")
            make_article(**{where: text}, published_at=now - timedelta(hours=n % 4))
        ranked = list(Article.objects.published().search(search.parse("blindés")))
        pages = [self.search("blindés", page=n).context["object_list"] for n in (1, 2, 3)]
        self.assertEqual([article for page in pages for article in page], ranked)
        self.assertEqual(len(set(ranked)), 30)


class ResultPageTests(SearchTestCase):
    def test_result_shows_headline_time_tags_and_snippet(self):
        article = make_article(
            title="Offensive à Koursk",
            body="<p>Les troupes avancent près de Koursk &amp; de Soudja.</p>",
            tags=["Russie"],
            published_at=datetime(2024, 10, 27, 18, 37, tzinfo=UTC),
        )
        response = self.search("Koursk")
        self.assertContains(response, f'<a href="{article.get_absolute_url()}">Offensive à Koursk')
        self.assertContains(response, "27 octobre 2024 · 19:37")
        self.assertContains(response, '<a href="/tags/russie/">Russie</a>')
        self.assertContains(response, "<mark>Koursk</mark> &amp; de Soudja")
        self.assertContains(response, "1 article trouvé.")

    def test_snippet_escapes_the_text_around_its_marks(self):
        make_article(
            standfirst="Le <script>alert(1)</script> du missile Oreshnik",
            body="<p>Un tir &lt;b&gt;inédit&lt;/b&gt; de missile Oreshnik.</p>",
        )
        html = self.search("Oreshnik").content.decode()
        snippet = html[html.index('<p class="snippet">') :]
        snippet = snippet[: snippet.index("</p>")]
        self.assertIn("<mark>Oreshnik</mark>", snippet)
        self.assertNotIn("<script>", snippet)
        self.assertNotIn("<b>", snippet)
        self.assertIn("&lt;", snippet)

    def test_results_are_paginated_and_keep_the_search(self):
        make_archive(15)
        response = self.search("archive")
        self.assertEqual(len(response.context["object_list"]), 12)
        self.assertContains(response, "15 articles trouvés.")
        self.assertContains(response, 'href="?q=archive&amp;page=2" rel="next">Résultats suivants')
        second = self.search("archive", page=2)
        self.assertEqual(len(second.context["object_list"]), 3)

    def test_a_broad_search_counts_up_to_the_limit_and_says_more(self):
        make_archive(15)
        with mock.patch.object(SearchPaginator, "limit", 13):
            response = self.search("archive")
            self.assertContains(response, "Plus de 13 articles trouvés.")
            self.assertContains(response, "Page 1 sur 2")
            self.assertEqual(len(self.search("archive", page=2).context["object_list"]), 1)
            self.search("archive", status=404, page=3)
        with mock.patch.object(SearchPaginator, "limit", 15):
            self.assertContains(self.search("archive"), "15 articles trouvés.")

    def test_the_limit_is_written_as_french_readers_write_numbers(self):
        self.assertEqual(SearchPaginator([], 12).limit_display(), "1\xa0000")
        make_archive(2)
        self.assertNotContains(self.search("archive"), "Plus de")

    def test_bad_page_is_not_found(self):
        make_article(title="Kherson")
        self.search("kherson", status=404, page="abc")

    def test_empty_search_shows_the_page_without_results(self):
        make_article()
        for q in ("", "   ", "***", "-Ukraine"):
            with self.subTest(q=q):
                response = self.search(q)
                self.assertContains(response, "Rechercher dans les archives")
                self.assertEqual(list(response.context["object_list"]), [])

    def test_query_count_is_constant(self):
        url = reverse("articles:search")
        for size in (2, 20):
            with self.subTest(size=size):
                Article.objects.all().delete()
                make_archive(size)
                # Page, count, tags, authors, snippets, the tags and authors to pick from, and
                # the menu's sections. PostgreSQL's page counts the matches in its query.
                queries = 7 if connection.vendor == "postgresql" else 8
                with self.assertNumQueries(queries):
                    response = self.client.get(url, {"q": "archive piece"})
                self.assertEqual(len(response.context["object_list"]), min(size, 12))
                author = Article.objects.first().authors.first()
                with self.assertNumQueries(queries + 2):  # and one to look up each filter
                    self.client.get(url, {"q": "archive", "tag": "ukraine", "author": author.slug})


class PublicationTests(SearchTestCase):
    def test_drafts_and_scheduled_articles_are_never_found(self):
        make_article(title="Brouillon sur Marioupol", status=Article.Status.DRAFT)
        make_article(
            title="Embargo sur Marioupol", published_at=timezone.now() + timedelta(hours=1)
        )
        published = make_article(title="Marioupol", body="<p>Rien sur Marioupol.</p>")
        response = self.search("Marioupol")
        self.assertEqual(list(response.context["object_list"]), [published])
        self.assertNotContains(response, "Brouillon")
        self.assertNotContains(response, "Embargo")

    def test_index_follows_edits_and_deletions(self):
        article = make_article(title="Bakhmout")
        article.title = "Avdiivka"
        article.save()
        self.assertEqual(self.titles("bakhmout"), [])
        self.assertEqual(self.titles("avdiivka"), ["Avdiivka"])
        article.delete()
        self.assertEqual(self.titles("avdiivka"), [])

    def test_rebuild_command_indexes_every_article_with_a_progress_bar(self):
        make_article(title="Tchernihiv")
        search.engine().clear()
        progress = StringIO()
        call_command("rebuild_search_index", stderr=progress)
        self.assertEqual(self.titles("tchernihiv"), ["Tchernihiv"])
        self.assertIn("100% 1/1", progress.getvalue())


class NewestMatchesTests(TestCase):
    """PostgreSQL ranks only the newest matches of a broad search, found in a narrow copy of
    each article's vector and time that triggers keep, whatever writes the article."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite ranks every match")
        now = timezone.now()
        self.published = [
            make_article(title=f"Marioupol {n}", published_at=now - timedelta(days=n))
            for n in range(1, 4)
        ]
        make_article(title="Marioupol, brouillon", status=Article.Status.DRAFT)
        make_article(title="Marioupol, sous embargo", published_at=now + timedelta(hours=1))

    def newest(self, count, queryset=None):
        queryset = queryset if queryset is not None else Article.objects.published()
        found = queryset.search(search.parse("Marioupol"), newest=count)
        return sorted(article.title for article in found)

    def test_drafts_and_scheduled_articles_take_no_place_among_the_newest(self):
        self.assertEqual(self.newest(2), ["Marioupol 1", "Marioupol 2"])
        self.assertEqual(self.newest(10), ["Marioupol 1", "Marioupol 2", "Marioupol 3"])

    def test_the_newest_are_taken_among_the_filtered_articles(self):
        queryset = Article.objects.published().exclude(pk=self.published[0].pk)
        self.assertEqual(self.newest(1, queryset), ["Marioupol 2"])

    def test_times_and_deletions_written_without_save_are_followed(self):
        oldest = self.published[-1]
        Article.objects.filter(pk=oldest.pk).update(published_at=timezone.now())
        self.assertEqual(self.newest(1), ["Marioupol 3"])
        Article.objects.filter(pk=oldest.pk).delete()
        self.assertEqual(self.newest(1), ["Marioupol 1"])


class FilterTests(SearchTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.author = make_author(name="Anne Reporter", slug="anne")
        cls.october = make_article(
            title="Drones sur Kyiv en octobre",
            tags=["Ukraine"],
            authors=[cls.author],
            published_at=datetime(2024, 10, 31, 23, 30, tzinfo=UTC),  # 1 November in Paris
        )
        cls.september = make_article(
            title="Drones sur Kyiv en septembre",
            tags=["Ukraine", "Iran"],
            published_at=datetime(2024, 9, 15, 12, 0, tzinfo=UTC),
        )

    def test_filters_combine_with_the_words(self):
        self.assertEqual(self.titles("drones", tag="iran"), [self.september.title])
        self.assertEqual(self.titles("drones", author="anne"), [self.october.title])
        self.assertEqual(
            self.titles("drones", **{"tag": "ukraine", "from": "2024-09-01", "to": "2024-10-31"}),
            [self.september.title],
        )
        self.assertEqual(self.titles("drones", **{"from": "2024-11-01"}), [self.october.title])

    def test_unknown_tag_or_author_is_a_bad_request_that_says_why(self):
        response = self.search("drones", status=400, tag="nope")
        self.assertContains(
            response,
            '<li><a href="#search-tag">Mot-clé</a> : '
            "Il n’y a pas de mot-clé «\u00a0nope\u00a0».</li>",
            html=True,
            status_code=400,
        )
        response = self.search("drones", status=400, author="nobody")
        self.assertContains(
            response,
            '<li><a href="#search-author">Auteur</a> : '
            "Il n’y a pas d’auteur «\u00a0nobody\u00a0».</li>",
            html=True,
            status_code=400,
        )

    def test_bad_dates_are_a_bad_request_that_says_why(self):
        for dates in ({"from": "2024-02-30"}, {"to": "yesterday"}, {"from": "99999-01-01"}):
            with self.subTest(dates=dates):
                response = self.search("drones", status=400, **dates)
                self.assertContains(response, "AAAA-MM-JJ", status_code=400)
        response = self.search("drones", status=400, **{"from": "2024-11-01", "to": "2024-10-01"})
        self.assertContains(response, "La date de début", status_code=400)

    def test_too_long_search_is_a_bad_request_that_says_why(self):
        self.search("drones " * 28)  # 196 characters
        response = self.search("drones " * 29, status=400)
        self.assertContains(response, "Votre recherche est trop longue", status_code=400)

    def test_null_character_is_a_bad_request(self):
        self.search("drones\x00", status=400)


class SearchBoxTests(TestCase):
    fixtures = ["demo"]

    def test_every_page_has_a_labelled_search_box(self):
        for url in ("/", "/tags/ukraine/", reverse("articles:search"), "/no/such/page/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(
                    response,
                    '<label class="visually-hidden" for="search-box-q">',
                    status_code=response.status_code,
                )
                self.assertContains(
                    response,
                    'action="/search/" method="get" role="search"',
                    status_code=response.status_code,
                )


class QueryParsingTests(TestCase):
    def test_web_search_syntax(self):
        query = search.parse('"troupes nord-coréennes" Kyiv OR Kiev -Moscou')
        self.assertEqual(
            query.groups, ((("troupes", "nord", "coréennes"),), (("kyiv",), ("kiev",)))
        )
        self.assertEqual(query.excluded, (("moscou",),))

    def test_french_verb_forms_that_stemming_misses(self):
        self.assertEqual(search.parse("soutient").groups, ((("soutient",), ("soutiennent",)),))
        self.assertEqual(search.parse("dent").groups, ((("dent",),),))
