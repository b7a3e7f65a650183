"""Readers' article pages come from the page stored at their first request (the second with
the page cache), its fresh parts rendered again each time; whatever the stored part shows
makes it obsolete when it changes."""

import contextlib
import io
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from time import monotonic, sleep
from unittest import mock

import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings
from django.utils import timezone
from taggit.models import Tag

from articles import shells
from articles.cache import GENERATION_KEY, renew_generation
from articles.management.commands.render_articles import Command as RenderArticles
from articles.management.commands.render_articles import reader_request
from articles.models import Article, Author, Correction, Section
from articles.shells.models import ArticleShell
from articles.tags import merge
from articles.views import ARTICLE_PAGE_FLAGS
from edge.keys import HEADER
from stories.models import ArticlePlace, Place
from tests.factories import (
    STORING,
    make_archive,
    make_article,
    make_author,
    make_live,
    make_place,
    make_section,
    make_story,
    make_user,
    sign_in,
)
from tests.test_gunicorn import BASE_DIR, GunicornTestCase


@override_settings(READER_CACHE_SECONDS=0)
class StoredPageTests(TestCase):
    """Without the page cache, each request builds the page: from the stored page when valid."""

    @classmethod
    def setUpTestData(cls):
        cls.author = make_author(name="Anna Politkovskaïa")
        cls.section = make_section(name="Europe")
        cls.article = make_article(
            tags=["Ukraine", "Russie"], authors=[cls.author], section=cls.section
        )
        cls.neighbour = make_article(tags=["Ukraine"], title="Le front de Koursk")
        make_story(articles=[cls.neighbour, cls.article], title="La guerre en Ukraine")
        ArticlePlace.objects.create(article=cls.article, place=make_place(name="Kyiv"))

    def page(self, article=None):
        return self.client.get((article or self.article).get_absolute_url())

    def assert_shows(self, text, article=None):
        self.assertContains(self.page(article), text)

    def test_the_first_request_stores_the_page_and_the_next_ones_read_it(self):
        self.assertFalse(ArticleShell.objects.exists())
        first = self.page()
        shell = ArticleShell.objects.get(article=self.article)
        self.assertIn(shells.MARK, shell.html)
        self.assertNotIn(shells.MARK, first.content.decode())
        shell.html = shell.html.replace("Anna Politkovskaïa", "Served from the stored page")
        shell.save()
        self.assertContains(self.page(), "Served from the stored page")

    def test_a_page_from_the_stored_page_is_the_page_rendered_whole(self):
        first = self.page()
        with override_settings(ARTICLE_SHELLS=False):
            whole = self.page()
        stored = self.page()
        self.assertEqual(stored.content, whole.content)
        self.assertEqual(first.content, whole.content)
        self.assertEqual(stored["Last-Modified"], whole["Last-Modified"])

    def test_the_fresh_parts_follow_other_articles_without_any_change_to_this_one(self):
        self.page()
        newcomer = make_article(tags=["Ukraine", "Russie"], title="Une nouvelle offensive")
        response = self.page()
        self.assertContains(response, newcomer.title)  # the sidebar
        self.assertContains(response, "La guerre en Ukraine")  # the story thread

    def test_a_page_from_the_stored_page_names_the_same_surrogate_keys(self):
        first = self.page()
        self.assertEqual(set(self.page()[HEADER].split()), set(first[HEADER].split()))
        tag = Tag.objects.get(name="Ukraine")
        self.assertIn(f"tag-{tag.pk}", first[HEADER].split())

    def test_storing_a_page_empties_no_cache(self):
        self.page(self.neighbour)
        with mock.patch("articles.cache.renew_generation") as renew:
            self.page()
        renew.assert_not_called()

    def test_reading_the_stored_page_costs_the_article_and_its_fresh_parts(self):
        # The article with its flags, its authors and tags (one statement), its places, the
        # sidebar's candidates and articles; the page is stored; its fresh parts: the menu,
        # the story thread (its stories with the pieces either side).
        with self.assertNumQueries(7 + STORING):
            self.page()
        # The article with its stored page and flags, the menu, the story thread: its tags
        # are stored with the page, their candidates and the sidebar's articles kept until
        # the next edit.
        with self.assertNumQueries(3):
            self.page()

    def test_an_edit_of_the_article_shows_at_once(self):
        self.page()
        self.article.title = "Un titre corrigé"
        self.article.save()
        self.assert_shows("Un titre corrigé")

    def test_a_renamed_tag_author_section_or_place_shows_at_once(self):
        self.page()
        for model, old, new in [
            (Tag, "Russie", "Fédération de Russie"),
            (Author, "Anna Politkovskaïa", "Anna P."),
            (Section, "Europe", "Europe de l’Est"),
            (Place, "Kyiv", "Kyïv"),
        ]:
            with self.subTest(model=model.__name__):
                item = model.objects.get(name=old)
                item.name = new
                item.save()
                self.assert_shows(new)

    def test_tags_bylines_places_and_corrections_added_or_removed_show_at_once(self):
        self.page()
        self.article.tags.add("Crimée")
        self.assert_shows("Crimée")
        self.article.tags.remove("Crimée")
        self.assertNotContains(self.page(), "Crimée")
        self.article.authors.add(make_author(name="Vassili Grossman"))
        self.assert_shows("Vassili Grossman")
        make_author(name="Svetlana Alexievitch").articles.add(self.article)
        self.assert_shows("Svetlana Alexievitch")
        ArticlePlace.objects.create(article=self.article, place=make_place(name="Odessa"))
        self.assert_shows("Odessa")
        correction = Correction.objects.create(article=self.article, text="Un chiffre était faux.")
        self.assert_shows("Un chiffre était faux.")
        correction.delete()
        self.assertNotContains(self.page(), "Un chiffre était faux.")

    def test_a_deleted_author_leaves_the_byline_at_once(self):
        gone = make_author(name="Auteur supprimé")
        self.article.authors.add(gone)
        self.assert_shows("Auteur supprimé")
        gone.delete()
        self.assertNotContains(self.page(), "Auteur supprimé")

    def test_merged_tags_show_under_their_new_name_at_once(self):
        self.page()
        merge(list(Tag.objects.filter(name="Russie")), Tag.objects.create(name="Kremlin"))
        self.assert_shows("Kremlin")

    def test_a_page_rendered_from_rows_read_before_a_change_is_never_served(self):
        # A worker reads the article, an editor renames its tag, the worker stores its page.
        article = Article.objects.get(pk=self.article.pk)
        tag = Tag.objects.get(name="Russie")
        tag.name = "Fédération de Russie"
        tag.save()
        shells.store(article, "a page of the old tag name")
        self.assertContains(self.page(), "Fédération de Russie")

    def test_an_article_whose_text_holds_the_mark_of_fresh_parts_is_rendered_whole(self):
        standfirst = f"Un {shells.MARK}includes/site_nav.html{shells.MARK} chapeau"
        Article.objects.filter(pk=self.article.pk).update(standfirst=standfirst)
        self.assertContains(self.page(), standfirst)
        self.assertFalse(ArticleShell.objects.filter(article=self.article).exists())

    def test_an_article_loaded_again_from_a_fixture_shows_what_the_fixture_says(self):
        self.page()
        row = Article.objects.get(pk=self.article.pk)
        row.title = "Le titre de la sauvegarde"
        row.save_base(raw=True)  # as loaddata saves, keeping the fixture's updated_at
        self.assert_shows("Le titre de la sauvegarde")

    def test_a_page_that_cannot_be_stored_is_served_all_the_same(self):
        locked = mock.patch.object(shells, "upsert", side_effect=OperationalError("locked"))
        with locked, self.assertLogs("articles.shells", "WARNING"):
            self.assert_shows(self.article.title)

    def test_a_deploy_or_a_setting_shown_on_pages_renders_them_again(self):
        self.page()
        with override_settings(SITE_NAME="La Vigie"):
            self.assert_shows("La Vigie")

    def test_staff_and_previews_never_read_nor_store_pages(self):
        sign_in(self.client, make_user("Éditeurs"))
        self.page()
        self.assertFalse(ArticleShell.objects.exists())
        shells.store(self.article, "a stored page")
        self.assertNotContains(self.page(), "a stored page")

    def test_an_article_with_live_coverage_is_rendered_whole_each_time(self):
        make_live(self.article)
        self.page()
        self.assertFalse(ArticleShell.objects.exists())

    @override_settings(DEBUG=True)
    def test_nothing_is_stored_while_templates_may_change_under_the_process(self):
        self.page()
        self.assertFalse(ArticleShell.objects.exists())

    def test_render_articles_stores_the_pages_missing_or_obsolete(self):
        self.page(self.neighbour)
        self.article.tags.add("Crimée")
        call_command("render_articles", verbosity=0)
        published = Article.objects.published()
        self.assertEqual(ArticleShell.objects.count(), published.count())
        self.assertFalse(shells.obsolete(published).exists())
        self.assertIn("Crimée", ArticleShell.objects.get(article=self.article).html)

    def test_render_articles_leaves_out_the_articles_rendered_whole_each_time(self):
        call_command("render_articles", verbosity=0)
        live = make_live().article
        with mock.patch("articles.management.commands.render_articles.reader_request") as asked:
            call_command("render_articles", verbosity=0)
        self.assertFalse(asked.called)
        self.assertFalse(ArticleShell.objects.filter(article=live).exists())


class AskedAgainTests(TestCase):
    """With the page cache, a worker stores an article's page when asked for it again, not
    at its first request: a crawler asks for each page of the archive once."""

    def test_a_page_asked_once_is_not_stored_and_asked_again_it_is(self):
        url = make_article(tags=["Ukraine"]).get_absolute_url()
        first = self.client.get(url)
        self.assertFalse(ArticleShell.objects.exists())
        with time_machine.travel(timezone.now() + timedelta(hours=1)):
            cache.clear()  # as after an edit elsewhere: the page cache has it no more
            second = self.client.get(url)
        self.assertTrue(ArticleShell.objects.exists())
        self.assertEqual(second.content, first.content)

    def test_each_page_counts_its_own_requests(self):
        for article in (make_article(), make_article()):
            self.client.get(article.get_absolute_url())
        self.assertFalse(ArticleShell.objects.exists())


@override_settings(READER_CACHE_SECONDS=0)
class ObsoletePageTests(TestCase):
    """``render_articles`` finds the obsolete pages in SQL, from what each was rendered from,
    and ``--follow`` keeps finding them as editors work."""

    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(tags=["Ukraine", "Russie"], authors=[make_author()])
        cls.neighbour = make_article(tags=["Ukraine"])

    def setUp(self):
        call_command("render_articles", verbosity=0)

    def obsolete(self):
        return set(shells.obsolete(Article.objects.published()))

    def test_a_page_is_obsolete_from_any_change_that_makes_readers_get_it_rendered_again(self):
        def rename_tag():
            tag = Tag.objects.get(name="Russie")
            tag.name = "Fédération de Russie"
            tag.save()

        def load_from_a_fixture():
            Article.objects.get(pk=self.article.pk).save_base(raw=True)

        changes = {
            "the article saved": self.article.save,
            "a tag renamed": rename_tag,
            "a tag added": lambda: self.article.tags.add("Crimée"),
            "a correction": lambda: Correction.objects.create(article=self.article, text="Non."),
            "loaded from a fixture": load_from_a_fixture,
        }
        self.assertEqual(self.obsolete(), set())
        for change, make in changes.items():
            with self.subTest(change):
                make()
                self.assertEqual(self.obsolete(), {self.article})
                response = self.client.get(self.article.get_absolute_url())
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.obsolete(), set())

    def test_every_page_is_obsolete_after_a_deploy_or_without_a_page(self):
        with override_settings(SITE_NAME="La Vigie"):
            self.assertEqual(self.obsolete(), {self.article, self.neighbour})
        ArticleShell.objects.filter(article=self.neighbour).delete()
        self.assertEqual(self.obsolete(), {self.neighbour})

    def test_the_next_release_stores_its_pages_while_this_one_serves_its_own(self):
        next_release = mock.patch("articles.shells.code_and_settings", return_value="next")
        with next_release:
            self.assertEqual(self.obsolete(), {self.article, self.neighbour})
            call_command("render_articles", verbosity=0)
            self.assertEqual(self.obsolete(), set())
        self.assertEqual(self.obsolete(), set())
        self.assertEqual(ArticleShell.objects.filter(article=self.article).count(), 2)
        for shell in ArticleShell.objects.filter(article=self.article):
            shell.html = shell.html.replace(self.article.title, f"Release {shell.version}")
            shell.save()
        url = self.article.get_absolute_url()
        self.assertContains(self.client.get(url), f"Release {shells.version()}")
        with next_release:
            self.assertContains(self.client.get(url), "Release next:fr")

    def test_pruning_deletes_the_pages_of_other_releases_only(self):
        with mock.patch("articles.shells.code_and_settings", return_value="last"):
            call_command("render_articles", verbosity=0)
        out = io.StringIO()
        call_command("render_articles", prune=True, verbosity=0, stdout=out)
        self.assertIn("2 page(s) of other releases deleted.", out.getvalue())
        self.assertEqual(
            set(ArticleShell.objects.values_list("version", flat=True)), {shells.version()}
        )
        self.assertEqual(self.obsolete(), set())

    def test_pruning_deletes_in_batches_without_reading_the_pages_nor_emptying_the_cache(self):
        make_archive(3)
        with mock.patch("articles.shells.code_and_settings", return_value="last"):
            call_command("render_articles", verbosity=0)
        generation = cache.get(GENERATION_KEY)
        # Batches of 2: each a read of ids and a delete; the last read finds none.
        with mock.patch("articles.shells.BATCH", 2), self.assertNumQueries(7) as queries:
            self.assertEqual(shells.prune(), 5)
        self.assertFalse(any("html" in query["sql"] for query in queries.captured_queries))
        self.assertEqual(cache.get(GENERATION_KEY), generation)
        self.assertEqual(ArticleShell.objects.count(), 2)  # this release's, stored in setUp()

    def test_obsolete_pages_are_found_in_one_query_however_many(self):
        make_archive(30)
        with self.assertNumQueries(1):
            self.assertEqual(len(self.obsolete()), 30)

    def test_render_articles_stores_every_obsolete_page_newest_first_batch_after_batch(self):
        archive = make_archive(5)
        # Published at the same time as the next one, which a batch of two leaves to the next.
        archive.append(make_article(published_at=archive[1].published_at))
        command = RenderArticles(stdout=io.StringIO())
        with (
            mock.patch("articles.management.commands.render_articles.BATCH", 2),
            mock.patch(
                "articles.management.commands.render_articles.reader_request",
                wraps=reader_request,
            ) as asked,
        ):
            command.handle(verbosity=0)
        newest_first = sorted(archive, key=lambda a: (a.published_at, a.pk), reverse=True)
        self.assertEqual(
            [call.args[0] for call in asked.call_args_list],
            [article.get_absolute_url() for article in newest_first],
        )
        self.assertEqual(self.obsolete(), set())

    def test_processes_side_by_side_each_store_their_part_of_the_pages(self):
        archive = set(make_archive(5))
        call_command("render_articles", "--part", "2/2", verbosity=0)
        self.assertEqual(self.obsolete(), {article for article in archive if article.pk % 2 == 0})
        call_command("render_articles", "--part", "1/2", verbosity=0)
        self.assertEqual(self.obsolete(), set())
        for wrong in ("3/2", "0/2", "2", "a/b", "-1/2"):
            with self.subTest(wrong), self.assertRaises(CommandError):
                call_command("render_articles", "--part", wrong, verbosity=0)

    def test_the_follower_looks_again_after_a_save_anywhere_or_a_minute(self):
        command = RenderArticles(stdout=io.StringIO())
        renew_generation()  # as the first page served does
        with time_machine.travel(timezone.now(), tick=False) as clock:
            self.assertTrue(command.changed())
            self.assertFalse(command.changed())
            self.neighbour.save()
            self.assertTrue(command.changed())
            clock.shift(59)
            self.assertFalse(command.changed())
            clock.shift(2)
            self.assertTrue(command.changed())
            cache.delete(GENERATION_KEY)  # the cache emptied or out of reach: look each time
            self.assertTrue(command.changed())
            self.assertTrue(command.changed())

    def test_a_page_that_cannot_be_stored_is_not_rendered_again_until_it_changes(self):
        standfirst = f"Un {shells.MARK}includes/site_nav.html{shells.MARK} chapeau"
        Article.objects.filter(pk=self.article.pk).update(standfirst=standfirst)
        shells.bump([self.article.pk])
        command = RenderArticles(stdout=io.StringIO())
        command.handle(verbosity=0)
        self.assertEqual(self.obsolete(), {self.article})
        with mock.patch.object(command.handler, "get_response") as rendered:
            self.assertEqual(command.render(), 0)
            self.assertFalse(rendered.called)
        self.article.refresh_from_db()
        self.article.save()
        self.assertEqual(command.render(), 1)


class FollowerWakeTests(TransactionTestCase):
    """Changes made outside a transaction (a script, a management command, the shell) reach
    the database a statement at a time: ``render_articles --follow`` must still see them."""

    def test_the_last_renewal_of_the_generation_comes_once_the_page_is_obsolete(self):
        article = make_article(tags=["Corée du Nord"], authors=[make_author(name="Anna P.")])
        ArticlePlace.objects.create(article=article, place=make_place(name="Kyiv"))
        call_command("render_articles", verbosity=0)

        def renamed(model, old, new):
            item = model.objects.get(name=old)
            item.name = new
            item.save()

        changes = {
            "a tag renamed": lambda: renamed(Tag, "Corée du Nord", "RPDC"),
            "an author renamed": lambda: renamed(Author, "Anna P.", "Anna Politkovskaïa"),
            "a place renamed": lambda: renamed(Place, "Kyiv", "Kyïv"),
            "a correction deleted": Correction.objects.create(article=article, text="Non.").delete,
        }
        for change, make in changes.items():
            with self.subTest(change):
                call_command("render_articles", verbosity=0)
                self.assertEqual(self.obsolete_at_each_renewal(make)[-1], {article})

    def obsolete_at_each_renewal(self, make):
        """What the follower, woken by each renewal of the generation during ``make()``,
        finds obsolete."""
        found = []
        with mock.patch(
            "articles.cache.renew_generation",
            side_effect=lambda: found.append(set(shells.obsolete(Article.objects.published()))),
        ):
            make()
        return found


@override_settings(READER_CACHE_SECONDS=0)
class StoredPageCommitTests(TransactionTestCase):
    """On PostgreSQL, a reader's first visit stores the page without waiting for the disk:
    the page can be rendered again, the reader's time cannot be given back."""

    PAGES = 20

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite in WAL mode (synchronous=NORMAL) syncs no commit")
        with connection.cursor() as cursor:
            cursor.execute("SHOW fsync")
            if cursor.fetchone()[0] != "on":
                self.skipTest("this PostgreSQL server never syncs its log (fsync = off)")
        self.articles = [make_article() for _ in range(self.PAGES)]

    def log_syncs(self, make):
        """How many times the server synced its write-ahead log to disk during ``make()``."""

        def syncs():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_stat_force_next_flush()")
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute("SELECT wal_sync FROM pg_stat_wal")
                return cursor.fetchone()[0]

        before = syncs()
        make()
        return syncs() - before

    def test_first_visits_commit_their_stored_pages_without_a_sync_each(self):
        def save_each():
            for article in self.articles:
                Article.objects.filter(pk=article.pk).update(shell_stamp=F("shell_stamp") + 1)

        def visit_each():
            for article in self.articles:
                self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)

        # An editor's save is durable when it returns: one sync each.
        self.assertGreaterEqual(self.log_syncs(save_each), self.PAGES)
        self.assertLess(self.log_syncs(visit_each), self.PAGES / 2)
        self.assertEqual(ArticleShell.objects.count(), self.PAGES)

    def test_later_commits_of_the_connection_wait_for_the_disk_again(self):
        self.client.get(self.articles[0].get_absolute_url())
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            self.assertEqual(cursor.fetchone()[0], "on")

    def test_a_page_stored_in_a_callers_transaction_leaves_its_commit_durable(self):
        with transaction.atomic():
            call_command("render_articles", verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                self.assertEqual(cursor.fetchone()[0], "on")
        self.assertEqual(ArticleShell.objects.count(), self.PAGES)


class StoredPageCompressionTests(TestCase):
    def test_postgresql_compresses_a_stored_page_with_lz4(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite stores text as it is")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
            )
            if "lz4" not in cursor.fetchone()[0]:
                self.skipTest("this PostgreSQL server was built without LZ4")
        url = make_article(body="<p>Un paragraphe.</p>" * 200).get_absolute_url()
        for _ in range(2):  # stored when asked again
            self.client.get(url)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_column_compression(html) FROM articles_articleshell")
            self.assertEqual(cursor.fetchall(), [("lz4",)])


class FollowerTests(GunicornTestCase):
    """``render_articles --follow`` as operators run it, beside the site's other processes."""

    def test_a_page_made_obsolete_by_another_process_is_stored_again_within_seconds(self):
        log = (self.folder / "follower.log").open("w")
        self.addCleanup(log.close)
        follower = subprocess.Popen(
            [sys.executable, "manage.py", "render_articles", "--follow", "--interval", "0.2"],
            env=self.env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.addCleanup(follower.wait, 15)
        self.addCleanup(follower.terminate)
        seed = "des-troupes-nord-coreennes-soutiennent-la-russie-en-ukraine"
        self.wait_for_page(seed, "Corée du Nord")
        self.manage(
            "shell",
            "-c",
            "from taggit.models import Tag\n"
            "tag = Tag.objects.get(name='Corée du Nord')\n"
            "tag.name = 'République populaire démocratique de Corée'\n"
            "tag.save()",
        )
        self.wait_for_page(seed, "République populaire démocratique de Corée")
        self.assertIsNone(follower.poll(), "the follower stopped")

    def wait_for_page(self, slug, text, timeout=20):
        """Until the stored page of the article at ``slug`` shows ``text``."""
        deadline = monotonic() + timeout
        with contextlib.closing(sqlite3.connect(self.database, timeout=5)) as database:
            while monotonic() < deadline:
                row = database.execute(
                    "SELECT html FROM articles_articleshell shell JOIN articles_article article "
                    "ON article.id = shell.article_id WHERE article.slug = ?",
                    [slug],
                ).fetchone()
                if row and text in row[0]:
                    return
                sleep(0.1)
        self.fail(f"no stored page of {slug} showing {text!r} after {timeout} s")


class ReadersArticleTests(TestCase):
    """Readers' articles are read with SQL written out (``shells.read``), as the ORM reads
    them for staff."""

    def read(self, article, day=None):
        day = day or timezone.localdate(article.published_at)
        since = timezone.make_aware(datetime.combine(day, time.min))
        return shells.read(article.slug, since, since + timedelta(days=1), ARTICLE_PAGE_FLAGS)

    def test_the_article_read_for_readers_is_the_one_the_orm_reads(self):
        article = make_article(
            section=make_section(name="Europe"),
            dateline="Kyiv",
            hero_renditions=[{"width": 480, "name": "hero-480.webp"}],
            revised_at=timezone.now(),
        )
        Correction.objects.create(article=article, text="Une date corrigée.")
        read, orm = self.read(article), Article.objects.get(pk=article.pk)
        for field in Article._meta.concrete_fields:
            if field.name != "search_vector":
                self.assertEqual(getattr(read, field.attname), getattr(orm, field.attname))
        self.assertEqual(read.get_deferred_fields(), {"search_vector"})
        self.assertEqual(read.section.name, "Europe")
        self.assertIs(read.has_corrections, True)
        self.assertIs(read.has_pins, False)
        self.assertIsNone(shells.stored(read))

    def test_an_article_without_a_section_is_read_with_none(self):
        read = self.read(make_article(section=None))
        with self.assertNumQueries(0):
            self.assertIsNone(read.section)

    def test_readers_find_no_article_on_another_day_before_its_time_or_unpublished(self):
        article = make_article()
        self.assertIsNone(
            self.read(article, timezone.localdate(article.published_at) - timedelta(1))
        )
        scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
        self.assertIsNone(self.read(scheduled))
        self.assertIsNone(self.read(make_article(status=Article.Status.DRAFT)))


class CodeVersionTests(SimpleTestCase):
    """A deploy renders every stored page again when it changes what pages are rendered with,
    and only then."""

    ON_PAGES = (
        "articles/views.py",
        "articles/templatetags/articles_tags.py",
        "stories/models.py",
        "templates/base.html",
        "locale/fr/LC_MESSAGES/django.mo",
    )
    NOT_ON_PAGES = (
        "articles/admin/forms.py",
        "stories/admin.py",
        "templates/admin/base_site.html",
        "articles/management/commands/render_articles.py",
    )

    def setUp(self):
        self.base = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.base)
        for name in self.ON_PAGES + self.NOT_ON_PAGES:
            (self.base / name).parent.mkdir(parents=True, exist_ok=True)
            (self.base / name).write_text("before the deploy")
        self.addCleanup(shells.code_version.cache_clear)
        self.before = self.version()

    def version(self):
        shells.code_version.cache_clear()
        with override_settings(BASE_DIR=self.base):
            return shells.code_version()

    def deploy(self, name):
        (self.base / name).write_text("after the deploy")
        return self.version()

    def test_a_change_to_code_templates_or_translations_renders_the_pages_again(self):
        for name in self.ON_PAGES:
            with self.subTest(name):
                after = self.deploy(name)
                self.assertNotEqual(after, self.before)
                self.before = after

    def test_a_change_to_the_editors_desk_or_the_commands_keeps_the_stored_pages(self):
        for name in self.NOT_ON_PAGES:
            with self.subTest(name):
                self.assertEqual(self.deploy(name), self.before)
