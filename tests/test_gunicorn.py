"""The production server: gunicorn as `make run` starts it, reloaded under load."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from django.test import SimpleTestCase

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GracefulReloadTests(SimpleTestCase):
    requests_per_client = 150
    clients = 4

    def setUp(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        self.database = self.folder / "db.sqlite3"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "STATIC_ROOT": str(self.folder / "static"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "PORT": str(self.port),
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
                manage + command + ["--verbosity", "0"], env=self.env, cwd=BASE_DIR, check=True
            )

    def start_server(self):
        self.log = self.folder / "gunicorn.log"
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
            env=self.env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=log,
        )
        self.addCleanup(server.wait, 30)
        self.addCleanup(server.terminate)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=2).close()
                return server
            except OSError:
                time.sleep(0.2)
        self.fail("gunicorn did not start within 30 s")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

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
