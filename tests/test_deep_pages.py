"""Pages deep into a tag, an author or a section: read from position anchors, and always the
articles a plain OFFSET over the whole list gives, whatever was published, unpublished,
backdated, deleted or retagged since the anchors were numbered."""

import re
from datetime import timedelta
from itertools import pairwise
from unittest import mock

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import listings
from articles.listings import anchors
from articles.models import Article, AuthorAnchor, SectionAnchor, TagAnchor
from tests.factories import keep_menu, make_article, make_author, make_section, page_query

# Small, so that a few dozen articles have many anchors and pages far from both ends.
STEP = 2
PAGE = 12


class AnchoredPagesTests(TestCase):
    @classmethod
    def setUpClass(cls):
        patcher = mock.patch.object(anchors, "STEP", STEP)
        patcher.start()
        cls.addClassCleanup(patcher.stop)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        cls.section = make_section(name="Europe", slug="europe")
        cls.author = make_author(name="Anne Reporter", slug="anne-reporter")
        start = timezone.now() - timedelta(days=3)
        cls.articles = [  # newest first
            make_article(
                published_at=start - timedelta(hours=i),
                tags=["Ukraine"],
                authors=[cls.author],
                section=cls.section,
            )
            for i in range(60)
        ]
        # Beside the list: another tag, author and section, a draft and a scheduled article.
        cls.elsewhere = make_article(
            published_at=start - timedelta(hours=30, minutes=30), tags=["Gaza"]
        )
        cls.draft = make_article(
            published_at=start - timedelta(hours=20, minutes=30),
            tags=["Ukraine"],
            authors=[cls.author],
            section=cls.section,
            status=Article.Status.DRAFT,
        )
        make_article(
            published_at=timezone.now() + timedelta(hours=2),
            tags=["Ukraine"],
            authors=[cls.author],
            section=cls.section,
        )

    def lists(self):
        """Each page's address and the published articles it lists, as the ORM finds them."""
        published = Article.objects.published()
        yield reverse("articles:tag", args=["ukraine"]), published.filter(tags__name="Ukraine")
        yield self.author.get_absolute_url(), published.filter(authors=self.author)
        yield self.section.get_absolute_url(), published.filter(section=self.section)

    def assert_every_page_is_an_offset_query(self):
        for positions, _ in self.anchored():
            self.assertEqual([kept for kept, _ in positions], [real for _, real in positions])
        for url, articles in self.lists():
            expected = list(articles.order_by("-published_at", "-pk"))
            pages = -(-len(expected) // PAGE)
            for number in range(1, pages + 1):
                with self.subTest(url=url, page=number):
                    response = self.client.get(url, page_query(number))
                    self.assertEqual(
                        list(response.context["object_list"]),
                        expected[(number - 1) * PAGE : number * PAGE],
                    )
            with self.subTest(url=url, page=pages + 1):
                self.assertEqual(self.client.get(url, {"page": pages + 1}).status_code, 404)

    def anchored(self):
        """Each list's anchors, oldest first, with the ORM's count of its entries before each."""
        published = Article.objects.filter(status=Article.Status.PUBLISHED)
        for anchors_, articles in (
            (TagAnchor.objects.filter(tag__name="Ukraine"), published.filter(tags__name="Ukraine")),
            (
                AuthorAnchor.objects.filter(author=self.author),
                published.filter(authors=self.author),
            ),
            (
                SectionAnchor.objects.filter(section=self.section),
                published.filter(section=self.section),
            ),
        ):
            positions = [
                (anchor.position, articles.filter(published_at__lt=anchor.published_at).count())
                for anchor in anchors_.order_by("position", "published_at")
            ]
            yield positions, articles.count()

    def test_anchors_count_the_entries_before_them_and_leave_no_wide_gap(self):
        for positions, total in self.anchored():
            with self.subTest(total=total):
                self.assertEqual([kept for kept, _ in positions], [real for _, real in positions])
                edges = [0, *(kept for kept, _ in positions), total]
                self.assertLess(max(b - a for a, b in pairwise(edges)), 2 * STEP)

    def test_a_deep_page_skips_fewer_index_entries_than_a_step(self):
        for url, _ in self.lists():
            with self.subTest(url=url), CaptureQueriesContext(connection) as queries:
                self.client.get(url, {"page": 3})  # articles 25 to 36 of 60: the middle
            offsets = [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]
            self.assertLess(max(offsets, default=0), 2 * STEP, url)

    def test_a_deep_page_costs_one_query_more_than_page_one(self):
        # The anchor, found through the (list, position) index.
        keep_menu(self.client)
        for (url, _), first in zip(self.lists(), (3, 4, 3), strict=True):
            with self.subTest(url=url):
                with self.assertNumQueries(first):
                    self.client.get(url)
                with self.assertNumQueries(first + 1):
                    self.client.get(url, {"page": 4})

    def test_pages_are_right_as_numbered(self):
        self.assert_every_page_is_an_offset_query()

    def test_pages_are_right_after_publishing_and_unpublishing_old_articles(self):
        self.draft.publish()
        self.draft.published_at = self.articles[40].published_at + timedelta(minutes=1)
        self.draft.save()
        self.assert_every_page_is_an_offset_query()
        for article in (self.articles[50], self.articles[10], self.draft):
            article.unpublish()
            article.save()
        self.assert_every_page_is_an_offset_query()

    def test_pages_are_right_after_backdating_and_moving_forward(self):
        newest, oldest = self.articles[0], self.articles[-1]
        newest.published_at = oldest.published_at - timedelta(days=1)
        newest.save()
        self.assert_every_page_is_an_offset_query()
        self.articles[45].published_at = timezone.now() - timedelta(minutes=5)
        self.articles[45].save()
        self.assert_every_page_is_an_offset_query()

    def test_pages_are_right_after_deleting_articles(self):
        for n in (55, 30, 29, 0):
            self.articles[n].delete()
        self.assert_every_page_is_an_offset_query()

    def test_pages_are_right_after_retagging_and_rewriting_bylines_and_sections(self):
        other = make_section(name="Afrique", slug="afrique")
        for n in (52, 33, 3):
            article = self.articles[n]
            article.tags.set(["Russie"])
            article.authors.set([make_author()])
            article.section = other
            article.save()
        self.elsewhere.tags.add("Ukraine")
        self.elsewhere.authors.add(self.author)
        self.elsewhere.section = self.section
        self.elsewhere.save()
        self.assert_every_page_is_an_offset_query()

    def test_pages_are_right_once_a_scheduled_article_appears(self):
        with time_machine.travel(timezone.now() + timedelta(hours=3)):
            self.assert_every_page_is_an_offset_query()

    def test_pages_are_right_after_a_rebuild(self):
        self.articles[20].delete()
        listings.rebuild()
        self.assertEqual(TagAnchor.objects.filter(tag__name="Ukraine").count(), 60 // STEP - 1)
        self.assert_every_page_is_an_offset_query()
