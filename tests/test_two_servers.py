"""Two application servers, one site: the same PostgreSQL (with its replica), Redis, object
storage (moto's S3 emulator) and proxies (nginx, then Varnish). What an editor does through
one server shows at once through the other and through the proxies."""

import http.cookiejar
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from tests import servers
from tests.factories import EMPTY_INLINES, jpeg
from tests.test_gunicorn import BASE_DIR, GUNICORN, multipart

PASSWORD = "a long enough password"
TITLE = "Deux serveurs, une rédaction"
CORRECTION = "Le nom du village a été corrigé."


class TwoServersTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        context = cls.enterClassContext
        primary, replica = context(servers.postgres_pair())
        endpoint = context(servers.s3_server())
        bucket = f"media-{uuid.uuid4().hex[:12]}"
        servers.make_bucket(endpoint, bucket)
        folder = Path(tempfile.mkdtemp())
        cls.addClassCleanup(shutil.rmtree, folder)
        cls.ports = servers.free_port(), servers.free_port()
        cls.env = servers.environment(
            DATABASE_URL=primary,
            DATABASE_REPLICA_URL=replica,
            REDIS_URL=context(servers.redis_server()),
            MEDIA_BUCKET=bucket,
            MEDIA_ENDPOINT_URL=endpoint,
            SECRET_KEY=secrets.token_urlsafe(50),
            STATIC_ROOT=folder / "static",
            BEHIND_PROXY="1",
            WEB_CONCURRENCY=2,
            DEBUG="",
            **servers.S3_CREDENTIALS,
        )
        for command in (["migrate"], ["loaddata", "demo"], ["collectstatic"]):
            cls.manage(*command, "--verbosity", "0")
        cls.manage(
            "createsuperuser", "--noinput", "--username", "editor", "--email", "e@news.example"
        )
        # The proxies sit in front of the first server; Varnish is purged by both.
        cls.proxy = context(servers.varnish(cls.ports[0]))
        cls.env["PURGE_URLS"] = cls.proxy
        cls.front = context(servers.nginx(int(cls.proxy.rsplit(":", 1)[1]), folder / "static"))
        command = [GUNICORN, "-c", "python:newsroom.gunicorn", "newsroom.wsgi"]
        for port in cls.ports:
            context(
                servers.process(
                    command,
                    port,
                    folder / f"gunicorn-{port}.log",
                    env={**cls.env, "PORT": str(port), "SITE_URL": f"http://127.0.0.1:{port}"},
                    cwd=BASE_DIR,
                )
            )

    @classmethod
    def manage(cls, *command):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            env={**cls.env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            cwd=BASE_DIR,
            check=True,
        )

    def test_an_editors_image_and_correction_show_at_once_everywhere(self):
        one, other = (f"http://127.0.0.1:{port}" for port in self.ports)
        editor = Editor(one)
        now = datetime.now(ZoneInfo("Europe/Paris"))
        fields = {
            "title": TITLE,
            "standfirst": "Chapeau.",
            "body": "<p>Texte.</p>",
            "status": "published",
            "published_at_0": now.strftime("%d/%m/%Y"),
            "published_at_1": now.strftime("%H:%M:%S"),
            "authors": "1",
            "hero_alt": "Un village",
            **EMPTY_INLINES,
        }
        editor.post("/admin/articles/article/add/", fields, ("hero_image", "village.jpg", jpeg()))
        path = f"/articles/{now:%Y/%m/%d}/deux-serveurs-une-redaction/"
        readers = (other + path, self.front + path)
        for url in readers:
            status, _, body = servers.get(url)
            self.assertEqual(status, 200, url)
            image = re.search(r'<img[^>]+src="([^"]+)"', body.decode())[1]
            self.assertIn(self.env["MEDIA_BUCKET"], image)
            status, headers, _ = servers.get(image)
            self.assertEqual((status, headers["Content-Type"]), (200, "image/jpeg"))
        self.assertEqual(servers.get(self.front + path)[1]["X-Cache"], "hit")

        change = editor.change_url(TITLE)
        version = re.search(r'name="edited_version" value="(\d+)"', editor.open(change))[1]
        editor.post(
            change,
            {
                **fields,
                "slug": "deux-serveurs-une-redaction",
                "initial-published_at_0": fields["published_at_0"],
                "initial-published_at_1": fields["published_at_1"],
                "edited_version": version,
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-text": CORRECTION,
                "corrections-0-created_at_0": fields["published_at_0"],
                "corrections-0-created_at_1": fields["published_at_1"],
            },
        )
        # The other server reads the same database and cache; the proxy was purged by the save,
        # on a thread of its own, which may still be sending for a few milliseconds.
        self.assertIn(CORRECTION, servers.get(readers[0])[2].decode())
        deadline = time.monotonic() + 1
        while CORRECTION not in servers.get(readers[1])[2].decode():
            self.assertLess(time.monotonic(), deadline, "the proxy kept the page for 1 s")
            time.sleep(0.05)


class Editor:
    """An editor's browser on one server: signed in, posting the admin's forms."""

    def __init__(self, site):
        self.site = site
        self.browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        token = self.token("/admin/login/")
        login = {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token}
        self.browser.open(self.site + "/admin/login/", urllib.parse.urlencode(login).encode())

    def open(self, path):
        with self.browser.open(self.site + path, timeout=30) as response:
            return response.read().decode()

    def token(self, path):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.open(path))[1]

    def change_url(self, title):
        listing = self.open("/admin/articles/article/?" + urllib.parse.urlencode({"q": title}))
        return re.search(r'href="(/admin/articles/article/\d+/change/)', listing)[1]

    def post(self, path, fields, file=None):
        fields = {**fields, "csrfmiddlewaretoken": self.token(path)}
        if file:
            body, content_type = multipart(fields, file)
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.site + path, body, {"Content-Type": content_type}, method="POST"
        )
        with self.browser.open(request, timeout=60) as response:
            page = response.read().decode()
        # A saved form redirects to the list; one refused comes back with its errors.
        errors = re.findall(r"<ul class=\"errorlist[^>]*>(.*?)</ul>", page, re.S)
        assert response.url.endswith("/admin/articles/article/"), errors
