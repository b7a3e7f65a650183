"""Admin sign-in lockout: 5 failures from one address pause sign-in there, never everywhere."""

import os
import subprocess
import sys
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.9"
LOCKED_OUT = "Connexion suspendue"


# A fast hasher: these tests sign in some fifty times.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class SignInLockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)

    def sign_in(self, username, password="wrong", address=ATTACKER, **headers):
        return self.client.post(
            reverse("admin:login"),
            {"username": username, "password": password, "next": reverse("admin:index")},
            REMOTE_ADDR=address,
            headers=headers,
        )

    def fail(self, times, username="editor", address=ATTACKER, **headers):
        for _ in range(times):
            self.sign_in(username, address=address, **headers)

    def assert_locked_out(self, response):
        self.assertContains(response, LOCKED_OUT, status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_four_failures_still_let_the_right_password_in(self):
        self.fail(4)
        response = self.sign_in("editor", PASSWORD)
        self.assertRedirects(response, reverse("admin:index"))

    def test_failures_for_an_account_from_elsewhere_never_lock_its_editor_out(self):
        for n in range(20):
            self.sign_in("editor", address=f"198.51.100.{n}")
        response = self.sign_in("editor", PASSWORD, address="192.0.2.1")
        self.assertRedirects(response, reverse("admin:index"))

    def test_five_failures_for_an_account_from_one_address_lock_that_address(self):
        self.fail(5)
        self.assert_locked_out(self.sign_in("editor", PASSWORD))
        self.assertRedirects(self.sign_in("editor", PASSWORD, address="192.0.2.1"), "/admin/")

    def test_lockout_page_says_how_long_sign_in_is_paused(self):
        self.fail(5)
        response = self.sign_in("editor", PASSWORD)
        self.assertContains(response, "suspendue pendant 15\xa0minutes", status_code=429)
        self.assertNotContains(response, "pour un moment", status_code=429)

    def test_five_failures_from_one_address_lock_every_account_there(self):
        for n in range(5):
            self.sign_in(f"guess-{n}")
        self.assert_locked_out(self.sign_in("editor", PASSWORD))
        # Another address may still sign in to that account.
        self.assertRedirects(self.sign_in("editor", PASSWORD, address="192.0.2.1"), "/admin/")

    def test_failures_and_lockout_read_the_same_whether_or_not_the_account_exists(self):
        real = self.sign_in("editor", address="198.51.100.1")
        unknown = self.sign_in("nobody", address="198.51.100.2")
        for response in (real, unknown):
            self.assertContains(response, "Veuillez compléter correctement les champs")
        self.fail(5, "editor", address="198.51.100.1")
        self.fail(5, "nobody", address="198.51.100.2")
        real = self.sign_in("editor", address="198.51.100.1")
        unknown = self.sign_in("nobody", address="198.51.100.2")
        self.assertEqual(real.status_code, unknown.status_code)
        self.assertEqual(real.content, unknown.content)

    def test_forged_forwarded_for_does_not_reset_the_count(self):
        for n in range(5):
            self.sign_in(f"guess-{n}", x_forwarded_for=f"10.0.0.{n}")
        self.assert_locked_out(self.sign_in("editor", PASSWORD, x_forwarded_for="10.9.9.9"))

    @override_settings(BEHIND_PROXY=True)
    def test_behind_the_proxy_only_the_address_it_appends_counts(self):
        # The proxy connects from 127.0.0.1 and appends the address it saw; the rest is forged.
        proxy = "127.0.0.1"
        for n in range(5):
            self.sign_in(f"guess-{n}", address=proxy, x_forwarded_for=f"10.0.0.{n}, {ATTACKER}")
        attacker = self.sign_in(
            "editor", PASSWORD, address=proxy, x_forwarded_for=f"10.9.9.9, {ATTACKER}"
        )
        self.assert_locked_out(attacker)
        colleague = self.sign_in("editor", PASSWORD, address=proxy, x_forwarded_for="192.0.2.7")
        self.assertRedirects(colleague, reverse("admin:index"))

    @override_settings(BEHIND_PROXY=True)
    def test_behind_the_proxy_a_header_that_is_no_address_counts_for_the_connection(self):
        for n in range(5):
            self.sign_in(f"guess-{n}", address="192.0.2.8", x_forwarded_for=f"junk-{n}")
        self.assert_locked_out(self.sign_in("editor", PASSWORD, address="192.0.2.8"))

    def test_lockout_ends_fifteen_minutes_after_the_last_failure(self):
        self.fail(5)
        self.assert_locked_out(self.sign_in("editor", PASSWORD))
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
        self.assertRedirects(self.sign_in("editor", PASSWORD), reverse("admin:index"))


class CommandOutputTests(SimpleTestCase):
    def test_management_commands_print_only_what_they_say(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=settings.BASE_DIR,
            env={**os.environ, "SECRET_KEY": "x"},
            capture_output=True,
            text=True,
            check=True,
        )
        self.assertEqual(result.stdout, "System check identified no issues (0 silenced).\n")
        self.assertNotIn("AXES", result.stderr)
