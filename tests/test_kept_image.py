"""An image chosen before a form error is kept: the editor does not pick it again."""

from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse

from articles.admin.kept_image import FOLDER
from tests.factories import change_form_data, jpeg_upload, make_article, make_user


class KeptImageTests(TestCase):
    def setUp(self):
        self.client.force_login(make_user("Éditeurs"))
        self.article = make_article()
        self.url = reverse("admin:articles_article_change", args=[self.article.pk])

    def refused_with_image(self):
        """The form posted with a new image but no description: refused."""
        data = change_form_data(self.article, hero_alt="", hero_image=jpeg_upload(name="front.jpg"))
        response = self.client.post(self.url, data)
        self.assertTrue(response.context["adminform"].form.errors["hero_alt"])
        return response, response.context["adminform"].form["kept_image"].value()

    def test_the_refused_form_says_the_image_is_kept(self):
        response, token = self.refused_with_image()
        self.assertTrue(token)
        self.assertContains(response, "Gardée de votre dernier essai : front.jpg")
        self.assertContains(response, f'name="kept_image" value="{token}"')

    def test_the_next_submission_saves_the_kept_image(self):
        _, token = self.refused_with_image()
        data = change_form_data(self.article, hero_alt="Une photo", kept_image=token)
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.article.refresh_from_db()
        self.assertTrue(self.article.hero_image.name.startswith("heroes/"))
        self.assertEqual(self.article.hero_width, 1800)
        self.assertEqual(default_storage.listdir(FOLDER)[1], [])

    def test_a_new_choice_replaces_the_kept_image(self):
        _, token = self.refused_with_image()
        data = change_form_data(
            self.article,
            hero_alt="Une autre",
            kept_image=token,
            hero_image=jpeg_upload(size=(900, 600), name="autre.jpg"),
        )
        self.client.post(self.url, data)
        self.article.refresh_from_db()
        self.assertEqual(self.article.hero_width, 900)

    def test_a_forged_token_keeps_nothing(self):
        data = change_form_data(self.article, kept_image="kept-uploads/../../etc/passwd")
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.article.refresh_from_db()
        self.assertFalse(self.article.hero_image)
