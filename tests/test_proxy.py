"""The documented production set-up, for real on loopback: nginx (deploy/nginx.conf) in front,
Varnish (deploy/varnish.vcl, with xkey) as the shared page cache, gunicorn behind."""

import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor

from tests import servers
from tests.factories import SEED_URL
from tests.test_gunicorn import GunicornTestCase

# An editor's correction to the seed article, saved by another process.
CORRECT = (
    "from articles.models import Article, Correction; "
    f"Correction.objects.create(article=Article.objects.get(slug={SEED_URL.split('/')[-2]!r}), "
    "text={text!r})"
)


class VarnishTests(GunicornTestCase):
    def setUp(self):
        super().setUp()
        self.proxy = self.enterContext(servers.varnish(self.port))
        self.env["PURGE_URLS"] = self.proxy
        self.start_server()

    def get(self, path, **headers):
        return servers.get(self.proxy + path, headers)

    def test_a_correction_reaches_readers_through_the_proxy_within_a_second(self):
        self.assertEqual(self.get(SEED_URL)[1]["X-Cache"], "miss")
        self.assertEqual(self.get(SEED_URL)[1]["X-Cache"], "hit")
        self.get("/robots.txt")
        self.manage("shell", "-c", CORRECT.format(text="Une date a été corrigée."))
        saved = time.monotonic()
        while "Une date a été corrigée." not in self.get(SEED_URL)[2].decode():
            self.assertLess(time.monotonic() - saved, 1, "the correction did not show in 1 s")
            time.sleep(0.05)
        # Purged exactly: a page that does not show the article stays in the proxy.
        self.assertEqual(self.get("/robots.txt")[1]["X-Cache"], "hit")

    def test_cookies_never_reach_a_cached_answer_and_editors_never_get_one(self):
        self.get(SEED_URL)
        # A reader's cookies (a made-up session among them) never reach the site.
        status, headers, _ = self.get(SEED_URL, Cookie="sessionid=forged; csrftoken=x")
        self.assertEqual((status, headers["X-Cache"]), (200, "hit"))
        self.assertNotIn("Set-Cookie", headers)
        self.assertNotIn("Surrogate-Key", headers)
        for _ in range(2):
            headers = self.get(SEED_URL, Cookie="sessionid=abc; editor=signed")[1]
            self.assertEqual(headers["X-Cache"], "miss")
        # The admin passes through, and what sets a cookie is never stored.
        for _ in range(2):
            status, headers, _ = self.get("/admin/login/")
            self.assertEqual((status, headers["X-Cache"]), (200, "miss"))
            self.assertIn("csrftoken", headers["Set-Cookie"])


# Long enough to outlast nginx's and gunicorn's timeouts several times over; CI may shorten it.
SLOW_CLIENTS_SECONDS = float(os.environ.get("SLOW_CLIENTS_SECONDS", "60"))
SLOW_CLIENTS = 50


class NginxTests(GunicornTestCase):
    def setUp(self):
        super().setUp()
        self.start_server()
        self.front = self.enterContext(servers.nginx(self.port, self.folder / "static"))

    def test_fifty_slow_clients_leave_every_normal_request_answered(self):
        """Each slow client sends one header line every 5 s, and starts again when cut off."""
        stop = time.monotonic() + SLOW_CLIENTS_SECONDS
        port = int(self.front.rsplit(":", 1)[1])

        def slow_client(_):
            while time.monotonic() < stop:
                try:
                    with socket.create_connection(("127.0.0.1", port), 5) as sock:
                        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                        while time.monotonic() < stop:
                            sock.sendall(b"X-Slow: 1\r\n")
                            time.sleep(5)
                except OSError:
                    time.sleep(0.5)  # cut off by nginx: come back

        answers = []
        attack = ThreadPoolExecutor(SLOW_CLIENTS)
        self.addCleanup(attack.shutdown)
        list(map(lambda i: attack.submit(slow_client, i), range(SLOW_CLIENTS)))
        time.sleep(1)
        # Normal readers meanwhile: pages the site's cache holds and pages it must build.
        paths = [SEED_URL, "/", "/search/?q=ukraine", "/healthz"]
        while time.monotonic() < stop:
            started = time.monotonic()
            status = servers.get(self.front + paths[len(answers) % len(paths)], timeout=10)[0]
            answers.append((status, time.monotonic() - started))
            time.sleep(0.2)
        self.assertGreater(len(answers), SLOW_CLIENTS_SECONDS)
        self.assertEqual({status for status, _ in answers}, {200})
        self.assertLess(max(seconds for _, seconds in answers), 2)

    def test_limits_static_files_and_compression(self):
        """A body over the limit is refused unread; static files and pages go out gzipped."""
        port = int(self.front.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), 5) as sock:
            sock.sendall(
                b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Length: 20971521\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            self.assertTrue(sock.recv(100).startswith(b"HTTP/1.1 413"))
        css = next((self.folder / "static" / "css").glob("site.*.css"))
        path = f"/static/css/{css.name}"
        status, headers, _ = servers.get(self.front + path, {"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Cache-Control"], "public, max-age=31536000, immutable")
        self.assertEqual(headers["Content-Encoding"], "gzip")
        headers = servers.get(self.front + SEED_URL, {"Accept-Encoding": "gzip"})[1]
        self.assertEqual(headers["Content-Encoding"], "gzip")
