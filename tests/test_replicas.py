"""Reader pages read a real streaming replica (PostgreSQL, pg_basebackup) and never cache a page
that the replica built before it replayed an editor's save."""

import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from django.test import SimpleTestCase

from tests import servers
from tests.factories import SEED_URL
from tests.test_gunicorn import BASE_DIR, GUNICORN

SEED_SLUG = SEED_URL.split("/")[-2]
SEED_TITLE = "Des troupes nord-coréennes soutiennent la Russie en Ukraine"


class ReplicaSiteTestCase(SimpleTestCase):
    """A site on a primary and its replica, served by gunicorn, with a file cache."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.primary, cls.replica = cls.enterClassContext(servers.postgres_pair())
        folder = Path(tempfile.mkdtemp())
        cls.addClassCleanup(shutil.rmtree, folder)
        cls.port = servers.free_port()
        cls.env = servers.environment(
            DATABASE_URL=cls.primary,
            DATABASE_REPLICA_URL=cls.replica,
            SECRET_KEY=secrets.token_urlsafe(50),
            MEDIA_ROOT=folder / "media",
            STATIC_ROOT=folder / "static",
            CACHE_ROOT=folder / "cache",
            PORT=cls.port,
            WEB_CONCURRENCY=2,
            DEBUG="",
        )
        for command in (["migrate"], ["loaddata", "demo"], ["collectstatic"]):
            cls.manage(*command, "--verbosity", "0")
        command = [GUNICORN, "-c", "python:newsroom.gunicorn", "newsroom.wsgi"]
        cls.enterClassContext(
            servers.process(command, cls.port, folder / "gunicorn.log", env=cls.env, cwd=BASE_DIR)
        )

    @classmethod
    def manage(cls, *command):
        subprocess.run(
            [sys.executable, "manage.py", *command], env=cls.env, cwd=BASE_DIR, check=True
        )

    def sql(self, url, query):
        with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as db:
            cursor = db.execute(query)
            return cursor.fetchone() if cursor.description else None

    def page(self, path=SEED_URL):
        status, _, body = servers.get(f"http://127.0.0.1:{self.port}{path}")
        self.assertEqual(status, 200)
        return body.decode()

    def wait_for_the_replica(self):
        position = self.sql(self.primary, "SELECT pg_current_wal_lsn()::text")[0]
        deadline = time.monotonic() + 10
        query = f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn"
        while not self.sql(self.replica, query)[0]:
            self.assertLess(time.monotonic(), deadline, "the replica did not catch up in 10 s")
            time.sleep(0.05)

    def pause_replay(self):
        self.wait_for_the_replica()
        self.sql(self.replica, "SELECT pg_wal_replay_pause()")
        self.addCleanup(self.sql, self.replica, "SELECT pg_wal_replay_resume()")

    def save_title(self, title):
        """An editor's save, through the site's code in another process."""
        self.manage(
            "shell",
            "-c",
            "from articles.models import Article; "
            f"a = Article.objects.get(slug={SEED_SLUG!r}); a.title = {title!r}; a.save()",
        )


class ReplicaTests(ReplicaSiteTestCase):
    def test_a_save_the_replica_has_not_replayed_never_freezes_a_stale_page(self):
        self.assertTrue(SEED_TITLE in self.page())  # now in the page caches
        self.pause_replay()
        self.save_title("Titre corrigé")
        for _ in range(3):
            for path in (SEED_URL, "/"):
                self.assertTrue("Titre corrigé" in self.page(path), f"stale {path}")
        self.sql(self.replica, "SELECT pg_wal_replay_resume()")
        self.wait_for_the_replica()
        self.assertTrue("Titre corrigé" in self.page())
        self.save_title(SEED_TITLE)

    def test_reader_pages_read_the_replica_once_it_is_current(self):
        self.pause_replay()
        # Written behind the site's back, as a save writes it (its time of last save too, which
        # what workers keep of an article is keyed by): nothing tells it the replica is behind.
        self.sql(
            self.primary,
            "UPDATE articles_article SET standfirst = 'Vu du primaire', updated_at = now() "
            f"WHERE slug = '{SEED_SLUG}'",
        )
        # A page no cache holds yet, built from the replica, where the update is not replayed.
        archive = self.page("/archives/2024/10/27/")
        self.assertFalse("Vu du primaire" in archive)
        self.sql(self.replica, "SELECT pg_wal_replay_resume()")
        self.wait_for_the_replica()
        self.assertTrue("Vu du primaire" in self.page("/archives/2024/10/"))

    def test_the_sitemap_index_reads_the_replica_once_it_is_current(self):
        self.pause_replay()
        # Behind the site's back on the primary: a story saved in 2030, and no tag used.
        self.sql(self.primary, "UPDATE stories_story SET updated_at = '2030-01-01T12:00Z'")
        self.sql(self.primary, "CREATE TABLE saved_tagcount AS SELECT * FROM articles_tagcount")
        self.sql(self.primary, "UPDATE articles_tagcount SET published = 0")
        self.addCleanup(
            self.sql,
            self.primary,
            "UPDATE articles_tagcount SET published = saved.published FROM saved_tagcount saved "
            "WHERE saved.tag_id = articles_tagcount.tag_id; DROP TABLE saved_tagcount",
        )
        index = self.page("/sitemap.xml")
        self.assertFalse("2030-01-01" in index)
        self.assertTrue("/sitemap-tags.xml" in index)
