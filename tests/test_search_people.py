"""Searching for people, not for slugs: filters by name, tag and author names searched,
misspellings answered with a suggestion, on SQLite and PostgreSQL alike."""

from datetime import timedelta
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import search, tags
from articles.models import Article
from articles.search import spelling
from articles.search.models import SearchTerm
from articles.views import SearchView
from tests.factories import make_article, make_author
from tests.test_search import SEED_TITLE, ZELENSKY_TITLE, SearchTestCase

# The demo's piece tagged "Front".
FRONT_TITLE = "L'Ukraine échoue à percer les défenses russes, tensions croissantes"


class FilterByNameTests(SearchTestCase):
    fixtures = ["demo"]

    def test_tag_and_author_are_taken_as_readers_see_them(self):
        for filters in (
            {"tag": "Corée du Nord"},
            {"tag": "coree du nord"},
            {"tag": "CORÉE DU NORD"},
            {"tag": "coree-du-nord"},  # the slug, as links made before this keep working
            {"author": "La rédaction", "tag": "Russie"},
            {"author": "la redaction"},
        ):
            with self.subTest(filters=filters):
                self.assertIn(SEED_TITLE, self.titles("troupes", **filters))

    def test_the_tag_filter_keeps_only_its_articles(self):
        self.assertCountEqual(
            self.titles("russie", tag="Corée du Nord"), [SEED_TITLE, ZELENSKY_TITLE]
        )

    def test_an_exact_name_wins_over_another_tags_slug(self):
        city = Tag.objects.create(name="Kyiv", slug="kyiv-ville")
        Tag.objects.create(name="Kyiv (oblast)", slug="kyiv")
        self.assertEqual(self.search("x", tag="Kyiv").context["form"].cleaned_data["tag"], city)

    def test_bad_values_get_a_message_that_names_the_field(self):
        for field, label, value, message in (
            ("tag", "Mot-clé", "Nulle part", "Il n’y a pas de mot-clé «\u00a0Nulle part\u00a0»."),
            (
                "tag",
                "Mot-clé",
                "<b>Corée</b>/Nord?",
                "Il n’y a pas de mot-clé «\u00a0&lt;b&gt;Corée&lt;/b&gt;/Nord?\u00a0».",
            ),
            ("author", "Auteur", "Personne", "Il n’y a pas d’auteur «\u00a0Personne\u00a0»."),
            ("author", "Auteur", "x" * 121, "Aucun nom n’est aussi long."),
        ):
            with self.subTest(field=field, value=value):
                response = self.search("troupes", status=400, **{field: value})
                summary = f'<li><a href="#search-{field}">{label}</a> : {message}</li>'
                self.assertContains(response, summary, html=True, status_code=400)
                # Beside the field too, which points at it for screen readers.
                self.assertContains(
                    response, f'aria-describedby="search-{field}_error"', status_code=400
                )
                self.assertNotContains(response, "letters, numbers", status_code=400)

    def test_a_blank_filter_filters_nothing(self):
        self.assertEqual(len(self.titles("troupes", tag="  ", author="")), 2)


class ChoicesTests(SearchTestCase):
    def test_the_form_offers_the_used_tags_and_the_authors_with_published_articles(self):
        anne, ghost = make_author(name="Anne Reporter"), make_author(name="Plume Fantôme")
        make_article(tags=["Ukraine", "Corée du Nord"], authors=[anne])
        make_article(tags=["Embargo"], authors=[ghost], status=Article.Status.DRAFT)
        make_article(tags=["Plus tard"], published_at=timezone.now() + timedelta(days=1))
        response = self.search()
        self.assertEqual(response.context["tag_choices"], ["Corée du Nord", "Ukraine"])
        self.assertIn("Anne Reporter", response.context["author_choices"])
        self.assertNotIn("Plume Fantôme", response.context["author_choices"])
        self.assertContains(
            response,
            '<datalist id="search-tag-choices"><option value="Corée du Nord"></option>'
            '<option value="Ukraine"></option></datalist>',
            html=True,
        )
        self.assertContains(response, 'list="search-tag-choices"')
        self.assertContains(response, 'list="search-author-choices"')

    def test_choices_are_bounded_to_the_most_used_tags(self):
        for i in range(4):
            make_article(tags=[f"Sujet {n}" for n in range(i + 1)])
        with mock.patch.object(SearchView, "choices_limit", 2):
            response = self.search()
        # The two tags on most articles, alphabetically.
        self.assertEqual(response.context["tag_choices"], ["Sujet 0", "Sujet 1"])
        self.assertEqual(len(response.context["author_choices"]), 2)


class KeywordTests(SearchTestCase):
    fixtures = ["demo"]

    def test_tag_names_are_searched(self):
        # "Corée" is in the seed's text, and only in the other piece's tags.
        self.assertCountEqual(self.titles("Corée"), [SEED_TITLE, ZELENSKY_TITLE])
        tagged_ukraine = Article.objects.filter(tags__name="Ukraine").values_list(
            "title", flat=True
        )
        self.assertCountEqual(self.titles("ukraine"), tagged_ukraine)

    def test_author_names_are_searched(self):
        anne = make_author(name="Anne Kovalenko")
        article = make_article(title="Au front", authors=[anne])
        self.assertEqual(self.titles("kovalenko"), [article.title])

    def test_a_retag_or_a_new_byline_is_found_at_once(self):
        article = make_article(title="Sans rapport")
        article.tags.add("Marioupol")
        self.assertEqual(self.titles("marioupol"), [article.title])
        article.tags.remove("Marioupol")
        self.assertEqual(self.titles("marioupol"), [])
        article.authors.add(make_author(name="Olena Zvarych"))
        self.assertEqual(self.titles("zvarych"), [article.title])
        article.authors.clear()
        self.assertEqual(self.titles("zvarych"), [])

    def test_renaming_a_tag_or_an_author_indexes_their_articles_again(self):
        tag = Tag.objects.get(name="Front")
        tag.name = "Donbass"
        tag.save()
        self.assertEqual(self.titles("donbass"), [FRONT_TITLE])
        anne = make_author(name="Anne Reporter")
        article = make_article(title="Sans rapport", authors=[anne])
        anne.name = "Anna Reporterova"
        anne.save()
        self.assertEqual(self.titles("reporterova"), [article.title])
        self.assertTrue(SearchTerm.objects.filter(word="donbass").exists())

    def test_deleting_a_tag_or_an_author_takes_their_names_out(self):
        anne = make_author(name="Anne Kovalenko")
        article = make_article(title="Sans rapport", authors=[anne], tags=["Marioupol"])
        author_articles = list(anne.articles.all())
        anne.delete()
        Tag.objects.get(name="Marioupol").delete()
        self.assertEqual(author_articles, [article])
        self.assertEqual(self.titles("kovalenko"), [])
        self.assertEqual(self.titles("marioupol"), [])

    def test_a_merged_tag_gives_its_articles_the_new_name(self):
        article = make_article(title="Sans rapport", tags=["Marioupol"])
        tags.merge([Tag.objects.get(name="Marioupol")], into=Tag.objects.get(name="Russie"))
        self.assertEqual(self.titles("marioupol"), [])
        self.assertIn(article.title, self.titles("russie"))

    def test_rebuild_indexes_keywords(self):
        search.engine().clear()
        search.rebuild(Article.objects.all())
        self.assertCountEqual(self.titles("Corée"), [SEED_TITLE, ZELENSKY_TITLE])


class SuggestionTests(SearchTestCase):
    fixtures = ["demo"]

    def test_a_misspelt_name_gets_a_suggestion_that_keeps_the_filters(self):
        response = self.search("zelenski", author="La rédaction")
        url = reverse("articles:search") + "?q=zelensky&author=La+r%C3%A9daction"
        self.assertContains(
            response,
            '<p class="search-suggestion">Vouliez-vous dire\u00a0: '
            f'<a href="{url}">zelensky</a>\u00a0?</p>',
            html=True,
        )
        self.assertContains(response, "Aucun article trouvé.")
        self.assertEqual(self.titles("zelensky"), [ZELENSKY_TITLE])

    def test_the_suggestion_is_escaped_and_its_address_encoded(self):
        response = self.search('zelenski <script>"&amp;', tag="Ukraine")
        self.assertContains(response, "zelensky &lt;script&gt;&quot;&amp;amp;</a>")
        self.assertContains(response, "?q=zelensky+%3Cscript%3E%22%26amp%3B&amp;tag=Ukraine")
        self.assertNotContains(response, "<script>")

    def test_the_suggestion_keeps_the_rest_of_the_search(self):
        self.assertEqual(search.suggestion('"troupes" Zelenski -Kyiv'), '"troupes" zelensky -Kyiv')

    def test_no_suggestion_when_the_words_are_known_or_nothing_is_near(self):
        for q in ("zelensky", "zzxqv", "troupes kyiv", "12345", "de"):
            with self.subTest(q=q):
                self.assertNotContains(self.search(q), "Vouliez-vous dire")
        make_article(title="Un drone abattu")
        # Another form of a known word is no misspelling ("drones" for "drone").
        self.assertIsNone(search.suggestion("drones zzxqv"))

    def test_tag_and_author_names_are_in_the_vocabulary(self):
        self.assertEqual(search.suggestion("redacton"), "rédaction")
        self.assertEqual(search.suggestion("volodimyr"), "volodymyr")

    def test_words_of_new_articles_come_into_the_vocabulary(self):
        self.assertIsNone(search.suggestion("Tchernihiv"))
        make_article(title="Tchernihiv sous les bombes")
        self.assertEqual(search.suggestion("Tchernihif"), "tchernihiv")

    def test_only_a_bounded_number_of_unknown_words_is_looked_up(self):
        with mock.patch.object(search.engine(), "similar_word", return_value=None) as similar:
            search.suggestion("aaaa bbbb cccc dddd eeee ffff")
        self.assertEqual(similar.call_count, spelling.MAX_WORDS)

    def test_query_count_of_a_search_with_a_suggestion(self):
        url = reverse("articles:search")
        self.client.get(url, {"q": "warm-up"})
        # Count, then the known words, then the near word, then the tags and authors to pick.
        with self.assertNumQueries(5):
            self.client.get(url, {"q": "zelenski"})


class TrigramTests(TestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("pg_trgm is PostgreSQL's")

    def test_without_pg_trgm_postgres_suggests_as_sqlite_does(self):
        from articles.search import postgres

        make_article(title="Zelensky à Washington")
        with mock.patch.object(postgres, "has_trigrams", return_value=False):
            self.assertEqual(search.suggestion("zelenski"), "zelensky")
        if postgres.has_trigrams(connection.settings_dict["NAME"]):
            self.assertEqual(search.suggestion("zelenski"), "zelensky")
            self.assertEqual(search.suggestion("elensky"), "zelensky")  # first letter missing
