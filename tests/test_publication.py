"""The publication rule, slugs, sanitising and URLs of the Article model."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article


class PublishedQuerySetTests(TestCase):
    def test_published_article_whose_time_has_come_is_visible(self):
        article = make_article()
        self.assertIn(article, Article.objects.published())

    def test_draft_is_never_visible(self):
        draft = make_article(status=Article.Status.DRAFT)
        self.assertNotIn(draft, Article.objects.published())

    def test_scheduled_article_is_not_listed_before_its_time(self):
        scheduled = make_article(published_at=timezone.now() + timedelta(minutes=5))
        self.assertNotIn(scheduled, Article.objects.published())

    def test_scheduled_article_appears_at_its_time_without_any_job(self):
        at = timezone.now() + timedelta(minutes=5)
        scheduled = make_article(published_at=at)
        with mock.patch("django.utils.timezone.now", return_value=at):
            self.assertIn(scheduled, Article.objects.published())


class SlugTests(TestCase):
    def test_slug_is_ascii_and_made_from_the_headline(self):
        article = make_article(title="Des troupes nord-coréennes soutiennent la Russie en Ukraine")
        self.assertEqual(
            article.slug, "des-troupes-nord-coreennes-soutiennent-la-russie-en-ukraine"
        )

    def test_french_elision_becomes_a_word_break(self):
        article = make_article(title="L'Ukraine échoue à percer les défenses russes")
        self.assertEqual(article.slug, "l-ukraine-echoue-a-percer-les-defenses-russes")

    def test_same_headline_twice_gets_distinct_slugs(self):
        first = make_article(title="Cessez-le-feu à Gaza")
        second = make_article(title="Cessez-le-feu à Gaza")
        self.assertEqual(first.slug, "cessez-le-feu-a-gaza")
        self.assertEqual(second.slug, "cessez-le-feu-a-gaza-2")

    def test_editor_chosen_slug_is_kept(self):
        article = make_article(title="Un titre", slug="mon-identifiant")
        self.assertEqual(article.slug, "mon-identifiant")


class BodySanitisingTests(TestCase):
    def test_allowed_markup_is_kept(self):
        html = (
            "<h2>Contexte</h2><p><strong>Gras</strong> et <em>italique</em></p>"
            "<ul><li>un</li></ul><ol><li>deux</li></ol><blockquote>cité</blockquote><h3>Fin</h3>"
        )
        self.assertEqual(make_article(body=html).body, html)

    def test_scripts_and_event_handlers_are_removed_on_save(self):
        article = make_article(
            body='<p onclick="steal()">Texte<script>alert(1)</script></p>'
            "<img src=x onerror=alert(1)>"
        )
        self.assertEqual(article.body, "<p>Texte</p>")

    def test_javascript_links_lose_their_href_and_others_get_rel(self):
        article = make_article(
            body='<p><a href="javascript:alert(1)">a</a> <a href="https://example.org/">b</a></p>'
        )
        self.assertNotIn("javascript:", article.body)
        self.assertIn(
            '<a href="https://example.org/" rel="noopener noreferrer">b</a>', article.body
        )

    def test_words_inside_disallowed_tags_are_kept(self):
        article = make_article(body="<div><span>Un texte</span> important</div>")
        self.assertEqual(article.body, "Un texte important")


class AbsoluteUrlTests(TestCase):
    def test_url_date_is_the_paris_date(self):
        # 23:30 UTC on 27 October 2024 is already 00:30 on the 28th in Paris.
        article = make_article(
            title="Minuit", published_at=datetime(2024, 10, 27, 23, 30, tzinfo=UTC)
        )
        self.assertEqual(article.get_absolute_url(), "/articles/2024/10/28/minuit/")


class AfterMidnightTests(TestCase):
    """Between midnight and 1 a.m. in Paris, UTC still says yesterday."""

    def test_an_article_of_the_new_paris_day_opens_whatever_the_process_time_zone(self):
        published_at = datetime(2026, 12, 1, 23, 10, tzinfo=UTC)  # 00:10 on 2 December in Paris
        article = make_article(published_at=published_at)
        # A UTC destination also puts the process's own clock (date.today()) on UTC.
        with time_machine.travel(published_at + timedelta(minutes=20), tick=False):
            response = self.client.get(article.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, article.title)


class RevisionMarkTests(TestCase):
    def test_article_without_significant_update_is_not_revised(self):
        self.assertFalse(make_article().is_revised)

    def test_significant_update_after_publication_is_a_revision(self):
        article = make_article(revised_at=timezone.now())
        self.assertTrue(article.is_revised)


class HeroImageTests(TestCase):
    def test_hero_image_requires_alt_text(self):
        article = make_article()
        article.hero_image = SimpleUploadedFile("photo.jpg", b"not checked here")
        with self.assertRaises(ValidationError) as raised:
            article.clean()
        self.assertIn("hero_alt", raised.exception.message_dict)
