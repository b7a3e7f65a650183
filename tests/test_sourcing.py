"""Sourcing labels and kinds of work: the shared vocabulary of articles and live updates."""

from django.core.exceptions import ValidationError
from django.test import TestCase

from articles.models import Article, Kind, Sourcing
from tests.factories import make_article, structured_data


class SourcingTests(TestCase):
    def test_labels_are_french(self):
        self.assertEqual(
            [label for _, label in Sourcing.choices],
            [
                "Information vérifiée",
                "Non confirmé de source indépendante",
                "Selon une source nommée",
                "Dépêche d’agence",
            ],
        )

    def test_according_to_names_its_source(self):
        self.assertEqual(Sourcing.describe(Sourcing.ACCORDING_TO, " Reuters "), "Selon Reuters")

    def test_other_labels_ignore_a_source(self):
        self.assertEqual(Sourcing.describe(Sourcing.VERIFIED, "Reuters"), "Information vérifiée")
        self.assertEqual(Sourcing.describe("", "Reuters"), "")

    def test_according_to_without_a_source_is_refused(self):
        article = make_article(sourcing=Sourcing.ACCORDING_TO, sourcing_source="  ")
        with self.assertRaises(ValidationError) as raised:
            article.full_clean()
        self.assertIn("sourcing_source", raised.exception.message_dict)

    def test_article_label(self):
        article = make_article(
            sourcing=Sourcing.ACCORDING_TO, sourcing_source="l’armée ukrainienne"
        )
        self.assertEqual(article.sourcing_label, "Selon l’armée ukrainienne")
        self.assertEqual(make_article().sourcing_label, "")


class KindTests(TestCase):
    def test_labels_are_french(self):
        self.assertEqual(
            [label for _, label in Kind.choices],
            ["Reportage", "Analyse", "Opinion", "Contexte", "Dépêche"],
        )

    def test_each_kind_has_its_schema_org_type(self):
        self.assertEqual(
            {kind: kind.schema_type for kind in Kind},
            {
                Kind.REPORTAGE: "ReportageNewsArticle",
                Kind.ANALYSIS: "AnalysisNewsArticle",
                Kind.OPINION: "OpinionNewsArticle",
                Kind.BACKGROUND: "BackgroundNewsArticle",
                Kind.DISPATCH: "NewsArticle",
            },
        )

    def test_an_article_without_a_kind_is_a_news_article(self):
        self.assertEqual(Article(kind="").schema_type, "NewsArticle")
        self.assertEqual(Article(kind=Kind.ANALYSIS).schema_type, "AnalysisNewsArticle")


class ArticlePageLabelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(
            kind=Kind.ANALYSIS,
            sourcing=Sourcing.ACCORDING_TO,
            sourcing_source="l’état-major ukrainien",
            backstory="Nous avons joint trois habitants.\n\nLes images ont été géolocalisées.",
        )

    def setUp(self):
        self.response = self.client.get(self.article.get_absolute_url())

    def test_kind_is_shown_above_the_headline_and_sourcing_below_it(self):
        html = self.response.content.decode()
        kind = html.index('<p class="work-kind">Analyse</p>')
        title = html.index('id="article-title"')
        sourcing = html.index("Selon l’état-major ukrainien")
        self.assertLess(kind, title)
        self.assertLess(title, sourcing)

    def test_sourcing_is_said_in_words_not_colour_alone(self):
        self.assertContains(
            self.response,
            '<span class="visually-hidden">Sourçage : </span>Selon l’état-major ukrainien',
        )

    def test_backstory_is_shown_and_in_the_json_ld(self):
        self.assertContains(self.response, "Comment nous avons travaillé")
        self.assertContains(self.response, "<p>Les images ont été géolocalisées.</p>", html=True)
        data = structured_data(self.response)
        self.assertEqual(data["@type"], "AnalysisNewsArticle")
        self.assertIn("Nous avons joint trois habitants.", data["backstory"])

    def test_an_article_without_labels_shows_none(self):
        response = self.client.get(make_article().get_absolute_url())
        self.assertNotContains(response, 'class="work-kind"')
        self.assertNotContains(response, 'class="sourcing')
        self.assertNotContains(response, "Comment nous avons travaillé")
