"""Instances read through SQL written out (articles.rows) are those the ORM reads."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test import TestCase

from articles import rows
from articles.models import (
    NEVER_LOADED,
    NOT_IN_TEASERS,
    Article,
    prefetch_bylines,
    prefetch_bylines_and_tags,
    prefetch_tags,
)
from tests.factories import jpeg_upload, make_article, make_author

TEASER_DEFERRED = (*NEVER_LOADED, *NOT_IN_TEASERS)


def read_written_out(article):
    table = '"articles_article"'
    sql = f"SELECT {rows.columns(Article, table, TEASER_DEFERRED)} FROM {table} WHERE id = %s"
    (found,) = rows.objects(Article, sql, [article.pk], "default", TEASER_DEFERRED)
    return found


def values(instance):
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def fields(instance):
    """An instance's field values alone (a prefetch also notes the row's article)."""
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


class InstanceTests(TestCase):
    def setUp(self):
        self.article = make_article(hero_image=jpeg_upload(), hero_alt="Un convoi")

    def test_an_instance_holds_the_values_and_state_the_orm_gives_it(self):
        found = read_written_out(self.article)
        by_orm = Article.objects.defer(*TEASER_DEFERRED).get(pk=self.article.pk)

        self.assertEqual(values(found), values(by_orm))
        self.assertEqual(found.get_deferred_fields(), by_orm.get_deferred_fields())
        self.assertFalse(found._state.adding)
        self.assertEqual(found._state.db, "default")
        self.assertEqual((found.hero_width, found.hero_height), (1800, 1000))

    def test_a_deferred_field_is_read_when_asked_for_and_a_save_keeps_it(self):
        found = read_written_out(self.article)
        self.assertEqual(found.body, self.article.body)

        found.title = "Titre corrigé"
        found.save()

        self.article.refresh_from_db()
        self.assertEqual((self.article.title, self.article.body), ("Titre corrigé", found.body))


class TimeTests(TestCase):
    def test_times_are_read_as_saved_in_utc_to_the_microsecond(self):
        moment = datetime(2024, 10, 27, 19, 37, 5, 123456, tzinfo=ZoneInfo("Europe/Paris"))
        article = make_article(published_at=moment)

        for found in (Article.objects.get(pk=article.pk), read_written_out(article)):
            self.assertEqual(found.published_at, moment)
            self.assertIs(found.published_at.tzinfo, UTC)

    def test_postgresql_times_are_parsed_by_the_projects_loader(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite's times are converted by Django")
        connection.ensure_connection()
        loader = connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text

        self.assertTrue(issubclass(loader, rows.TimestamptzLoader))
        self.assertIs(loader.timezone, connection.timezone)


class BylinesAndTagsTests(TestCase):
    def test_read_together_they_are_those_read_apart_in_the_same_order(self):
        authors = [make_author(name=name) for name in ("Zoé Martin", "Anne Roy", "Marc Dubois")]
        tags = ["Ukraine", "Donbass", "Artillerie", "OTAN"]
        make_article(authors=authors, tags=tags)
        make_article(tags=tags[:1])
        together = prefetch_bylines_and_tags(list(Article.objects.all()))
        apart = prefetch_tags(prefetch_bylines(list(Article.objects.all())))
        for read_together, read_apart in zip(together, apart, strict=True):
            for name in ("byline", "tag_list"):
                self.assertEqual(
                    [fields(instance) for instance in getattr(read_together, name)],
                    [fields(instance) for instance in getattr(read_apart, name)],
                )
        by_authors = next(article for article in together if len(article.byline) == 3)
        self.assertEqual(
            [author.name for author in by_authors.byline], ["Anne Roy", "Marc Dubois", "Zoé Martin"]
        )
        self.assertEqual([tag.name for tag in by_authors.tag_list], tags)
