"""Tag counts kept at write time: right through publishing, retagging, deleting and scheduling."""

from datetime import timedelta

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import listings
from articles.models import Article
from tests.factories import make_archive, make_article, page_query


def counts():
    return {tag.name: tag.article_count for tag in listings.top_tags(12)}


class TagCountTests(TestCase):
    def test_publishing_and_unpublishing_count_and_uncount(self):
        article = make_article(tags=["Ukraine"], status=Article.Status.DRAFT)
        self.assertEqual(counts(), {})
        article.publish()
        article.save()
        self.assertEqual(counts(), {"Ukraine": 1})
        article.unpublish()
        article.save()
        self.assertEqual(counts(), {})

    def test_retagging_moves_the_count(self):
        article = make_article(tags=["Ukraine", "Russie"])
        make_article(tags=["Ukraine"])
        article.tags.set(["Gaza"])
        self.assertEqual(counts(), {"Gaza": 1, "Ukraine": 1})
        article.tags.clear()
        self.assertEqual(counts(), {"Ukraine": 1})

    def test_deleting_an_article_or_a_tag_uncounts(self):
        article = make_article(tags=["Ukraine", "Russie"])
        make_article(tags=["Ukraine"])
        article.delete()
        self.assertEqual(counts(), {"Ukraine": 1})
        Tag.objects.get(name="Ukraine").delete()
        self.assertEqual(counts(), {})

    def test_a_scheduled_article_counts_once_its_time_comes_without_any_save(self):
        make_article(tags=["Ukraine"])
        make_article(tags=["Ukraine"], published_at=timezone.now() + timedelta(hours=1))
        self.assertEqual(counts(), {"Ukraine": 1})
        with time_machine.travel(timezone.now() + timedelta(hours=2)):
            self.assertEqual(counts(), {"Ukraine": 2})

    def test_a_tag_of_a_scheduled_article_alone_has_no_page_or_feed_until_its_time(self):
        make_article(tags=["Kherson"], published_at=timezone.now() + timedelta(hours=1))
        urls = [reverse(f"articles:{name}", args=["kherson"]) for name in ("tag", "tag-feed-rss")]
        self.assertEqual([self.client.get(url).status_code for url in urls], [404, 404])
        with time_machine.travel(timezone.now() + timedelta(hours=2)):
            self.assertEqual([self.client.get(url).status_code for url in urls], [200, 200])

    def test_most_covered_order_follows_the_counts(self):
        make_article(tags=["Russie", "Ukraine"])
        make_article(tags=["Ukraine"])
        make_article(tags=["Russie"], published_at=timezone.now() + timedelta(hours=1))
        self.assertEqual(list(counts()), ["Ukraine", "Russie"])

    def test_rebuild_gives_the_counts_kept_at_write_time(self):
        make_archive(5)
        make_article(tags=["Gaza"], status=Article.Status.DRAFT)
        kept = counts()
        listings.rebuild()
        self.assertEqual(counts(), kept)


class DeepTagPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.articles = make_archive(30)  # newest first
        make_article(tags=["Ukraine"], status=Article.Status.DRAFT)
        make_article(tags=["Ukraine"], published_at=timezone.now() + timedelta(hours=1))

    def page(self, number):
        return self.client.get(reverse("articles:tag", args=["ukraine"]), page_query(number))

    def test_every_page_lists_its_articles_newest_first_from_either_end(self):
        for number in (1, 2, 3):  # the last one read from the oldest end of the index
            with self.subTest(page=number):
                response = self.page(number)
                expected = self.articles[(number - 1) * 12 : number * 12]
                self.assertEqual(list(response.context["object_list"]), expected)
                self.assertContains(response, f"Page {number} sur 3")

    def test_pages_past_the_last_are_not_found(self):
        self.assertEqual(self.page(4).status_code, 404)
