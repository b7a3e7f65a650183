"""Security headers, deployment checks and Host handling."""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.utils import get_random_secret_key
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from articles.views import server_error
from tests.factories import make_article

BASE_DIR = Path(__file__).resolve().parent.parent


class DeployCheckTests(SimpleTestCase):
    def test_deploy_checks_are_clean_with_production_settings(self):
        environment = {
            **os.environ,
            "SECRET_KEY": get_random_secret_key(),
            "ALLOWED_HOSTS": "news.example",
            "SITE_URL": "https://news.example",
            "DEBUG": "",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


class SecurityHeaderTests(TestCase):
    def assert_secure_headers(self, response):
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("script-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertIn("geolocation=()", response["Permissions-Policy"])

    def test_reader_pages_send_every_security_header(self):
        article = make_article()
        for url in ("/", article.get_absolute_url()):
            with self.subTest(url=url):
                self.assert_secure_headers(self.client.get(url))

    def test_cached_page_keeps_its_security_headers(self):
        make_article()
        self.client.get("/")
        self.assert_secure_headers(self.client.get("/"))

    def test_error_pages_send_every_security_header(self):
        self.assert_secure_headers(self.client.get("/no/such/page/"))

    def test_admin_sends_every_security_header(self):
        self.assert_secure_headers(self.client.get("/admin/login/"))
        self.client.force_login(User.objects.create_superuser("chief", password="x"))
        self.assert_secure_headers(self.client.get("/admin/articles/article/add/"))

    def test_only_the_editor_pages_allow_the_editor_stylesheet(self):
        self.client.force_login(User.objects.create_superuser("chief", password="x"))
        article = make_article()
        for url in (
            "/admin/articles/article/add/",
            f"/admin/articles/article/{article.pk}/change/",
            f"/admin/articles/article/{article.pk}/history/{article.history.first().pk}/",
        ):
            with self.subTest(url=url):
                policy = self.client.get(url)["Content-Security-Policy"]
                self.assertIn(f"style-src 'self' {settings.PROSE_EDITOR_STYLE_HASH}", policy)
        for url in ("/", "/admin/", "/admin/articles/author/add/"):
            with self.subTest(url=url):
                policy = self.client.get(url)["Content-Security-Policy"]
                self.assertNotIn(settings.PROSE_EDITOR_STYLE_HASH, policy)

    def test_server_error_page_is_plain_html_from_the_site(self):
        response = server_error(RequestFactory().get("/"))
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")

    @override_settings(SECURE_HSTS_SECONDS=63072000, SECURE_SSL_REDIRECT=False)
    def test_https_responses_carry_hsts(self):
        response = self.client.get("/", secure=True)
        self.assertEqual(response["Strict-Transport-Security"], "max-age=63072000")


class StaticFileTests(TestCase):
    def test_static_files_are_hashed_and_cached_for_a_year(self):
        with (
            tempfile.TemporaryDirectory() as static_root,
            override_settings(
                STATIC_ROOT=static_root,
                STORAGES={
                    **settings.STORAGES,
                    "staticfiles": {
                        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    },
                },
                WHITENOISE_USE_FINDERS=False,
            ),
        ):
            call_command("collectstatic", interactive=False, verbosity=0)
            page = self.client.get("/").content.decode()
            stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
            self.assertIsNotNone(stylesheet, page)
            response = self.client.get(stylesheet.group(1))
            self.assertEqual(response.status_code, 200)
            self.assertIn("immutable", response["Cache-Control"])
            self.assertIn("max-age=315360000", response["Cache-Control"])


class HostHeaderTests(TestCase):
    def test_unknown_host_is_refused_with_400(self):
        response = self.client.get("/", HTTP_HOST="evil.example")
        self.assertEqual(response.status_code, 400)

    @override_settings(SITE_URL="https://news.example")
    def test_forwarded_host_is_ignored(self):
        article = make_article()
        response = self.client.get(article.get_absolute_url(), HTTP_X_FORWARDED_HOST="evil.example")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "evil.example")
