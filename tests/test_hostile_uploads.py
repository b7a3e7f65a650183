"""Hostile uploads through the admin's article form, and how uploaded files are served back.

Each upload below gets a form error and leaves nothing in storage; media files go out with
`nosniff` and an image type, or as a download when they are not one of the stored images.
"""

import struct
import zlib
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from articles import images
from tests.factories import change_form_data, jpeg, make_article, make_user

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width, height):
    """A PNG that announces ``width`` × ``height`` RGB pixels and holds none."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + png_chunk(b"IHDR", header) + png_chunk(b"IEND", b"")


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
# Each upload, as (name, content type, content), and the error the editor is given.
HOSTILE_UPLOADS = {
    "an SVG with a script": (("photo.svg", "image/svg+xml", SVG), "invalid_image"),
    "a PNG header followed by HTML": (
        ("photo.png", "image/png", PNG_SIGNATURE + b"<html><script>alert(1)</script></html>"),
        "invalid_image",
    ),
    # A real JPEG, so that only its size is wrong.
    "a file over 15 MB": (
        ("big.jpg", "image/jpeg", jpeg().ljust(images.MAX_BYTES + 1, b"\0")),
        "too_large",
    ),
    "a 20000 × 20000 image header": (
        ("huge.png", "image/png", png_header(20_000, 20_000)),
        "too_many_pixels",
    ),
}


class HostileUploadTests(TestCase):
    def setUp(self):
        self.client.force_login(make_user("Éditeurs"))
        self.article = make_article()

    def post_image(self, name, content_type, content):
        data = change_form_data(self.article, hero_alt="Une image")
        data["hero_image"] = SimpleUploadedFile(name, content, content_type=content_type)
        return self.client.post(f"/admin/articles/article/{self.article.pk}/change/", data)

    def test_each_hostile_upload_is_a_form_error_and_nothing_is_stored(self):
        for label, (upload, code) in HOSTILE_UPLOADS.items():
            with self.subTest(label):
                response = self.post_image(*upload)
                self.assertEqual(response.status_code, 200)
                errors = response.context["adminform"].form.errors.as_data()["hero_image"]
                self.assertEqual([error.code for error in errors], [code])
                self.assertFalse(default_storage.exists("heroes"))
        self.article.refresh_from_db()
        self.assertFalse(self.article.hero_image)

    def test_a_form_over_the_request_limit_gets_a_page_that_says_so(self):
        response = self.client.post(
            f"/admin/articles/article/{self.article.pk}/change/",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
        )
        self.assertContains(
            response, "Votre envoi dépasse 20 Mo : rien n’a été enregistré.", status_code=413
        )

    def test_the_image_field_tells_the_browser_its_limit(self):
        response = self.client.get(f"/admin/articles/article/{self.article.pk}/change/")
        self.assertContains(response, f'data-max-bytes="{images.MAX_BYTES}"')
        self.assertContains(response, 'data-too-large="L’image dépasse 15 Mo."')

    def stored_names(self):
        self.article.refresh_from_db()
        return [self.article.hero_image.name] + [
            rendition[kind]
            for rendition in self.article.hero_renditions
            for kind in ("jpeg", "webp")
        ]

    def test_a_name_over_255_bytes_is_stored_under_a_short_clean_name(self):
        name = "😀" * 90 + ".jpg"
        self.assertGreater(len(name.encode()), 255)
        response = self.post_image(name, "image/jpeg", jpeg())
        self.assertEqual(response.status_code, 302)
        for stored in self.stored_names():
            with self.subTest(stored=stored):
                self.assertTrue(PurePosixPath(stored).name.startswith("image-"))
                self.assertTrue(default_storage.exists(stored))

    def test_rendition_names_are_cleaned_as_the_original_name_is(self):
        response = self.post_image("<script>alert(1)</script>.jpg", "image/jpeg", jpeg())
        self.assertEqual(response.status_code, 302)
        original, *renditions = self.stored_names()
        # What Django keeps of the name is "script>.jpg", after the last slash.
        stem = PurePosixPath(original).stem
        self.assertRegex(stem, r"^script-[0-9a-f]{12}$")
        for rendition in renditions:
            with self.subTest(rendition=rendition):
                self.assertRegex(PurePosixPath(rendition).name, rf"^{stem}-\d+\.(jpg|webp)$")

    def test_new_pixels_get_new_names_even_when_the_old_files_are_gone(self):
        """Media is served as never changing, so a name must never be given to other pixels."""
        self.post_image("photo.jpg", "image/jpeg", jpeg())
        first = self.stored_names()
        for name in first:
            default_storage.delete(name)
        self.post_image("photo.jpg", "image/jpeg", jpeg(colour="red"))
        self.assertFalse(set(first) & set(self.stored_names()))

    def test_an_id_that_is_no_article_or_author_is_a_form_error(self):
        for field in ("pinned_related", "authors"):
            for value in ("abc", "9" * 30, "²", "-1"):
                with self.subTest(field=field, value=value):
                    data = change_form_data(self.article, **{field: value})
                    response = self.client.post(
                        reverse("admin:articles_article_change", args=[self.article.pk]), data
                    )
                    self.assertEqual(response.status_code, 200)
                    errors = response.context["adminform"].form.errors.as_data()[field]
                    self.assertEqual([error.code for error in errors], ["invalid_pk_value"])

    def test_an_image_is_stored_under_its_format_not_its_name(self):
        response = self.post_image("photo.png", "image/png", jpeg())
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertRegex(self.article.hero_image.name, r"/photo-[0-9a-f]{12}\.jpg$")


class MediaServingTests(TestCase):
    def test_uploaded_image_is_served_as_an_image_with_nosniff(self):
        upload = SimpleUploadedFile("photo.jpg", jpeg(), content_type="image/jpeg")
        article = make_article(hero_image=upload, hero_alt="Une image")
        for url in (article.hero_image.url, article.share_image.url):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], "image/jpeg")
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_a_file_that_is_not_a_stored_image_is_a_download(self):
        for name in ("stray.html", "stray.svg", "stray"):
            with self.subTest(name=name):
                stored = default_storage.save(name, ContentFile(b"<script>alert(1)</script>"))
                response = self.client.get(default_storage.url(stored))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], "application/octet-stream")
                self.assertEqual(response["Content-Disposition"], "attachment")
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_media_may_be_kept_by_browsers_for_a_year(self):
        article = make_article()
        response = self.client.get(article.share_card.url)
        self.assertEqual(
            set(response["Cache-Control"].split(", ")), {"public", "max-age=31536000", "immutable"}
        )

    def test_a_name_longer_than_any_file_system_allows_is_not_found(self):
        for path in ("a" * 256, "heroes/" + "é" * 128 + ".jpg", f"{'b' * 300}/x.jpg"):
            with self.subTest(path=path[:20]):
                self.assertEqual(self.client.get(f"/media/{path}").status_code, 404)

    def test_media_is_read_only(self):
        response = self.client.post("/media/anything.jpg")
        self.assertEqual(response.status_code, 405)
