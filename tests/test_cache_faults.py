"""A Redis that is down or frozen costs speed only: readers and editors keep working, quickly."""

import shutil
import signal
import subprocess
import time
from unittest import mock

import redis
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from articles.cache import GENERATION_KEY
from newsroom.cache import RedisCache
from tests.factories import change_form_data, make_article, make_user, sign_in
from tests.services import require
from tests.test_gunicorn import free_port

# What "bounded" means: one short socket timeout, then the cache is left alone.
MAX_SECONDS = 1.5


class RedisFaultTests(TestCase):
    def setUp(self):
        binary = shutil.which("redis-server")
        require(binary, "redis-server is not installed")
        port = free_port()
        self.redis = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        self.addCleanup(self.redis.wait, 10)
        self.addCleanup(self.redis.kill)  # a stopped process dies of SIGKILL too
        location = f"redis://127.0.0.1:{port}/0"
        with redis.from_url(location) as server:
            deadline = time.monotonic() + 10
            while True:
                try:
                    server.ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        caches = override_settings(
            CACHES={
                "default": {
                    "BACKEND": "newsroom.cache.RedisCache",
                    "LOCATION": location,
                    "OPTIONS": {"kept_keys": [GENERATION_KEY]},
                }
            }
        )
        caches.enable()
        self.addCleanup(caches.disable)

        self.article = make_article(title="Malgré la panne")
        self.editor = Client()
        sign_in(self.editor, make_user("Éditeurs"))
        # With Redis up, the reader's page and the editor's session are in it.
        self.assertEqual(self.client.get(self.article.get_absolute_url()).status_code, 200)
        self.assertEqual(self.editor.get(reverse("admin:index")).status_code, 200)

    def assert_everyone_is_served_quickly(self):
        change = reverse("admin:articles_article_change", args=[self.article.pk])
        requests = [
            (self.client, "get", self.article.get_absolute_url(), {}, 200),
            (self.client, "get", reverse("articles:home"), {}, 200),
            (self.editor, "get", reverse("admin:articles_article_changelist"), {}, 200),
            (self.editor, "get", change, {}, 200),
            (self.editor, "post", change, change_form_data(self.article, title="Corrigé"), 302),
            (self.client, "get", self.article.get_absolute_url(), {}, 200),
        ]
        with self.assertLogs("newsroom.cache", "ERROR"):
            for client, method, url, data, status in requests:
                with self.subTest(method=method, url=url):
                    started = time.monotonic()
                    response = getattr(client, method)(url, data)
                    self.assertLess(time.monotonic() - started, MAX_SECONDS)
                    self.assertEqual(response.status_code, status)
        self.assertContains(self.client.get(self.article.get_absolute_url()), "Corrigé")

    def test_with_redis_down_pages_and_the_admin_come_from_the_database(self):
        self.redis.kill()
        self.redis.wait(10)
        self.assert_everyone_is_served_quickly()

    def test_with_redis_frozen_no_request_waits_more_than_a_moment(self):
        self.redis.send_signal(signal.SIGSTOP)
        self.assert_everyone_is_served_quickly()

    def test_an_edit_saved_while_redis_was_frozen_shows_once_redis_answers_again(self):
        # The save could not renew the generation: the page stored before it must not come back.
        url = self.article.get_absolute_url()
        self.assertContains(self.client.get(url), "Malgré la panne")  # stored in Redis
        change = reverse("admin:articles_article_change", args=[self.article.pk])
        with mock.patch.object(RedisCache, "PAUSE", 0.5):
            self.redis.send_signal(signal.SIGSTOP)
            with self.assertLogs("newsroom.cache", "ERROR"):
                data = change_form_data(self.article, title="Corrigé pendant la panne")
                self.assertEqual(self.editor.post(change, data).status_code, 302)
            self.redis.send_signal(signal.SIGCONT)
            time.sleep(0.6)
            self.assertContains(self.client.get(url), "Corrigé pendant la panne")
