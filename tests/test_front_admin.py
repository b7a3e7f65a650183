"""Editors file articles in sections and choose the front page from the admin."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Feature, Section
from tests.factories import change_form_data, make_article, make_section, make_user, sign_in

CHANGELIST = reverse("admin:articles_article_changelist")


def front_page():
    return list(Feature.objects.values_list("article__title", "position"))


class FrontPageActionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("Éditeurs")
        cls.writer = make_user("Rédacteurs")
        now = timezone.now()
        cls.articles = [
            make_article(title=f"Piece {i}", published_at=now - timedelta(hours=i))
            for i in range(7)
        ]

    def choose(self, *articles, action="put_on_front_page"):
        return self.client.post(
            CHANGELIST,
            {"action": action, "_selected_action": [article.pk for article in articles]},
            follow=True,
        )

    def test_one_action_makes_the_selection_the_front_page_in_the_lists_order(self):
        sign_in(self.client, self.editor)
        Feature.objects.create(article=self.articles[6], position=1)
        response = self.choose(self.articles[3], self.articles[1], self.articles[2])
        # The list shows the newest first: Piece 1 leads.
        self.assertEqual(front_page(), [("Piece 1", 1), ("Piece 2", 2), ("Piece 3", 3)])
        self.assertContains(response, "« Piece 1 » ouvre désormais la une")
        home = self.client.get(reverse("articles:home"))
        self.assertEqual(home.context["front"].lead, self.articles[1])

    def test_the_front_page_holds_five_articles_at_most(self):
        sign_in(self.client, self.editor)
        response = self.choose(*self.articles[:6])
        self.assertEqual(front_page(), [])
        self.assertContains(response, "5 articles au plus")

    def test_a_draft_is_refused(self):
        sign_in(self.client, self.editor)
        draft = make_article(title="Brouillon", status=Article.Status.DRAFT)
        response = self.choose(self.articles[0], draft)
        self.assertEqual(front_page(), [])
        self.assertContains(response, "Brouillon")

    def test_taking_articles_off_the_front_page(self):
        sign_in(self.client, self.editor)
        self.choose(self.articles[0], self.articles[1])
        self.choose(self.articles[0], action="take_off_front_page")
        self.assertEqual(front_page(), [("Piece 1", 2)])

    def test_writers_cannot_choose_the_front_page(self):
        sign_in(self.client, self.writer)
        self.assertNotContains(self.client.get(CHANGELIST), "put_on_front_page")
        self.choose(self.articles[0])
        self.assertEqual(front_page(), [])

    def test_the_list_filters_the_front_page_in_its_order(self):
        sign_in(self.client, self.editor)
        self.choose(self.articles[4], self.articles[2])
        response = self.client.get(CHANGELIST, {"front": "yes"})
        self.assertEqual(
            list(response.context["cl"].queryset), [self.articles[2], self.articles[4]]
        )

    def test_the_front_page_list_reorders(self):
        sign_in(self.client, self.editor)
        self.choose(self.articles[0], self.articles[1])
        first, second = Feature.objects.order_by("position")
        url = reverse("admin:articles_feature_changelist")
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url,
            {
                "form-TOTAL_FORMS": "2",
                "form-INITIAL_FORMS": "2",
                "form-0-id": first.pk,
                "form-0-position": "2",
                "form-1-id": second.pk,
                "form-1-position": "1",
                "_save": "Enregistrer",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(front_page(), [("Piece 1", 1), ("Piece 0", 2)])


class SectionFieldTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("Éditeurs")

    def setUp(self):
        sign_in(self.client, self.editor)

    def test_a_new_article_starts_in_the_first_section_of_the_menu(self):
        make_section(name="Défense", position=2)
        first = make_section(name="International", position=1)
        form = self.client.get(reverse("admin:articles_article_add")).context["adminform"].form
        self.assertEqual(form["section"].value(), first.pk)

    def test_an_article_is_filed_in_a_section_from_its_form(self):
        section = make_section()
        article = make_article()
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            change_form_data(article, section=section.pk),
        )
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.section, section)

    def test_an_article_older_than_sections_still_saves_without_one(self):
        make_section()
        article = make_article()
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            change_form_data(article),
        )
        self.assertEqual(response.status_code, 302)

    def test_editors_manage_sections(self):
        response = self.client.post(
            reverse("admin:articles_section_add"),
            {"name": "Amériques", "slug": "ameriques", "position": "70", "description": ""},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Section.objects.filter(slug="ameriques").exists())
        self.assertContains(self.client.get("/"), 'href="/sections/ameriques/"')

    def test_a_section_holding_articles_cannot_be_deleted(self):
        section = make_section()
        make_article(section=section)
        response = self.client.post(
            reverse("admin:articles_section_delete", args=[section.pk]), {"post": "yes"}
        )
        self.assertEqual(response.status_code, 200)  # Django's page naming what protects it
        self.assertTrue(Section.objects.filter(pk=section.pk).exists())
