"""On PostgreSQL, the reader pages' hottest statements are prepared once per connection, and
the ORM's are not."""

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_article, make_section, make_story


@override_settings(READER_CACHE_SECONDS=0)
class PreparedStatementTests(TestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite keeps its own cache of compiled statements")
        self.article = make_article(tags=["Ukraine", "Donbass"])
        make_story(articles=[make_article(tags=["Ukraine"]), self.article])

    def prepared(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [statement for (statement,) in cursor.fetchall()]

    def test_the_article_page_prepares_its_statements_written_out_not_the_orms(self):
        for _ in range(3):
            self.client.get(self.article.get_absolute_url())
        statements = self.prepared()
        # The stored page's read and write, the byline and tags (at the first rendering), the
        # sidebar's candidates and articles, the story thread and the menu's sections; the
        # ORM's statements (the rest of the first rendering) bind on the client, where a
        # statement takes any number of parameters, and none of them is prepared.
        marks = (
            'FROM "articles_section" ORDER BY',
            'JOIN "articles_articleshell"',
            'INSERT INTO "articles_articleshell"',
            'JOIN "articles_article_authors" byline',
            'FROM "taggit_tag" tag',
            "newest.tag_id",
            "AS pinned",
            "previous_id",
        )
        for mark in marks:
            self.assertTrue([s for s in statements if mark in s], mark)
        self.assertEqual([s for s in statements if not any(m in s for m in marks)], [])

    def test_the_home_page_prepares_its_front_day_index_and_tags_not_what_a_generic_plan_slows(
        self,
    ):
        for _ in range(3):
            self.client.get("/")
        statements = self.prepared()
        self.assertTrue([s for s in statements if "articles_feature" in s])
        # Its archive years, and where its page starts with the total of articles.
        self.assertEqual(len([s for s in statements if "articles_publicationday" in s]), 2)
        # The most covered tags, their scheduled articles bounded on both sides.
        self.assertTrue([s for s in statements if "articles_tagcount" in s])
        # Planned for any time, the ongoing stories read far more.
        self.assertFalse([s for s in statements if "stories_story" in s])

    def test_a_tag_page_prepares_its_tag_at_once_and_its_teasers_once_asked_for_again(self):
        tag_page = reverse("articles:tag", args=["ukraine"])
        self.client.get(tag_page)
        statements = self.prepared()
        self.assertTrue([s for s in statements if 'FROM "taggit_tag" INNER JOIN' in s])
        self.assertFalse([s for s in statements if 'LEFT JOIN "articles_section"' in s])

        # psycopg prepares a statement once it ran prepare_threshold (5) times on the
        # connection: the first page of a list is asked for again and again, a deep page's
        # own text seldom.
        for _ in range(5):
            self.client.get(tag_page)
        self.assertTrue([s for s in self.prepared() if 'LEFT JOIN "articles_section"' in s])

    def test_author_and_section_pages_prepare_their_counts(self):
        article = make_article(section=make_section())
        self.client.get(article.authors.get().get_absolute_url())
        self.client.get(article.section.get_absolute_url())
        statements = self.prepared()
        for count in ('FROM "articles_authorcount"', 'FROM "articles_sectioncount"'):
            self.assertTrue([s for s in statements if count in s], count)

    def test_prepared_statements_are_logged_with_their_parameters(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.article.get_absolute_url())
        stored_page_read = next(q["sql"] for q in queries if "articles_articleshell" in q["sql"])
        self.assertIn(f"'{self.article.slug}'", stored_page_read)

    @override_settings(DATABASE_PREPARED_STATEMENTS=False)
    def test_turned_off_nothing_is_prepared(self):
        before = set(self.prepared())
        for _ in range(3):
            self.client.get(self.article.get_absolute_url())
        self.assertLessEqual(set(self.prepared()), before)
