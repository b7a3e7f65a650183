"""The production server: gunicorn as `make run` starts it, reloaded under load, side by side
with another one, and sent bodies it must refuse or accept."""

import http.cookiejar
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
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from articles import images
from tests.factories import EMPTY_INLINES, jpeg

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornTestCase(SimpleTestCase):
    """A fresh site (SQLite database with the demo data) for each class, served by gunicorn."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.port = free_port()
        cls.folder = Path(tempfile.mkdtemp())
        cls.addClassCleanup(shutil.rmtree, cls.folder)
        cls.database = cls.folder / "db.sqlite3"
        cls.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{cls.database}",
            "STATIC_ROOT": str(cls.folder / "static"),
            "MEDIA_ROOT": str(cls.folder / "media"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "PORT": str(cls.port),
            "WEB_CONCURRENCY": "2",
            "DEBUG": "",
        }
        manage = [sys.executable, "manage.py"]
        for command in (
            ["migrate", "--noinput"],
            ["loaddata", "demo"],
            ["collectstatic", "--noinput"],
        ):
            subprocess.run(
                manage + command + ["--verbosity", "0"], env=cls.env, cwd=BASE_DIR, check=True
            )

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
        self.addCleanup(server.wait, 30)
        self.addCleanup(server.terminate)
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
