"""Media in S3-compatible object storage: uploads, renditions, share cards, cleanup and backups
go through Django's storage API to a bucket, here on moto's S3 emulator (not Amazon S3)."""

import io
import os
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path
from unittest import mock

import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from storages.backends.s3 import S3Storage

from articles import media
from articles.management import backup
from articles.models import Article
from newsroom.storage import s3_storage
from tests import servers
from tests.factories import jpeg_upload, make_article, make_story
from tests.test_link_previews import Head


class BucketMixin:
    """Each test gets a new, empty bucket on one emulator shared by the class."""

    @classmethod
    def setUpClass(cls):
        cls.endpoint = cls.enterClassContext(servers.s3_server())
        cls.enterClassContext(mock.patch.dict(os.environ, servers.S3_CREDENTIALS))
        super().setUpClass()

    def setUp(self):
        super().setUp()
        self.use_bucket(f"media-{uuid.uuid4().hex[:12]}")

    def use_bucket(self, name):
        self.bucket = name
        self.s3 = servers.make_bucket(self.endpoint, name)
        storages = {**settings.STORAGES, "default": s3_storage(name, self.endpoint)}
        self.enterContext(override_settings(STORAGES=storages))

    def objects(self):
        """{key: bytes} of everything in the bucket."""
        listing = self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])
        return {
            item["Key"]: self.s3.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()
            for item in listing
        }


class UploadTests(BucketMixin, TestCase):
    def test_a_hero_image_and_its_renditions_are_stored_in_the_bucket(self):
        article = make_article(hero_image=jpeg_upload(), hero_alt="Un char")
        stored = self.objects()
        names = media.names_of(article.hero_image.name, article.hero_renditions)
        self.assertEqual(len(names), 9)
        self.assertLessEqual(set(names), set(stored))
        self.assertFalse(Path(settings.MEDIA_ROOT, article.hero_image.name).exists())

    def test_pages_link_the_images_at_the_bucket_with_their_type_and_lifetime(self):
        article = make_article(hero_image=jpeg_upload(), hero_alt="Un char")
        page = self.client.get(article.get_absolute_url()).content.decode()
        webp = article.hero_renditions[0]["webp"]
        url = f"{self.endpoint}/{self.bucket}/{webp}"
        self.assertIn(url, page)
        status, headers, body = servers.get(url)
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "image/webp")
        self.assertEqual(headers["Cache-Control"], "public, max-age=31536000, immutable")
        self.assertEqual(body[8:12], b"WEBP")

    def test_link_previews_and_structured_data_name_images_at_the_bucket_as_they_are(self):
        article = make_article(hero_image=jpeg_upload(), hero_alt="Un char")
        card = make_article(title="Sans photo")
        for shown, image in ((article, article.hero_preview), (card, card.share_image)):
            head = Head(self.client.get(shown.get_absolute_url()).content.decode())
            self.assertTrue(image.url.startswith(f"{self.endpoint}/{self.bucket}/"))
            self.assertEqual(head.one("og:image"), image.url)
            self.assertEqual(head.one("twitter:image"), image.url)
            self.assertEqual(head.document("NewsArticle")["image"]["url"], image.url)
        home = Head(self.client.get("/").content.decode())
        self.assertTrue(home.one("og:image").startswith(f"{self.endpoint}/{self.bucket}/"))

    def test_a_share_card_is_drawn_into_the_bucket_once(self):
        article = make_article(title="Sans photo")
        name = article.share_card.name
        self.assertTrue(name.startswith("share-cards/"))
        self.assertEqual(self.objects()[name][:8], b"\x89PNG\r\n\x1a\n")
        make_article(title="Sans photo", published_at=article.published_at)
        self.assertEqual([key for key in self.objects() if key.startswith("share-cards/")], [name])

    def test_pages_built_again_ask_the_bucket_nothing_about_the_sites_card(self):
        make_article(tags=["Ukraine"])
        exists = S3Storage.exists
        with mock.patch.object(S3Storage, "exists", autospec=True, side_effect=exists) as asked:
            self.assertEqual(self.client.get("/").status_code, 200)  # draws the card
            drawing = asked.call_count
            for path in (reverse("articles:tag", args=["ukraine"]), "/"):
                cache.clear()
                self.assertEqual(self.client.get(path).status_code, 200)
        self.assertGreater(drawing, 0)
        self.assertEqual(asked.call_count, drawing)
        self.assertEqual(len([key for key in self.objects() if "share-cards/" in key]), 2)

    def test_a_story_image_is_stored_in_the_bucket(self):
        story = make_story(image=jpeg_upload(), image_alt="Un pont")
        self.assertIn(story.image.name, self.objects())


class CleanupTests(BucketMixin, TestCase):
    def test_files_no_row_refers_to_are_deleted_and_a_revisions_image_is_kept(self):
        article = make_article(hero_image=jpeg_upload(), hero_alt="Un char")
        first = media.names_of(article.hero_image.name, article.hero_renditions)
        article.hero_image = jpeg_upload(size=(1000, 700), name="other.jpg")
        article.save()
        stray = default_storage.save("heroes/renditions/stray-480.jpg", ContentFile(b"x"))
        with time_machine.travel(timezone.now() + timedelta(minutes=30)):
            output = io.StringIO()
            call_command("clean_media", "--grace-minutes", "20", stdout=output)
            self.assertEqual(output.getvalue(), f"{stray}\n1 unreferenced file(s) deleted.\n")
        stored = set(self.objects())
        # The replaced image stays while its revision can bring it back.
        self.assertLessEqual(set(first), stored)
        self.assertNotIn(stray, stored)

    def test_the_sites_card_is_kept_though_no_row_names_it(self):
        self.assertEqual(self.client.get("/").status_code, 200)
        [card] = [name for name in self.objects() if name.startswith("share-cards/")]
        # Drawn at the same moment by another worker, which links the name it was given.
        copy = default_storage.save(card, ContentFile(self.objects()[card]))
        self.assertNotEqual(copy, card)
        default_storage.save("share-cards/0123456789abcdef.png", ContentFile(b"stray"))
        with time_machine.travel(timezone.now() + timedelta(days=1)):
            call_command("clean_media", stdout=io.StringIO())
        self.assertEqual(sorted(self.objects()), sorted([card, copy]))

    def test_a_file_younger_than_the_grace_may_belong_to_a_save_under_way(self):
        stray = default_storage.save("heroes/2026/12/new.jpg", ContentFile(b"x"))
        call_command("clean_media", stdout=io.StringIO())
        self.assertIn(stray, self.objects())

    def test_a_dry_run_deletes_nothing(self):
        stray = default_storage.save("heroes/2026/12/old.jpg", ContentFile(b"x"))
        output = io.StringIO()
        call_command("clean_media", "--dry-run", "--grace-minutes", "0", stdout=output)
        self.assertIn("1 unreferenced file(s) would be deleted.", output.getvalue())
        self.assertIn(stray, self.objects())


class BucketBackupTests(BucketMixin, TransactionTestCase):
    def test_an_archive_restores_every_image_into_an_empty_bucket_byte_for_byte(self):
        call_command("loaddata", "demo", verbosity=0)
        call_command("draw_share_cards", verbosity=0)
        seed = Article.objects.order_by("pk").first()
        seed.hero_image, seed.hero_alt = jpeg_upload(), "Une photo"
        seed.save()
        make_story(articles=[seed], image=jpeg_upload(name="pont.jpg"), image_alt="Un pont")
        before = self.objects()
        self.assertEqual(set(before), set(backup.media_names()))
        self.assertTrue(any(name.startswith("share-cards/") for name in before))

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "backup.zip"
            call_command("export_archive", path, stdout=io.StringIO())
            call_command("flush", interactive=False, verbosity=0)
            self.use_bucket(f"restored-{uuid.uuid4().hex[:12]}")
            self.assertEqual(self.objects(), {})
            call_command("import_archive", path, stdout=io.StringIO())
        self.assertEqual(self.objects(), before)
        page = self.client.get(Article.objects.get(pk=seed.pk).get_absolute_url())
        self.assertContains(page, f"{self.endpoint}/{self.bucket}/heroes/renditions/")
