"""The desk's pages cost a fixed number of queries, however many articles the archive holds."""

from django.test import TestCase
from django.urls import reverse

from tests.factories import change_url, make_archive, make_article, make_user

CHANGELIST = reverse("admin:articles_article_changelist")


class DeskQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("Éditeurs")
        cls.article = make_article(tags=["Ukraine"])

    def setUp(self):
        self.client.force_login(self.editor)
        # The session and the user's permissions are read once, as on any admin page.
        self.client.get(CHANGELIST)

    def assert_constant(self, url, queries):
        with self.assertNumQueries(queries):
            self.assertEqual(self.client.get(url).status_code, 200)
        make_archive(12)
        with self.assertNumQueries(queries):
            self.client.get(url)

    def test_the_article_list(self):
        self.assert_constant(CHANGELIST, 13)

    def test_the_article_form(self):
        self.assert_constant(change_url(self.article), 13)
