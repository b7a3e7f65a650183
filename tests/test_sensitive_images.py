"""Sensitive hero images: blurred by the server, shown on request, never a link preview."""

import re
from io import BytesIO

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from PIL import Image, ImageStat

from articles.images import BLURRED_WIDTH
from tests.factories import make_article, structured_data


def checkerboard(size=(1600, 900), square=20):
    """A picture full of detail: black and white squares."""
    image = Image.new("L", size, 0)
    pixels = image.load()
    for x in range(size[0]):
        for y in range(size[1]):
            if (x // square + y // square) % 2:
                pixels[x, y] = 255
    output = BytesIO()
    image.convert("RGB").save(output, "JPEG")
    return SimpleUploadedFile("victimes.jpg", output.getvalue(), content_type="image/jpeg")


def make_sensitive_article(**fields):
    return make_article(
        hero_image=checkerboard(),
        hero_alt="Des corps dans une rue de Boutcha",
        hero_sensitive=True,
        hero_warning="Corps de civils",
        **fields,
    )


class BlurredRenditionTests(TestCase):
    def setUp(self):
        # Each test has a media folder of its own: the files are made in it.
        self.article = make_sensitive_article()

    def test_saving_a_sensitive_image_stores_a_blurred_rendition(self):
        blurred = self.article.hero_blurred
        self.assertEqual(blurred["width"], BLURRED_WIDTH)
        self.assertEqual(blurred["height"], 540)
        for kind in ("jpeg", "webp"):
            self.assertTrue(default_storage.exists(blurred[kind]))

    def test_the_rendition_hides_the_detail(self):
        with default_storage.open(self.article.hero_blurred["jpeg"]) as file:
            image = Image.open(file).convert("L")
            # The checkerboard's pixels are 0 or 255 (deviation 127); blurred, nearly uniform.
            self.assertLess(ImageStat.Stat(image).stddev[0], 10)

    def test_the_flag_lifted_drops_the_rendition_and_set_again_draws_it(self):
        article = make_sensitive_article()
        article.hero_sensitive = False
        article.save()
        self.assertEqual(article.hero_blurred, {})
        article.hero_sensitive = True
        article.save()
        self.assertEqual(article.hero_blurred["width"], BLURRED_WIDTH)

    def test_another_save_keeps_the_same_rendition(self):
        article = make_sensitive_article()
        before = article.hero_blurred
        article.title = "Nouveau titre"
        article.save()
        self.assertEqual(article.hero_blurred, before)


class ReaderPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_sensitive_article()

    def setUp(self):
        self.response = self.client.get(self.article.get_absolute_url())
        self.html = self.response.content.decode()

    def test_readers_see_the_blurred_rendition_with_the_warning(self):
        self.assertContains(self.response, self.article.hero_blurred_url)
        self.assertContains(self.response, "Image sensible")
        self.assertContains(self.response, "Corps de civils")

    def test_the_image_itself_is_only_inside_a_template_or_behind_a_link(self):
        outside_template = re.sub(r"<template.*?</template>", "", self.html, flags=re.S)
        real = self.article.hero_preview.url
        self.assertNotIn(f'src="{real}"', outside_template)
        self.assertNotIn('srcset="' + self.article.hero_srcset_jpeg, outside_template)
        # Without JavaScript, a link opens the image.
        self.assertIn(f'<a class="sensitive__reveal" href="{real}"', outside_template)
        self.assertIn(f'src="{real}"', self.html)

    def test_link_previews_and_structured_data_use_the_share_card(self):
        card = self.article.share_card.url
        self.assertTrue(card)
        self.assertRegex(self.html, rf'<meta property="og:image" content="[^"]*{re.escape(card)}">')
        self.assertRegex(
            self.html, rf'<meta name="twitter:image" content="[^"]*{re.escape(card)}">'
        )
        self.assertTrue(structured_data(self.response)["image"]["url"].endswith(card))
        self.assertNotRegex(self.html, r'<meta[^>]+content="[^"]*/heroes/')

    def test_feeds_and_sitemaps_never_carry_the_image(self):
        local = self.article.published_at
        urls = [
            reverse("articles:feed-rss"),
            reverse("articles:feed-atom"),
            reverse("articles:sitemap-news"),
            reverse("articles:sitemap-articles", kwargs={"year": local.year, "month": local.month}),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(b"/heroes/", response.content)


class ListTests(TestCase):
    """Lists show no sensitive image: only the article's page does, blurred behind its warning."""

    def test_home_tag_pages_and_the_related_sidebar_show_no_thumbnail_of_it(self):
        sensitive = make_sensitive_article(title="Boutcha", tags=["Ukraine"])
        neighbour = make_article(title="Kyiv", tags=["Ukraine"])
        urls = ["/", reverse("articles:tag", args=["ukraine"]), neighbour.get_absolute_url()]
        for url in urls:
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertIn("Boutcha", html)
                self.assertNotIn("/heroes/", html)
        self.assertNotIn("teaser--pictured", self.client.get("/").content.decode())
        self.assertTrue(sensitive.hero_image)
