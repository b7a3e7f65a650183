"""Readers narrow a search to a kind of work or a sourcing label."""

from articles.models import Kind, Sourcing
from tests.factories import make_article
from tests.test_search import SearchTestCase


class KindAndSourcingFilterTests(SearchTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.analysis = make_article(title="Drones iraniens : une analyse", kind=Kind.ANALYSIS)
        cls.report = make_article(
            title="Drones iraniens sur Odessa",
            kind=Kind.REPORTAGE,
            sourcing=Sourcing.UNCONFIRMED,
        )
        cls.dispatch = make_article(
            title="Drones iraniens, selon Kyiv", kind=Kind.DISPATCH, sourcing=Sourcing.AGENCY
        )

    def test_kind_narrows_the_results(self):
        self.assertEqual(self.titles("drones", kind=Kind.ANALYSIS), [self.analysis.title])

    def test_sourcing_narrows_the_results(self):
        self.assertEqual(self.titles("drones", sourcing=Sourcing.UNCONFIRMED), [self.report.title])

    def test_both_combine(self):
        found = self.titles("drones", kind=Kind.DISPATCH, sourcing=Sourcing.AGENCY)
        self.assertEqual(found, [self.dispatch.title])
        self.assertEqual(self.titles("drones", kind=Kind.OPINION, sourcing=Sourcing.AGENCY), [])

    def test_the_form_offers_the_french_labels(self):
        response = self.search("drones")
        self.assertContains(response, '<option value="background">Contexte</option>', html=True)
        self.assertContains(
            response,
            '<option value="unconfirmed">Non confirmé de source indépendante</option>',
            html=True,
        )

    def test_an_unknown_value_is_a_bad_request_that_says_why(self):
        response = self.search("drones", status=400, kind="<script>", sourcing="x")
        self.assertContains(response, "Choisissez un genre dans la liste.", status_code=400)
        self.assertContains(response, "Choisissez un sourçage dans la liste.", status_code=400)
        self.assertNotContains(response, "<script>", status_code=400)
