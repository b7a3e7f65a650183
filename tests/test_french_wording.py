"""French as the house writes it: elision before a vowel, "1er" for the first of the month."""

import json
import re
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from articles.dates import house_date, month_archive_title
from tests.factories import make_article, make_author, make_user

PARIS = ZoneInfo("Europe/Paris")


class MonthArchiveTitleTests(TestCase):
    def test_months_starting_with_a_vowel_elide_de(self):
        for month, title in (
            (date(2024, 10, 1), "Archives d’octobre 2024"),
            (date(2024, 4, 1), "Archives d’avril 2024"),
            (date(2024, 8, 1), "Archives d’août 2024"),
            (date(2024, 3, 1), "Archives de mars 2024"),
        ):
            with self.subTest(month=month):
                self.assertEqual(month_archive_title(month), title)

    def test_month_archive_page_heading_and_title(self):
        make_article(published_at=datetime(2024, 10, 27, 12, tzinfo=PARIS))
        # The wording costs no query: the generic view's own, with the prefetched authors.
        with self.assertNumQueries(6):
            response = self.client.get(reverse("articles:archive-month", args=[2024, 10]))
        self.assertContains(response, "<h1>Archives d’octobre 2024</h1>", html=True)
        self.assertContains(response, "<title>Archives d’octobre 2024 – ")
        self.assertNotContains(response, "Archives de octobre")


class FirstOfTheMonthTests(TestCase):
    first = datetime(2024, 12, 1, 8, 30, tzinfo=PARIS)

    def test_the_first_of_the_month_is_an_ordinal_and_other_days_are_not(self):
        self.assertEqual(house_date(self.first, "j F Y"), "1er décembre 2024")
        self.assertEqual(house_date(self.first.replace(day=2), "j F Y"), "2 décembre 2024")
        self.assertEqual(house_date(self.first.replace(day=11), "j F Y"), "11 décembre 2024")

    def test_times_read_as_django_would_write_them(self):
        """Day and minute formats are written without Django's format parser, to the letter."""
        for value in (
            datetime(2024, 10, 27, 19, 37, tzinfo=PARIS),
            datetime(2024, 12, 1, 0, 5, tzinfo=PARIS),
            datetime(2025, 8, 3, 23, 59, tzinfo=PARIS),
        ):
            for format in ("j F Y · H:i", "j F Y, H:i", "j F · H:i", "H:i"):
                with self.subTest(value=value, format=format):
                    django_format = format.replace("j", r"j\e\r", 1) if value.day == 1 else format
                    self.assertEqual(house_date(value, format), date_format(value, django_format))

    def test_the_day_is_written_in_the_language_of_the_moment(self):
        value = datetime(2024, 10, 27, 19, 37, tzinfo=PARIS)
        self.assertEqual(house_date(value, "j F Y · H:i"), "27 octobre 2024 · 19:37")
        with translation.override("en"):
            self.assertEqual(house_date(value, "j F Y · H:i"), "27 October 2024 · 19:37")

    def test_article_page_listings_and_day_archive_write_1er(self):
        article = make_article(published_at=self.first, revised_at=self.first.replace(hour=9))
        pages = (
            article.get_absolute_url(),
            reverse("articles:archive-day", args=[2024, 12, 1]),
            reverse("articles:archive-month", args=[2024, 12]),
        )
        for url in pages:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "1er décembre 2024 · 08:30")
                self.assertNotContains(response, ">1 décembre")
        day = self.client.get(pages[1])
        self.assertContains(day, "<h1>Archives du 1er décembre 2024</h1>", html=True)
        self.assertContains(self.client.get(pages[0]), "1er décembre 2024 · 09:30")

    def test_share_card_date_writes_1er(self):
        article = make_article(title="Premier du mois", published_at=self.first)
        other = make_article(title="Premier du mois", published_at=self.first.replace(day=2))
        # The card is named by a hash of its text, date included: different days, different cards.
        self.assertNotEqual(article.share_card.name, other.share_card.name)


class AdminTitleTests(TestCase):
    def setUp(self):
        self.client.force_login(make_user("Éditeurs"))

    def test_form_titles_are_french_with_their_article(self):
        article, author = make_article(), make_author()
        for url, title in (
            (reverse("admin:articles_article_add"), "Ajouter un article"),
            (reverse("admin:articles_article_change", args=[article.pk]), "Modifier l’article"),
            (reverse("admin:articles_author_add"), "Ajouter un auteur"),
            (reverse("admin:articles_author_change", args=[author.pk]), "Modifier l’auteur"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, f"<h1>{title}</h1>", html=True)
                self.assertNotContains(response, "Ajout de ")
                self.assertNotContains(response, "Modification de ")

    def test_article_versions_are_listed_in_french(self):
        article = make_article()
        response = self.client.get(reverse("admin:articles_historicalarticle_changelist"))
        self.assertContains(response, "<h1>Versions des articles</h1>", html=True)
        self.assertContains(response, "Versions des articles</a>")
        for heading in ("Date de la version", "Modifié par"):
            self.assertContains(response, heading)
        response = self.client.get(
            reverse("admin:articles_historicalarticle_change", args=[article.history.get().pk])
        )
        self.assertContains(response, "<h1>Modifier la version</h1>", html=True)
        self.assertContains(response, "Date de la version")
        local = timezone.localtime(article.history.get().history_date)
        self.assertContains(response, f"{article.title} – version du {local.day} ")
        self.assertContains(response, date_format(local, "DATETIME_FORMAT"))
        self.assertNotContains(response, "None")
        # Not in the page's text; the model's name stays in its addresses.
        for english in ("Historical", "historical ", "History date", "History user", " as of "):
            self.assertNotContains(response, english)

    def test_tags_are_titled_mots_cles_not_taggit(self):
        for url in (reverse("admin:index"), reverse("admin:taggit_tag_changelist")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "Mots-clés")
                self.assertNotContains(response, "Taggit")

    def test_sign_in_records_are_titled_in_french_not_axes(self):
        # Administrators only see them.
        self.client.force_login(make_user(is_staff=True, is_superuser=True))
        for url in (reverse("admin:index"), reverse("admin:axes_accessattempt_changelist")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "Sécurité des connexions")
                self.assertNotContains(response, "Axes")

    def test_inline_add_buttons_read_as_french(self):
        """Django capitalises the rows' name in the button: it must not fall mid-sentence."""
        response = self.client.get(
            reverse("admin:articles_article_change", args=[make_article().pk])
        )
        buttons = {
            json.loads(unescape(data))["options"]["addText"]
            for data in re.findall(r'data-inline-formset="([^"]+)"', response.content.decode())
        }
        self.assertEqual(
            buttons,
            {
                "Ajouter une ligne « Correction »",
                "Ajouter une ligne « Fil »",
                "Ajouter une ligne « Lieu »",
            },
        )


class TypographyTests(TestCase):
    def test_month_archive_lists_its_days_with_the_first_as_1er(self):
        for day in (1, 2, 27):
            make_article(published_at=datetime(2024, 12, day, 12, tzinfo=PARIS))
        # The days come from the day index already read; one more for the menu's sections.
        with self.assertNumQueries(6):
            response = self.client.get(reverse("articles:archive-month", args=[2024, 12]))
        days = response.content.decode().split('aria-label="Jours"')[1].split("</nav>")[0]
        self.assertInHTML(
            f'<a href="{reverse("articles:archive-day", args=[2024, 12, 1])}" '
            'aria-label="1er décembre 2024">1er</a>',
            days,
        )
        self.assertInHTML(
            f'<a href="{reverse("articles:archive-day", args=[2024, 12, 27])}" '
            'aria-label="27 décembre 2024">27</a>',
            days,
        )
        self.assertNotIn(reverse("articles:archive-day", args=[2024, 12, 3]), days)

    def test_author_page_names_only_the_other_authors_of_each_piece(self):
        anne, marc = make_author(name="Anne Reporter"), make_author(name="Marc Envoyé")
        make_article(title="Seule", authors=[anne])
        make_article(title="À deux", authors=[anne, marc])
        response = self.client.get(anne.get_absolute_url())
        self.assertNotContains(response, "Par ")
        self.assertContains(
            response,
            f'<p class="byline">Avec <a href="{marc.get_absolute_url()}" rel="author">'
            "Marc Envoyé</a></p>",
            html=True,
        )
        # Elsewhere the byline names everyone.
        home = self.client.get(reverse("articles:home"))
        self.assertContains(home, "Par <a")

    def test_most_covered_tags_say_what_they_count(self):
        make_article(tags=["Ukraine"])
        response = self.client.get(reverse("articles:home"))
        self.assertContains(response, "Les sujets les plus traités")
        self.assertNotContains(response, "les plus suivis")
