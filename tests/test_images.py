"""Hero images: checked by content, stripped of metadata, served in sizes that keep pages still."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from articles import images
from articles.models import Article
from tests.factories import change_form_data, make_article, make_user

GPS_IFD = 0x8825


def jpeg_with_gps(size=(1, 1), orientation=None):
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(content, name="photo.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


class AdminUploadTests(TestCase):
    """What an editor's upload through the change form becomes."""

    def setUp(self):
        self.client.force_login(make_user("Éditeurs"))
        self.article = make_article()

    def post_image(self, content, name="photo.jpg", **changes):
        data = change_form_data(self.article, **{"hero_alt": "Une photo", **changes})
        data["hero_image"] = upload(content, name)
        url = f"/admin/articles/article/{self.article.pk}/change/"
        return self.client.post(url, data)

    def test_jpeg_with_gps_exif_is_stored_without_any_exif(self):
        source = jpeg_with_gps()
        self.assertIn(GPS_IFD, Image.open(io.BytesIO(source)).getexif())
        response = self.post_image(source)
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        stored = [self.article.hero_image.name] + [
            rendition[kind]
            for rendition in self.article.hero_renditions
            for kind in ("jpeg", "webp")
        ]
        for name in stored:
            with self.subTest(name=name), self.article.hero_image.storage.open(name) as file:
                image = Image.open(file)
                self.assertEqual(dict(image.getexif()), {})
                self.assertNotIn("exif", image.info)

    def test_text_file_renamed_jpg_is_a_form_error(self):
        response = self.post_image(b"just some text, not an image", name="photo.jpg")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["adminform"].form.errors["hero_image"])

    def test_decompression_bomb_is_a_form_error(self):
        buffer = io.BytesIO()
        # 48 megapixels of one bit each: a tiny file that would decode into a huge image.
        Image.new("1", (8000, 6000)).save(buffer, "PNG")
        self.assertLess(len(buffer.getvalue()), 1024 * 1024)
        response = self.post_image(buffer.getvalue(), name="bomb.png")
        self.assertEqual(response.status_code, 200)
        self.assertIn("40 mégapixels", str(response.context["adminform"].form.errors["hero_image"]))
        self.article.refresh_from_db()
        self.assertFalse(self.article.hero_image)

    def test_gif_is_refused(self):
        buffer = io.BytesIO()
        Image.new("RGB", (2, 2)).save(buffer, "GIF")
        response = self.post_image(buffer.getvalue(), name="anim.gif")
        self.assertIn(
            "JPEG, PNG ou WebP", str(response.context["adminform"].form.errors["hero_image"])
        )

    def test_image_without_alt_text_is_refused(self):
        response = self.post_image(jpeg_with_gps(), hero_alt="")
        self.assertTrue(response.context["adminform"].form.errors["hero_alt"])


class ValidationTests(TestCase):
    def test_file_over_15_mb_is_refused_before_decoding(self):
        big = upload(b"\xff\xd8" + b"0" * (images.MAX_BYTES + 1))
        with self.assertRaisesMessage(Exception, "15"):
            images.validate_hero_image(big)

    def test_over_40_megapixels_is_refused(self):
        buffer = io.BytesIO()
        Image.new("1", (7000, 6000)).save(buffer, "PNG")
        with self.assertRaisesMessage(Exception, "40"):
            images.validate_hero_image(upload(buffer.getvalue(), "big.png"))


class RenditionTests(TestCase):
    def test_orientation_is_applied_and_renditions_made_in_webp_and_jpeg(self):
        # EXIF orientation 6: the camera was turned; the upright picture is 600 × 2000.
        article = make_article(
            hero_image=upload(jpeg_with_gps(size=(2000, 600), orientation=6)),
            hero_alt="Une photo",
        )
        self.assertEqual((article.hero_width, article.hero_height), (600, 2000))
        self.assertEqual([r["width"] for r in article.hero_renditions], [480, 600])
        self.assertEqual(article.hero_renditions[0]["height"], 1600)
        self.assertTrue(article.hero_renditions[0]["webp"].endswith(".webp"))

    def test_page_uses_srcset_sizes_width_and_height(self):
        article = make_article(
            hero_image=upload(jpeg_with_gps(size=(2000, 1000))), hero_alt="Une photo"
        )
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, '<source type="image/webp" srcset="/media/heroes/renditions/')
        self.assertContains(response, "480w, ")
        self.assertContains(response, "1600w")
        self.assertContains(response, 'width="2000" height="1000"')
        self.assertContains(response, 'alt="Une photo"')

    def test_png_and_webp_are_accepted(self):
        for image_format, mode in (("PNG", "RGBA"), ("PNG", "P"), ("WEBP", "RGB")):
            with self.subTest(image_format=image_format, mode=mode):
                buffer = io.BytesIO()
                Image.new(mode, (600, 400)).save(buffer, image_format)
                file = upload(buffer.getvalue(), f"image.{image_format.lower()}")
                images.validate_hero_image(file)
                article = make_article(hero_image=file, hero_alt="Une image")
                self.assertEqual([r["width"] for r in article.hero_renditions], [480, 600])

    def test_clearing_the_image_clears_its_renditions(self):
        article = make_article(hero_image=upload(jpeg_with_gps()), hero_alt="Une photo")
        article.hero_image = None
        article.save()
        self.assertEqual(Article.objects.get(pk=article.pk).hero_renditions, [])
