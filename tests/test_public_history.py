"""An article's public history: significant versions, corrections, old versions, comparisons."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.versions import PublicHistory
from tests.factories import keep_menu, make_article, structured_data

PUBLISHED = datetime(2024, 10, 27, 18, 37, tzinfo=UTC)  # 19:37 in Paris


def edit(article, when, significant=True, **changes):
    """Save ``changes`` to the article at ``when``, as an editor's form would."""
    with time_machine.travel(when, tick=False):
        for name, value in changes.items():
            setattr(article, name, value)
        if significant:
            article.mark_significant()
        article.save()
    return article.history.latest()


def history_url(article):
    return reverse("articles:history", kwargs=article.url_kwargs())


def version_url(article, record):
    return reverse("articles:version", kwargs={**article.url_kwargs(), "version": record.pk})


def compare_url(article, old, new=None):
    kwargs = {**article.url_kwargs(), "old": old.pk}
    if new is None:
        return reverse("articles:compare-current", kwargs=kwargs)
    return reverse("articles:compare", kwargs={**kwargs, "new": new.pk})


def choice_url(article, query=""):
    return reverse("articles:compare-choice", kwargs=article.url_kwargs()) + query


class PublicHistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(PUBLISHED, tick=False):
            cls.article = make_article(
                title="Frappes sur Kharkiv",
                standfirst="Deux morts selon la police.",
                body="<p>Des frappes russes ont touché Kharkiv.</p>",
                published_at=PUBLISHED,
            )
        cls.first = cls.article.history.latest()
        cls.typo = edit(
            cls.article,
            PUBLISHED + timedelta(minutes=5),
            significant=False,
            body="<p>Des frappes russes ont touché Kharkiv .</p>",
        )
        cls.update = edit(
            cls.article,
            PUBLISHED + timedelta(hours=2),
            standfirst="Cinq morts selon la police régionale.",
            body="<p>Des frappes russes ont touché Kharkiv dans la nuit.</p>",
        )
        with time_machine.travel(PUBLISHED + timedelta(hours=3), tick=False):
            Correction.objects.create(article=cls.article, text="Le quartier était Saltivka.")
        cls.article.refresh_from_db()

    def test_the_article_links_its_history_once_it_changed_in_substance(self):
        response = self.client.get(self.article.get_absolute_url())
        self.assertContains(response, f'href="{history_url(self.article)}"')
        self.assertContains(response, "Historique des modifications")

    def test_an_article_never_changed_does_not_link_a_history(self):
        article = make_article()
        self.assertNotContains(self.client.get(article.get_absolute_url()), "historique/")

    def test_history_lists_significant_versions_and_corrections_not_typos(self):
        response = self.client.get(history_url(self.article))
        self.assertContains(response, "Version du 27 octobre 2024 à 19:37")
        self.assertContains(response, "Version du 27 octobre 2024 à 21:37")
        self.assertContains(response, version_url(self.article, self.first))
        self.assertContains(response, version_url(self.article, self.update))
        self.assertNotContains(response, version_url(self.article, self.typo))
        self.assertContains(response, "Correction du 27 octobre 2024 à 22:37")
        self.assertContains(response, "Le quartier était Saltivka.")
        self.assertContains(response, "Version actuelle")

    def test_an_old_version_reads_as_it_was_marked_not_current_and_noindex(self):
        response = self.client.get(version_url(self.article, self.first))
        self.assertContains(response, "Version du 27 octobre 2024 à 19:37")
        self.assertContains(response, "Deux morts selon la police.")
        self.assertContains(response, "<p>Des frappes russes ont touché Kharkiv.</p>", html=True)
        self.assertNotContains(response, "dans la nuit")
        self.assertContains(response, "Ce n’est pas la version actuelle")
        self.assertContains(response, '<meta name="robots" content="noindex">', html=True)
        self.assertEqual(response.headers["X-Robots-Tag"], "noindex")
        canonical = f'<link rel="canonical" href="{self.site()}{self.article.get_absolute_url()}">'
        self.assertContains(response, canonical)

    def site(self):
        return settings.SITE_URL

    def test_an_old_version_is_a_memento_of_the_article(self):
        response = self.client.get(version_url(self.article, self.first))
        self.assertEqual(response.headers["Memento-Datetime"], "Sun, 27 Oct 2024 18:37:00 GMT")
        self.assertIn(
            f'<{self.site()}{self.article.get_absolute_url()}>; rel="original"',
            response.headers["Link"],
        )

    def test_a_typo_revision_cannot_be_read(self):
        self.assertEqual(self.client.get(version_url(self.article, self.typo)).status_code, 404)

    def test_a_revision_of_another_article_cannot_be_read_here(self):
        other = make_article().history.latest()
        self.assertEqual(self.client.get(version_url(self.article, other)).status_code, 404)

    def test_comparison_marks_words_removed_and_added(self):
        response = self.client.get(compare_url(self.article, self.first, self.update))
        self.assertContains(
            response, '<del><span class="visually-hidden">supprimé : </span>Deux</del>'
        )
        self.assertContains(
            response, '<ins><span class="visually-hidden">ajouté : </span>Cinq</ins>'
        )
        self.assertContains(response, "dans la nuit")
        self.assertContains(response, '<meta name="robots" content="noindex">', html=True)

    def test_the_form_leads_to_the_comparisons_own_address(self):
        response = self.client.get(
            choice_url(self.article, f"?from={self.first.pk}&to={self.update.pk}")
        )
        self.assertRedirects(response, compare_url(self.article, self.first, self.update))
        self.assertIn("no-cache", response.headers["Cache-Control"])

    def test_default_comparison_is_the_last_change_against_the_current_version(self):
        response = self.client.get(choice_url(self.article), follow=True)
        self.assertEqual(response.redirect_chain[0][0], compare_url(self.article, self.first))
        self.assertContains(response, "Cinq</ins>")
        self.assertContains(response, "Version actuelle")

    def test_each_comparison_is_its_own_cached_page(self):
        with self.settings(READER_CACHE_SECONDS=60):
            one = self.client.get(compare_url(self.article, self.first, self.update))
            two = self.client.get(compare_url(self.article, self.update))
        self.assertContains(one, "Cinq</ins>")
        self.assertNotContains(two, "Cinq</ins>")

    def test_bad_choices_are_a_400(self):
        for query in ("?from=abc", f"?from={self.typo.pk}", "?from=99999999999999999999999"):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(choice_url(self.article, query)).status_code, 400)

    def test_unknown_versions_in_a_comparisons_address_are_a_404(self):
        for old, new in ((self.typo, None), (self.first, self.typo)):
            with self.subTest(old=old, new=new):
                response = self.client.get(compare_url(self.article, old, new))
                self.assertEqual(response.status_code, 404)

    def test_history_of_an_unpublished_article_is_a_404(self):
        draft = make_article(status=Article.Status.DRAFT)
        self.assertEqual(self.client.get(history_url(draft)).status_code, 404)

    def test_history_under_a_wrong_date_is_a_404(self):
        kwargs = {**self.article.url_kwargs(), "day": 26}
        self.assertEqual(
            self.client.get(reverse("articles:history", kwargs=kwargs)).status_code, 404
        )


class WithheldVersionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(PUBLISHED, tick=False):
            cls.article = make_article(body="<p>Un nom qui n’aurait pas dû paraître.</p>")
        cls.first = cls.article.history.latest()
        cls.update = edit(cls.article, PUBLISHED + timedelta(hours=1), body="<p>Sans le nom.</p>")
        cls.first.withheld_at = datetime(2024, 11, 3, 10, 0, tzinfo=UTC)
        cls.first.withheld_reason = "Décision de justice du 2 novembre."
        cls.first.save()

    def test_history_says_a_version_was_withheld_and_when(self):
        response = self.client.get(history_url(self.article))
        self.assertContains(
            response,
            "Version du 27 octobre 2024 à 19:37 : retirée de cet historique le 3 novembre 2024.",
        )
        self.assertNotContains(response, version_url(self.article, self.first))
        self.assertNotContains(response, "Décision de justice")

    def test_a_withheld_version_is_unreachable(self):
        self.assertEqual(self.client.get(version_url(self.article, self.first)).status_code, 404)
        response = self.client.get(compare_url(self.article, self.first, self.update))
        self.assertEqual(response.status_code, 404)
        query = f"?from={self.first.pk}&to={self.update.pk}"
        response = self.client.get(choice_url(self.article, query))
        self.assertNotContains(response, "n’aurait pas dû", status_code=400)


class ScheduledArticleHistoryTests(TestCase):
    def test_the_first_version_is_the_one_saved_last_before_publication(self):
        with time_machine.travel(PUBLISHED - timedelta(hours=2), tick=False):
            article = make_article(body="<p>Premier jet.</p>", published_at=PUBLISHED)
        edit(article, PUBLISHED - timedelta(hours=1), significant=False, body="<p>Relu.</p>")
        with time_machine.travel(PUBLISHED + timedelta(days=1)):
            response = self.client.get(history_url(article))
        versions = response.context["history"].versions
        self.assertEqual(len(versions), 1)
        self.assertEqual(versions[0].record.history_date, PUBLISHED - timedelta(hours=1))
        self.assertEqual(versions[0].time, PUBLISHED)


class StructuredDataTests(TestCase):
    def test_corrections_are_correction_comments_and_date_modified_follows_substance(self):
        with time_machine.travel(PUBLISHED, tick=False):
            article = make_article(published_at=PUBLISHED)
        edit(article, PUBLISHED + timedelta(hours=1), significant=False, title="Typo corrigée")
        with time_machine.travel(PUBLISHED + timedelta(hours=2), tick=False):
            Correction.objects.create(article=article, text="Le bilan est de 12 morts.")
        response = self.client.get(article.get_absolute_url())
        doc = structured_data(response)
        self.assertEqual(
            doc["correction"],
            [
                {
                    "@type": "CorrectionComment",
                    "text": "Le bilan est de 12 morts.",
                    "datePublished": "2024-10-27T21:37:00+01:00",
                }
            ],
        )
        self.assertEqual(doc["dateModified"], "2024-10-27T21:37:00+01:00")
        self.assertEqual(timezone.localtime(article.published_at).hour, 19)


class HistoryQueryTests(TestCase):
    """The history pages cost the same few queries however many versions the article has."""

    def make_history(self, changes):
        with time_machine.travel(PUBLISHED, tick=False):
            article = make_article(published_at=PUBLISHED, body="<p>Début.</p>")
        for n in range(changes):
            when = PUBLISHED + timedelta(hours=n + 1)
            edit(article, when, significant=n % 2 == 0, body=f"<p>Début, puis {n}.</p>")
            with time_machine.travel(when, tick=False):
                Correction.objects.create(article=article, text=f"Correction {n}.")
        return article

    def assert_queries(self, article):
        versions = PublicHistory(article).versions
        first, last = versions[0].record, versions[-1].record
        # The article with its corrections (2), then the revisions listed (1); a version or a
        # comparison also reads the text of the one or two shown.
        keep_menu(self.client)
        for url, expected in (
            (history_url(article), 3),
            (version_url(article, first), 4),
            (compare_url(article, first, last), 5),
            (compare_url(article, first), 4),
        ):
            with self.subTest(url=url), self.assertNumQueries(expected):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_query_counts_with_two_versions(self):
        self.assert_queries(self.make_history(1))

    def test_query_counts_with_many_versions_and_corrections(self):
        self.assert_queries(self.make_history(30))
