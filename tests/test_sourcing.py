"""Sourcing labels and kinds of work: the shared vocabulary of articles and live updates."""

from django.core.exceptions import ValidationError
from django.test import TestCase

from articles.models import Article, Kind, Sourcing
from tests.factories import make_article


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
