"""Object storage that is down or frozen costs link previews only: reader pages are served and
editors' saves are kept, each within a bounded wait (moto's S3 emulator, stopped or frozen)."""

import os
import signal
import time
import uuid
from unittest import mock

from botocore.endpoint import Endpoint
from django.conf import settings
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from articles import share_card
from articles.templatetags.articles_meta import storage_pause
from newsroom.storage import s3_storage
from tests import servers
from tests.factories import (
    change_form_data,
    jpeg_upload,
    make_article,
    make_live,
    make_story,
    make_user,
    post_update,
    sign_in,
)

# One try and a retry, each bounded by the storage's one-second timeout, and the retry's wait.
MAX_SECONDS = 5
# A page that does not ask the storage.
A_MOMENT = 0.5
ADMIN_LOGGER = "articles.admin.storage_faults"


class StorageFaultTests(TestCase):
    def setUp(self):
        self.enterContext(mock.patch.dict(os.environ, servers.S3_CREDENTIALS))
        self.endpoint, self.emulator = self.enterContext(servers.s3_emulator())
        self.addCleanup(self.emulator.send_signal, signal.SIGCONT)  # before it is stopped
        self.bucket = f"media-{uuid.uuid4().hex[:12]}"
        self.s3 = servers.make_bucket(self.endpoint, self.bucket)
        storage = s3_storage(self.bucket, self.endpoint, timeout=1)
        self.enterContext(override_settings(STORAGES={**settings.STORAGES, "default": storage}))
        self.article = make_article(title="Avant la panne", tags=["Ukraine"])
        self.editor = Client()
        sign_in(self.editor, make_user("Éditeurs"))

    def freeze(self):
        self.emulator.send_signal(signal.SIGSTOP)

    def stop(self):
        self.emulator.kill()
        self.emulator.wait(10)

    def stored_names(self):
        return [item["Key"] for item in self.s3.list_objects_v2(Bucket=self.bucket)["Contents"]]

    def get(self, path, within):
        started = time.monotonic()
        response = self.client.get(path)
        self.assertLess(time.monotonic() - started, within)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def post_while_frozen(self, url, data, logger):
        """The editor's post with the bucket frozen: answered within the bound, the fault
        logged."""
        self.freeze()
        with self.assertLogs(logger, "ERROR"):
            started = time.monotonic()
            response = self.editor.post(url, data)
            self.assertLess(time.monotonic() - started, MAX_SECONDS)
        return response

    def assert_refused_while_frozen(self, url, data, image_field, kept, logger=ADMIN_LOGGER):
        """Posted with a photo while the bucket is frozen, the form comes back with the
        storage's error and what the editor typed (``kept``)."""
        posted = {**data, image_field: jpeg_upload()}
        response = self.post_while_frozen(url, posted, logger)
        self.assertContains(response, "Le stockage des images n’a pas répondu")
        self.assertContains(response, kept)

    def site_card_name(self):
        return share_card.card_name(*share_card.site_card_text())

    def site_card_url(self):
        return f"{self.endpoint}/{self.bucket}/{self.site_card_name()}"

    def assert_pages_link_the_sites_card_without_waiting_twice(self):
        send = Endpoint._send
        with mock.patch.object(Endpoint, "_send", autospec=True, side_effect=send) as sent:
            with self.assertLogs("articles.templatetags.articles_meta", "ERROR"):
                home = self.get(reverse("articles:home"), MAX_SECONDS)
            self.assertEqual(sent.call_count, 2)  # a try and one retry
            self.assertIn(f'content="{self.site_card_url()}"', home)
            tag_page = self.get(reverse("articles:tag", args=["ukraine"]), A_MOMENT)
            self.assertIn(f'content="{self.site_card_url()}"', tag_page)
            self.assertIn("Avant la panne", self.get(self.article.get_absolute_url(), A_MOMENT))
        self.assertEqual(sent.call_count, 2)

    def test_with_the_bucket_frozen_pages_are_served_and_only_the_first_waits(self):
        self.freeze()
        self.assert_pages_link_the_sites_card_without_waiting_twice()

    def test_with_the_bucket_down_pages_are_served_and_only_the_first_waits(self):
        self.stop()
        self.assert_pages_link_the_sites_card_without_waiting_twice()

    def test_the_sites_card_is_drawn_once_the_bucket_answers_again(self):
        with mock.patch.object(storage_pause, "seconds", 0.5):
            self.freeze()
            with self.assertLogs("articles.templatetags.articles_meta", "ERROR"):
                self.get(reverse("articles:home"), MAX_SECONDS)
            self.emulator.send_signal(signal.SIGCONT)
            time.sleep(0.6)
            self.get(reverse("articles:tag", args=["ukraine"]), MAX_SECONDS)
        self.assertIn(self.site_card_name(), self.stored_names())

    def test_an_edit_saved_with_the_bucket_frozen_is_kept_with_its_former_card(self):
        card = self.article.share_card.name
        change = reverse("admin:articles_article_change", args=[self.article.pk])
        data = change_form_data(self.article, title="Pendant la panne")
        response = self.post_while_frozen(change, data, "articles.models")
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Pendant la panne")
        self.assertEqual(self.article.share_card.name, card)
        self.assertIn("Pendant la panne", self.get(self.article.get_absolute_url(), A_MOMENT))

        self.emulator.send_signal(signal.SIGCONT)
        data = change_form_data(self.article, standfirst="Après la panne.")
        self.assertEqual(self.editor.post(change, data).status_code, 302)
        self.article.refresh_from_db()
        self.assertNotEqual(self.article.share_card.name, card)
        self.assertIn(self.article.share_card.name, self.stored_names())

    def test_an_image_uploaded_with_the_bucket_frozen_comes_back_as_the_form_with_an_error(self):
        change = reverse("admin:articles_article_change", args=[self.article.pk])
        data = change_form_data(self.article, title="Avec une photo", hero_alt="Un char")
        self.assert_refused_while_frozen(change, data, "hero_image", 'value="Avec une photo"')
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Avant la panne")

        self.emulator.send_signal(signal.SIGCONT)
        response = self.editor.post(change, {**data, "hero_image": jpeg_upload()})
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Avec une photo")
        self.assertIn(self.article.hero_image.name, self.stored_names())

    def test_a_story_image_uploaded_with_the_bucket_frozen_comes_back_as_the_form_with_an_error(
        self,
    ):
        story = make_story(title="Le front de l'Est")
        change = reverse("admin:stories_story_change", args=[story.pk])
        data = {
            "title": "Le front de l’Est, en images",
            "slug": story.slug,
            "status": story.status,
            "summary": story.summary,
            "image_alt": "Un char",
        }
        self.assert_refused_while_frozen(
            change, data, "image", 'value="Le front de l’Est, en images"'
        )
        story.refresh_from_db()
        self.assertEqual((story.title, story.image.name), ("Le front de l'Est", ""))

    def test_a_live_update_posted_with_the_bucket_frozen_comes_back_with_its_text(self):
        coverage = make_live(article=self.article)
        posting = reverse("admin:live_livecoverage_updates", args=[coverage.pk])
        update = {"title": "", "body": "<p>Frappe sur Kyiv.</p>", "author": "", "image_alt": "Kyiv"}
        self.assert_refused_while_frozen(posting, update, "image", "Frappe sur Kyiv.", "live.admin")
        self.assertFalse(coverage.updates.exists())

        self.emulator.send_signal(signal.SIGCONT)
        response = self.editor.post(posting, {**update, "image": jpeg_upload()})
        self.assertRedirects(response, posting)
        self.assertIn(coverage.updates.get().image.name, self.stored_names())

    def test_a_live_update_corrected_with_a_photo_while_the_bucket_is_frozen_is_left_as_it_was(
        self,
    ):
        update = post_update(make_live(article=self.article), body="<p>Bilan : 3 morts</p>")
        change = reverse("admin:live_liveupdate_change", args=[update.pk])
        corrected = {
            "title": "",
            "body": "<p>Bilan : 4 morts</p>",
            "author": "",
            "image_alt": "Kyiv",
        }
        self.assert_refused_while_frozen(change, corrected, "image", "Bilan : 4 morts")
        update.refresh_from_db()
        self.assertEqual(update.body, "<p>Bilan : 3 morts</p>")
