"""Readers on failing networks still get a light page: the home and article pages stay within
30 KB transferred, HTML, CSS and JavaScript compressed (as whitenoise serves them), photos aside."""

import gzip
import re

from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from articles.models import Article, Feature
from tests.factories import SEED_URL, jpeg

BUDGET = 30 * 1024


def compressed(data):
    return len(gzip.compress(data, compresslevel=9))


class PageWeightTests(TestCase):
    fixtures = ["demo"]

    @classmethod
    def setUpTestData(cls):
        # The heaviest home the demo gives: pictures on the front page, every teaser's markup.
        for article in Article.objects.all():
            article.hero_image = SimpleUploadedFile("p.jpg", jpeg((1600, 900)), "image/jpeg")
            article.hero_alt = "Une photo de la ligne de front, au crépuscule."
            article.save()
        Feature.objects.create(article=Article.objects.get(pk=1), position=1)

    def weight(self, url):
        """The page's compressed bytes, with the stylesheets and scripts it loads."""
        html = self.client.get(url).content
        sizes = {url: compressed(html)}
        assets = re.findall(
            rb'<link rel="stylesheet" href="/static/([^"]+)"|<script src="/static/([^"]+)"', html
        )
        for path in (a or b for a, b in assets):
            with open(finders.find(path.decode()), "rb") as file:
                sizes[path.decode()] = compressed(file.read())
        self.assertIn("css/site.css", sizes)
        return sum(sizes.values()), sizes

    def test_home_and_article_stay_within_the_budget(self):
        for url in ("/", SEED_URL):
            with self.subTest(url=url):
                total, sizes = self.weight(url)
                self.assertLessEqual(total, BUDGET, sizes)
