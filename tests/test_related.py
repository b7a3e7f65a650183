"""The related-articles sidebar: shared tags first, then recency."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article


class RelatedArticlesTests(TestCase):
    def test_ranked_by_shared_tags_then_recency(self):
        now = timezone.now()
        article = make_article(tags=["Ukraine", "Russie", "OTAN"])
        one_tag_recent = make_article(tags=["Ukraine"], published_at=now - timedelta(minutes=1))
        two_tags_old = make_article(
            tags=["Ukraine", "Russie"], published_at=now - timedelta(days=3)
        )
        two_tags_new = make_article(tags=["Ukraine", "OTAN"], published_at=now - timedelta(days=1))
        self.assertEqual(list(article.related()), [two_tags_new, two_tags_old, one_tag_recent])

    def test_at_most_five(self):
        article = make_article(tags=["Ukraine"])
        for _ in range(7):
            make_article(tags=["Ukraine"])
        self.assertEqual(len(article.related()), 5)

    def test_unrelated_drafts_scheduled_and_itself_are_left_out(self):
        article = make_article(tags=["Ukraine"])
        make_article(tags=["Gaza"])
        make_article(tags=["Ukraine"], status=Article.Status.DRAFT)
        make_article(tags=["Ukraine"], published_at=timezone.now() + timedelta(hours=1))
        self.assertEqual(list(article.related()), [])

    def test_article_without_tags_has_no_related_articles(self):
        make_article(tags=["Ukraine"])
        self.assertEqual(list(make_article().related()), [])
