"""/healthz tells a load balancer whether this instance can serve readers."""

import json
from unittest import mock

from django.test import TestCase, override_settings


class HealthCheckTests(TestCase):
    def test_healthy_when_database_and_cache_answer(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            json.loads(response.content), {"status": "ok", "database": "ok", "cache": "ok"}
        )

    def test_never_cached(self):
        response = self.client.get("/healthz")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("max-age=0", response["Cache-Control"])

    def test_unavailable_when_the_database_fails(self):
        with (
            mock.patch("newsroom.views.database_answers", side_effect=RuntimeError("down")),
            self.assertLogs("newsroom.views", "ERROR"),
        ):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(json.loads(response.content)["database"], "error")

    @override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
            }
        }
    )
    def test_unavailable_when_the_cache_fails(self):
        with self.assertLogs("newsroom.views", "ERROR"):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(
            json.loads(response.content), {"status": "error", "database": "ok", "cache": "error"}
        )

    def test_a_value_culled_by_another_worker_is_no_failure(self):
        with mock.patch("newsroom.views.cache.get", side_effect=[None, "ok"]):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)

    def test_unavailable_when_the_cache_keeps_nothing(self):
        with mock.patch("newsroom.views.cache.get", return_value=None):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(json.loads(response.content)["cache"], "error")

    def test_answers_a_single_query(self):
        with self.assertNumQueries(1):
            self.client.get("/healthz")
