"""Places: structured datelines, the places an article is about, and each place's page."""

import io
import json
from datetime import timedelta

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from stories.models import ArticlePlace
from tests.factories import SEED_URL, change_form_data, make_article, make_place, make_user


def news_article(response):
    html = response.content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


class DemoPlaceTests(TestCase):
    fixtures = ["demo"]

    def test_seed_dateline_is_paris_linked_to_its_page(self):
        response = self.client.get(SEED_URL)
        self.assertContains(
            response,
            '<p class="article__dateline"><a href="/places/paris/">Paris</a></p>',
            html=True,
        )

    def test_seed_json_ld_gives_dateline_and_content_location_as_a_place(self):
        data = news_article(self.client.get(SEED_URL))
        self.assertEqual(data["dateline"], "Paris")
        [place] = data["contentLocation"]
        self.assertEqual(place["@type"], "Place")
        self.assertEqual(place["name"], "Paris")
        self.assertEqual(place["address"]["addressCountry"], "France")
        self.assertEqual(
            place["geo"], {"@type": "GeoCoordinates", "latitude": 48.85661, "longitude": 2.35222}
        )

    def test_paris_page_lists_the_seed(self):
        response = self.client.get("/places/paris/")
        self.assertContains(response, "Des troupes nord-coréennes soutiennent la Russie en Ukraine")
        self.assertContains(response, "France")


class PlacePageTests(TestCase):
    def test_lists_coverage_from_and_about_the_place_newest_first(self):
        kyiv = make_place(name="Kyiv", slug="kyiv")
        now = timezone.now()
        written_there = make_article(published_at=now - timedelta(hours=1))
        about_it = make_article(published_at=now - timedelta(hours=2))
        draft = make_article(status=Article.Status.DRAFT)
        make_article(title="Elsewhere")
        ArticlePlace.objects.create(article=written_there, place=kyiv, is_dateline=True)
        ArticlePlace.objects.create(article=about_it, place=kyiv)
        ArticlePlace.objects.create(article=draft, place=kyiv)
        response = self.client.get(kyiv.get_absolute_url())
        self.assertEqual(response.context["pieces"], [written_there, about_it])
        self.assertNotContains(response, "Elsewhere")
        article_page = self.client.get(about_it.get_absolute_url())
        self.assertContains(article_page, 'Lieux : <a href="/places/kyiv/">Kyiv</a>')

    def test_pages_continue_by_key_and_the_feed_lists_the_coverage(self):
        place = make_place()
        articles = [
            make_article(published_at=timezone.now() - timedelta(hours=i + 1)) for i in range(25)
        ]
        for article in articles:
            ArticlePlace.objects.create(article=article, place=place)
        first = self.client.get(place.get_absolute_url())
        second = self.client.get(first.context["next_url"])
        self.assertEqual(first.context["pieces"] + second.context["pieces"], articles)
        feed = self.client.get(reverse("stories:place-feed-atom", args=[place.slug]))
        self.assertContains(feed, articles[0].title)

    def test_place_without_published_coverage_is_not_found(self):
        place = make_place()
        ArticlePlace.objects.create(article=make_article(status=Article.Status.DRAFT), place=place)
        self.assertEqual(self.client.get(place.get_absolute_url()).status_code, 404)
        feed = reverse("stories:place-feed-rss", args=[place.slug])
        self.assertEqual(self.client.get(feed).status_code, 404)

    def test_query_count_does_not_grow_with_the_coverage(self):
        for size in (2, 40):
            with self.subTest(size=size):
                place = make_place()
                for i in range(size):
                    ArticlePlace.objects.create(
                        article=make_article(published_at=timezone.now() - timedelta(hours=i + 1)),
                        place=place,
                    )
                with self.assertNumQueries(3):  # the place, the page, the menu's sections
                    self.assertEqual(self.client.get(place.get_absolute_url()).status_code, 200)


class DatelineMatchingTests(TestCase):
    def test_a_typed_dateline_finds_its_place_when_saved(self):
        kyiv = make_place(name="Kyiv", slug="kyiv")
        with self.captureOnCommitCallbacks(execute=True):
            article = make_article(dateline="KYIV ")
            make_article(dateline="Nowhere")
        link = ArticlePlace.objects.get()
        self.assertEqual((link.article, link.place, link.is_dateline), (article, kyiv, True))

    def test_a_dateline_chosen_on_the_form_wins_over_the_typed_one(self):
        make_place(name="Paris", slug="paris")
        odesa = make_place(name="Odesa", slug="odesa")
        article = make_article()
        self.client.force_login(make_user("Éditeurs"))
        data = change_form_data(
            article,
            dateline="Paris",
            **{"place_links-TOTAL_FORMS": 1, "place_links-0-place": odesa.pk},
            **{"place_links-0-is_dateline": "on"},
        )
        url = reverse("admin:articles_article_change", args=[article.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ArticlePlace.objects.get(article=article).place, odesa)

    def test_two_datelines_on_the_form_are_refused(self):
        places = [make_place(), make_place()]
        article = make_article()
        self.client.force_login(make_user("Éditeurs"))
        rows = {"place_links-TOTAL_FORMS": 2}
        for i, place in enumerate(places):
            rows |= {f"place_links-{i}-place": place.pk, f"place_links-{i}-is_dateline": "on"}
        url = reverse("admin:articles_article_change", args=[article.pk])
        response = self.client.post(url, change_form_data(article, **rows))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Un article a un seul lieu de rédaction")
        self.assertFalse(ArticlePlace.objects.exists())

    def test_command_matches_the_archive_and_keeps_datelines_already_set(self):
        article = make_article(dateline="Kharkiv")
        kept = make_article(dateline="Kharkiv")
        odesa = make_place(name="Odesa", slug="odesa")
        ArticlePlace.objects.create(article=kept, place=odesa, is_dateline=True)
        kharkiv = make_place(name="Kharkiv", slug="kharkiv")
        self.assertNotContains(
            self.client.get(article.get_absolute_url()), kharkiv.get_absolute_url()
        )
        call_command("match_datelines", stdout=io.StringIO())
        self.assertEqual(ArticlePlace.objects.get(article=article).place, kharkiv)
        self.assertEqual(ArticlePlace.objects.get(article=kept).place, odesa)
        # The page stored at the first visit shows the dateline's place from now on.
        self.assertContains(self.client.get(article.get_absolute_url()), kharkiv.get_absolute_url())

    def test_rescheduled_article_moves_in_the_place_coverage(self):
        place = make_place()
        article = make_article()
        link = ArticlePlace.objects.create(article=article, place=place)
        article.published_at = timezone.now() - timedelta(days=3)
        article.save()
        link.refresh_from_db()
        self.assertEqual(link.published_at, article.published_at)


class PlaceRoleTests(TestCase):
    def test_editors_manage_places_and_writers_give_articles_places(self):
        editor, writer = make_user("Éditeurs"), make_user("Rédacteurs")
        self.assertTrue(editor.has_perms(["stories.add_place", "stories.change_articleplace"]))
        self.assertTrue(writer.has_perms(["stories.view_place", "stories.add_articleplace"]))
        self.assertFalse(writer.has_perm("stories.add_place"))
