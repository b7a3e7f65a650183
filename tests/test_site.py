"""The layout, error pages, demo data and settings that every page relies on."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.test import RequestFactory, SimpleTestCase, TestCase
from taggit.models import Tag, TaggedItem

from articles.models import Article, Author
from articles.views import server_error
from tests.factories import SEED_URL

BASE_DIR = Path(__file__).resolve().parent.parent


class LayoutTests(TestCase):
    fixtures = ["demo"]

    def test_reader_pages_have_landmarks_and_a_skip_link(self):
        for url in ("/", SEED_URL, "/tags/ukraine/", "/authors/la-redaction/", "/archives/2024/"):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertIn('<a class="skip-link" href="#content">', html)
                for landmark in ("<header", "<nav", '<main id="content"', "<footer"):
                    self.assertIn(landmark, html)
                self.assertEqual(html.count("<h1"), 1)

    def test_reader_pages_load_nothing_from_other_hosts(self):
        for url in ("/", SEED_URL, "/tags/ukraine/"):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                for attribute in re.findall(r"<(?:script|link|img|iframe)[^>]*>", html):
                    if re.search(r'rel="(?:canonical|alternate|shortlink)"', attribute):
                        continue  # The page's own public addresses: nothing is loaded from them.
                    self.assertNotRegex(attribute, r'(?:src|href)="(?:https?:)?//')

    def test_anonymous_reader_pages_set_no_cookie(self):
        response = self.client.get(SEED_URL)
        self.assertEqual(response.cookies, {})


class ErrorPageTests(TestCase):
    def test_not_found_page_is_french_and_in_the_layout(self):
        response = self.client.get("/no/such/page/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page introuvable", status_code=404)
        self.assertContains(response, '<a class="skip-link"', status_code=404)

    def test_server_error_page_is_french_and_in_the_layout(self):
        response = server_error(RequestFactory().get("/"))
        self.assertEqual(response.status_code, 500)
        html = response.content.decode()
        self.assertIn("Une erreur est survenue", html)
        self.assertIn('<a class="skip-link"', html)


class DemoFixtureTests(TestCase):
    def test_loading_the_demo_twice_duplicates_nothing(self):
        call_command("loaddata", "demo", verbosity=0)
        counts = [m.objects.count() for m in (Article, Author, Tag, TaggedItem)]
        call_command("loaddata", "demo", verbosity=0)
        self.assertEqual([m.objects.count() for m in (Article, Author, Tag, TaggedItem)], counts)
        self.assertEqual(counts[0], 3)

    def test_seed_piece_is_published_after_both_related_pieces(self):
        call_command("loaddata", "demo", verbosity=0)
        titles = [article.title for article in Article.objects.published()]
        self.assertEqual(
            titles,
            [
                "Des troupes nord-coréennes soutiennent la Russie en Ukraine",
                "L'Ukraine échoue à percer les défenses russes, tensions croissantes",
                "Zelensky inquiet : troupes nord-coréennes bientôt en Russie ?",
            ],
        )


class SettingsTests(SimpleTestCase):
    def load_settings(self, **env):
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
        }
        return subprocess.run(
            [sys.executable, "-c", "import newsroom.settings as s; print(s.SECRET_KEY)"],
            cwd=BASE_DIR,
            env={**environment, **env},
            capture_output=True,
            text=True,
        )

    def test_deployment_without_secret_key_refuses_to_start_and_names_it(self):
        for variable in ("DATABASE_URL", "ALLOWED_HOSTS"):
            with self.subTest(variable=variable):
                result = self.load_settings(**{variable: "postgres://db/news"})
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("SECRET_KEY", result.stderr)

    def test_deployment_with_secret_key_starts(self):
        result = self.load_settings(DATABASE_URL="postgres://db/news", SECRET_KEY="k" * 50)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "k" * 50)

    def test_local_mode_generates_a_key_once_and_keeps_it(self):
        first = self.load_settings()
        second = self.load_settings()
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertGreaterEqual(len(first.stdout.strip()), 50)
        self.assertEqual(first.stdout, second.stdout)
