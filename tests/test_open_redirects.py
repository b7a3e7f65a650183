"""No redirect of the site, whatever a request asks, sends a reader to another host."""

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from tests.factories import SEED_URL, sign_in

OFFSITE = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "http:evil.example",
    "https:/evil.example",
    " //evil.example",
    "/\t/evil.example",
    "//evil.example/%2f..",
    "javascript:alert(1)",
    "https://testserver@evil.example",
]
PASSWORD = "correct horse battery staple"


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class OpenRedirectTests(TestCase):
    fixtures = ["demo"]

    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_superuser("editor", "e@example.org", PASSWORD)

    def assert_stays_on_site(self, response):
        location = response.headers.get("Location")
        if location is None:
            return
        # Browsers drop tabs and newlines, trim spaces and read "\" as "/": so do we.
        seen = location.strip().translate({9: None, 10: None, 13: None}).replace("\\", "/")
        parts = urlsplit(seen)
        self.assertIn(parts.scheme, ("", "http", "https"), location)
        self.assertIn(parts.netloc, ("", "testserver"), location)

    def test_sign_in_never_sends_an_editor_off_site(self):
        for target in OFFSITE:
            with self.subTest(target=target):
                self.client.logout()
                response = self.client.post(
                    reverse("admin:login"),
                    {"username": "editor", "password": PASSWORD, "next": target},
                )
                self.assertRedirects(response, reverse("admin:index"))

    def test_sign_in_with_next_in_the_query_string_stays_on_site(self):
        for target in OFFSITE:
            with self.subTest(target=target):
                self.client.logout()
                response = self.client.post(
                    reverse("admin:login") + "?next=" + target,
                    {"username": "editor", "password": PASSWORD},
                )
                self.assert_stays_on_site(response)
                self.assertEqual(response.status_code, 302)

    def test_an_editor_already_signed_in_is_not_bounced_off_site(self):
        sign_in(self.client, self.editor)
        for target in OFFSITE:
            with self.subTest(target=target):
                response = self.client.get(reverse("admin:login"), {"next": target})
                self.assert_stays_on_site(response)

    def test_sign_out_never_sends_an_editor_off_site(self):
        for target in OFFSITE:
            with self.subTest(target=target):
                sign_in(self.client, self.editor)
                response = self.client.post(reverse("admin:logout"), {"next": target})
                self.assert_stays_on_site(response)

    def test_redirecting_paths_stay_on_site(self):
        """The slash-appending redirect, the admin's, and the article's canonical redirect."""
        paths = [f"/{target}" for target in OFFSITE] + [
            "//evil.example/tags/ukraine",
            "/\\evil.example/tags/ukraine",
            "/tags/ukraine",
            "/admin",
            "//evil.example/admin",
            "/admin/articles/article",
            "/admin//evil.example",
            "/articles/2020/01/01/des-troupes-nord-coreennes-soutiennent-la-russie-en-ukraine/",
            f"{SEED_URL}?next=//evil.example",
        ]
        for path in paths:
            with self.subTest(path=path):
                self.assert_stays_on_site(self.client.get(path))
        sign_in(self.client, self.editor)
        for path in paths:
            with self.subTest(path=path, editor=True):
                self.assert_stays_on_site(self.client.get(path))
