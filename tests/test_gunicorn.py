"""The production server: gunicorn as `make run` starts it, reloaded under load, side by side
with another one, its database connections killed, sent bodies it must refuse or accept, and
asked with HEAD."""

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import redis
from django.db import connection
from django.test import SimpleTestCase

from articles import images
from tests import servers
from tests.factories import EMPTY_INLINES, SEED_URL, jpeg

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornTestCase(SimpleTestCase):
    """A site set up as `make run` does, with no service configured, served by real gunicorn."""

    workers = 2

    def setUp(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        self.database = self.folder / "db.sqlite3"
        self.env = {
            **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},
            "DATABASE_URL": self.database_url(),
            "STATIC_ROOT": str(self.folder / "static"),
            "MEDIA_ROOT": str(self.folder / "media"),
            "CACHE_ROOT": str(self.folder / "cache"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(self.workers),
            "DEBUG": "",
        }
        for command in (
            ["migrate", "--noinput"],
            ["loaddata", "demo"],
            ["collectstatic", "--noinput"],
        ):
            self.manage(*command, "--verbosity", "0")

    def database_url(self):
        return f"sqlite:///{self.database}"

    def manage(self, *command):
        """Run a manage.py command as another process on the same site would; its output."""
        return subprocess.run(
            [sys.executable, "manage.py", *command],
            env=self.env,
            cwd=BASE_DIR,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def start_server(self, port=None):
        port = port or self.port
        self.log = self.folder / f"gunicorn-{port}.log"
        log = self.log.open("w")
        self.addCleanup(log.close)
        server = subprocess.Popen(
            [
                GUNICORN,
                "-c",
                "python:newsroom.gunicorn",
                "--access-logfile",
                "/dev/null",
                "newsroom.wsgi",
            ],
            env={**self.env, "PORT": str(port)},
            cwd=BASE_DIR,
            stdout=log,
            stderr=log,
        )
        self.addCleanup(servers.stop, server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/healthz", port), timeout=2).close()
                return server
            except OSError:
                time.sleep(0.2)
        self.fail("gunicorn did not start within 30 s")

    def url(self, path, port=None):
        return f"http://127.0.0.1:{port or self.port}{path}"


class GarbageCollectorTests(SimpleTestCase):
    """The site's gunicorn settings, serving an application that reports on the collector."""

    def serve(self, threads):
        port, folder = free_port(), Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        environment = {
            **os.environ,
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": str(threads),
        }
        command = [GUNICORN, "-c", "python:newsroom.gunicorn", "--access-logfile", "/dev/null"]
        server = servers.process(
            [*command, "tests.collector_probe:application"],
            port,
            folder / "gunicorn.log",
            env=environment,
            cwd=BASE_DIR,
        )
        self.enterContext(server)
        return [json.loads(servers.get(f"http://127.0.0.1:{port}/")[2]) for _ in range(20)]

    def test_a_sync_worker_collects_between_requests_not_during_them(self):
        reports = self.serve(threads=1)
        self.assertEqual({report["collector_on"] for report in reports}, {False})
        # Each request left more garbage than a young collection waits for: the one it owed
        # ran after it, before the next request.
        collections = [report["collections"] for report in reports]
        self.assertEqual(collections, sorted(set(collections)))

    def test_a_threaded_worker_keeps_the_collector_on(self):
        reports = self.serve(threads=2)
        self.assertEqual({report["collector_on"] for report in reports}, {True})


class GracefulReloadTests(GunicornTestCase):
    requests_per_client = 150
    clients = 4

    def test_hup_to_the_master_under_load_fails_no_request(self):
        server = self.start_server()
        failures, statuses = [], []

        def reader():
            for _ in range(self.requests_per_client):  # bounded: a fixed number of requests
                try:
                    with urllib.request.urlopen(self.url("/"), timeout=10) as response:
                        statuses.append(response.status)
                except Exception as error:  # any failure counts, whatever its kind
                    failures.append(repr(error))

        threads = [threading.Thread(target=reader) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        server.send_signal(signal.SIGHUP)
        for thread in threads:
            thread.join(timeout=120)

        # The master logs the hang-up when it handles it, which may be after the last request.
        deadline = time.monotonic() + 10
        while "Hang up: Master" not in self.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertIn("Hang up: Master", self.log.read_text())
        self.assertEqual(failures, [])
        self.assertEqual(statuses, [200] * (self.requests_per_client * self.clients))


class SharedCacheAcrossWorkersTests(GunicornTestCase):
    """Without Redis, every worker of the machine reads the same page cache and generation."""

    workers = 3

    def read_concurrently(self, path, count, clients=4):
        """``count`` pages, fetched by several clients at once so that every worker answers."""

        def fetch(_):
            with urllib.request.urlopen(self.url(path), timeout=10) as response:
                return response.read().decode()

        with ThreadPoolExecutor(clients) as pool:
            return list(pool.map(fetch, range(count)))

    def test_an_edit_made_by_another_process_shows_at_once_from_every_worker(self):
        self.start_server()
        self.read_concurrently(SEED_URL, 20)  # every worker has the page, and its generation
        self.manage(
            "shell",
            "-c",
            "from articles.models import Article\n"
            f"article = Article.objects.get(slug={SEED_URL.split('/')[-2]!r})\n"
            "article.title = 'Titre corrigé ailleurs'\n"
            "article.save()\n",
        )
        pages = self.read_concurrently(SEED_URL, 20)
        self.assertEqual(sum("Titre corrigé ailleurs" in page for page in pages), 20)

    def test_a_scheduled_article_appears_within_the_cache_delay_and_never_vanishes(self):
        self.env["READER_CACHE_SECONDS"] = "2"
        self.start_server()
        self.read_concurrently("/", 20)
        output = self.manage(
            "shell",
            "-c",
            "from datetime import timedelta\n"
            "from django.utils import timezone\n"
            "from articles.models import Article\n"
            "article = Article.objects.create(title='Annonce programmée', standfirst='.',"
            " body='.', status='published', published_at=timezone.now() + timedelta(seconds=3))\n"
            "print(article.published_at.timestamp())\n",
        )
        due = float(output.split()[-1])
        # (start, end, seen) of each request, from four clients, until six seconds after.
        requests = []

        def reader(delay):
            # Readers joining one after another make the workers build the page at different
            # moments, as real traffic does: per-worker caches then disagree for a while.
            time.sleep(delay)
            stop = due + 6
            while time.time() < stop:
                started = time.time()
                with urllib.request.urlopen(self.url("/"), timeout=10) as response:
                    seen = "Annonce programmée" in response.read().decode()
                requests.append((started, time.time(), seen))
                time.sleep(0.02)

        threads = [threading.Thread(target=reader, args=[0.6 * i]) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        first_seen = min(end for _, end, seen in requests if seen)
        self.assertLess(first_seen, due + 2 + 0.5)
        missed_after = [start for start, _, seen in requests if start > first_seen and not seen]
        self.assertEqual(missed_after, [])
        self.assertFalse(any(seen for _, end, seen in requests if end < due))


class SharedRedisAcrossWorkersTests(SharedCacheAcrossWorkersTests):
    """The same with Redis, where each worker also keeps the pages it read from it last."""

    def setUp(self):
        super().setUp()
        self.redis_url = self.enterContext(servers.redis_server())
        self.env["REDIS_URL"] = self.redis_url

    def redis(self):
        client = redis.from_url(self.redis_url)
        self.addCleanup(client.close)
        return client

    def edit_elsewhere(self, title):
        self.manage(
            "shell",
            "-c",
            "from articles.models import Article\n"
            f"article = Article.objects.get(slug={SEED_URL.split('/')[-2]!r})\n"
            f"article.title = {title!r}\n"
            "article.save()\n",
        )

    def test_workers_serve_the_page_they_kept_until_an_edit_elsewhere(self):
        self.start_server()
        self.read_concurrently(SEED_URL, 30)
        server = self.redis()
        server.config_resetstat()
        self.read_concurrently(SEED_URL, 30)
        calls = {
            command: stats["calls"]
            for command, stats in server.info("commandstats").items()
            if command in ("cmdstat_get", "cmdstat_mget")
        }
        # Each request read the page with the generation (MGET) in a worker that had not read
        # that page yet, at most once a worker; or the generation alone (GET), unless the
        # worker had it from Redis a moment before (newsroom/cache.py).
        self.assertLessEqual(calls.get("cmdstat_mget", 0), self.workers)
        self.assertLessEqual(calls.get("cmdstat_get", 0) + calls.get("cmdstat_mget", 0), 30)

        self.edit_elsewhere("Titre corrigé ailleurs")
        pages = self.read_concurrently(SEED_URL, 20)
        self.assertEqual(sum("Titre corrigé ailleurs" in page for page in pages), 20)

    def test_an_edit_elsewhere_shows_at_once_while_workers_keep_the_generation(self):
        # Each worker read the generation from Redis a moment ago, and the pages are asked for
        # the moment the edit is saved: only Redis's word that the generation changed can stop
        # a worker serving the page it kept.
        self.start_server()
        self.read_concurrently(SEED_URL, 30)
        output = self.manage(
            "shell",
            "-c",
            "import urllib.request\n"
            "from concurrent.futures import ThreadPoolExecutor\n"
            "from articles.models import Article\n"
            f"article = Article.objects.get(slug={SEED_URL.split('/')[-2]!r})\n"
            "def read(_):\n"
            f"    with urllib.request.urlopen({self.url(SEED_URL)!r}, timeout=10) as page:\n"
            "        return 'Corrigé à l’instant' in page.read().decode()\n"
            "with ThreadPoolExecutor(4) as pool:\n"
            "    list(pool.map(read, range(12)))\n"  # every worker keeps the generation
            "    article.title = 'Corrigé à l’instant'\n"
            "    article.save()\n"
            "    print(sum(pool.map(read, range(12))))\n",
        )
        self.assertEqual(output.split()[-1], "12")

    def test_with_redis_frozen_an_edit_still_shows_at_once_from_every_worker(self):
        # No worker can hear of this edit from Redis: each must find Redis silent and build
        # the page, rather than serve the one it kept.
        self.start_server()
        self.read_concurrently(SEED_URL, 30)
        pid = self.redis().info("server")["process_id"]
        os.kill(pid, signal.SIGSTOP)
        self.addCleanup(os.kill, pid, signal.SIGCONT)
        self.edit_elsewhere("Corrigé pendant la panne")
        pages = self.read_concurrently(SEED_URL, 20)
        self.assertEqual(sum("Corrigé pendant la panne" in page for page in pages), 20)


class PostgresConnectionLossTests(GunicornTestCase):
    """Workers whose PostgreSQL connections die (a restart, a failover, an administrator's
    pg_terminate_backend) reconnect at the next request, prepared statements included."""

    workers = 3
    pages = ("/", SEED_URL, "/tags/ukraine/", "/archives/2024/10/")

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("runs in the PostgreSQL pass (DATABASE_URL)")
        super().setUp()
        # Every request reaches the database: no page from the cache.
        self.env["READER_CACHE_SECONDS"] = "0"

    def database_url(self):
        """A database of its own on the suite's PostgreSQL server, dropped afterwards."""
        params = connection.settings_dict
        self.server = self.enterContext(
            psycopg.connect(
                host=params["HOST"],
                port=params["PORT"] or None,
                user=params["USER"],
                password=params["PASSWORD"],
                dbname=params["NAME"],
                autocommit=True,
            )
        )
        self.database_name = f"newsroom_gunicorn_{secrets.token_hex(4)}"
        self.server.execute(f'CREATE DATABASE "{self.database_name}"')
        self.addCleanup(self.server.execute, f'DROP DATABASE "{self.database_name}" WITH (FORCE)')
        url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        return url._replace(path=f"/{self.database_name}").geturl()

    def read_every_page(self, rounds):
        """Each page ``rounds`` times from several clients at once: the statuses."""

        def fetch(path):
            try:
                with urllib.request.urlopen(self.url(path), timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(fetch, self.pages * rounds))

    def terminate_backends(self):
        """Kill the workers' connections to the site's database: how many there were."""
        return len(
            self.server.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.database_name],
            ).fetchall()
        )

    def test_every_request_after_the_connections_die_is_answered(self):
        self.start_server()
        # Six rounds: each worker's connection runs the prepared statements several times.
        self.assertEqual(set(self.read_every_page(6)), {200})
        self.assertGreaterEqual(self.terminate_backends(), 1)
        self.assertEqual(set(self.read_every_page(6)), {200})
        self.assertNotIn("Traceback", self.log.read_text())


class SideBySideTests(GunicornTestCase):
    def test_two_servers_of_one_user_share_no_control_socket(self):
        """gunicorn's default control socket is one path per user, which a second server takes."""
        runtime = self.folder / "runtime"
        runtime.mkdir(mode=0o700)
        self.env = {**self.env, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime)}
        first, other_port = self.start_server(), free_port()
        second = self.start_server(other_port)
        self.assertEqual(list(runtime.rglob("*")), [])
        first.terminate()
        first.wait(30)
        with urllib.request.urlopen(self.url("/healthz", other_port), timeout=10) as response:
            self.assertEqual(response.status, 200)
        self.assertIsNone(second.poll())


class RequestBodyTests(GunicornTestCase):
    def send_raw(self, head, body):
        """The status line gunicorn answers to ``head`` and the first part of a body.

        The rest of the body is never sent: a server waiting for it answers nothing, and the
        socket's timeout fails the test.
        """
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as connection:
            connection.sendall(head.encode() + b"\r\n\r\n" + body)
            return connection.makefile("rb").readline().decode().strip()

    def test_a_huge_body_is_refused_on_its_headers_without_being_read(self):
        self.start_server()
        # With a CSRF cookie, as any visitor of the site has, Django would read the form.
        head = (
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: csrftoken={'a' * 32}\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {500 * 1024 * 1024}"
        )
        part = b'--x\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n'
        self.assertEqual(
            self.send_raw(head, part + b"x" * 65536), "HTTP/1.1 413 Request Entity Too Large"
        )

    def test_a_chunked_body_is_refused_without_being_read(self):
        self.start_server()
        head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked"
        chunk = b"%x\r\n" % (500 * 1024 * 1024) + b"x" * 65536
        self.assertEqual(self.send_raw(head, chunk), "HTTP/1.1 411 Length Required")

    def test_an_editor_still_uploads_a_15_mb_hero_image(self):
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "createsuperuser",
                "--noinput",
                "--verbosity",
                "0",
                "--username",
                "editor",
                "--email",
                "editor@news.example",
            ],
            env={**self.env, "DJANGO_SUPERUSER_PASSWORD": "a long enough password"},
            cwd=BASE_DIR,
            check=True,
        )
        self.start_server()
        cookies = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))

        def form_token(path):
            html = browser.open(self.url(path), timeout=10).read().decode()
            return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

        login = urllib.parse.urlencode(
            {
                "username": "editor",
                "password": "a long enough password",
                "csrfmiddlewaretoken": form_token("/admin/login/"),
            }
        ).encode()
        browser.open(self.url("/admin/login/"), login, timeout=10).close()
        add = "/admin/articles/article/add/"
        now = datetime.now(ZoneInfo("Europe/Paris"))
        fields = {
            "csrfmiddlewaretoken": form_token(add),
            "title": "Une photo de 15 Mo",
            "standfirst": "Chapeau.",
            "body": "<p>Texte.</p>",
            "status": "draft",
            "published_at_0": now.strftime("%d/%m/%Y"),
            "published_at_1": now.strftime("%H:%M:%S"),
            "authors": "1",
            "section": "1",
            "hero_alt": "Une photo",
            **EMPTY_INLINES,
        }
        # A real JPEG, padded to the largest size a hero image may have.
        image = jpeg().ljust(images.MAX_BYTES, b"\0")
        body, content_type = multipart(fields, ("hero_image", "photo.jpg", image))
        self.assertGreater(len(body), 15 * 1024 * 1024)
        request = urllib.request.Request(
            self.url(add), body, {"Content-Type": content_type}, method="POST"
        )
        with browser.open(request, timeout=60) as response:
            self.assertEqual(response.url, self.url("/admin/articles/article/"))
        with sqlite3.connect(self.database) as database:
            [(hero,)] = database.execute(
                "SELECT hero_image FROM articles_article WHERE title = 'Une photo de 15 Mo'"
            )
        self.assertTrue((self.folder / "media" / hero).is_file())


def multipart(fields, file):
    """A multipart/form-data body of text ``fields`` and one ``(field, file name, bytes)``."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    name, filename, content = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class HeadRequestTests(GunicornTestCase):
    """Link checkers, uptime monitors and link-preview fetchers ask with HEAD."""

    def raw(self, method, path):
        """The status line, headers and body bytes gunicorn sends for ``method path``."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as connection:
            connection.sendall(f"{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
            answer = connection.makefile("rb").read()
        head, _, body = answer.partition(b"\r\n\r\n")
        status, *lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines)
        return status, headers, body

    def test_a_head_request_gets_the_get_headers_and_no_body_without_a_warning(self):
        self.start_server()
        pages = ("/healthz", SEED_URL, "/rss/", "/no-such-page/", "/static/css/site.css")
        # HEAD first: a page built for HEAD is stored for GET with its body.
        for path in (*pages, SEED_URL):
            with self.subTest(path=path):
                head_status, head_headers, head_body = self.raw("HEAD", path)
                status, headers, body = self.raw("GET", path)
                self.assertEqual(head_status, status)
                self.assertTrue(body)
                self.assertEqual(head_headers["Content-Length"], str(len(body)))
                self.assertEqual(head_body, b"")
        self.assertNotIn("no-body response", self.log.read_text())
