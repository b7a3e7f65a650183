"""Author pages read through the listing index: right through bylines, publishing and depth."""

from datetime import timedelta

import time_machine
from django.test import TestCase
from django.utils import timezone

from articles import listings
from articles.models import Article
from tests.factories import make_archive, make_article, make_author, page_query


class AuthorListingTests(TestCase):
    def listed(self, author):
        response = self.client.get(author.get_absolute_url())
        return list(response.context["object_list"])

    def test_bylines_added_removed_and_cleared_from_either_side(self):
        anne, bruno = make_author(), make_author()
        article = make_article(authors=[anne])
        article.authors.add(bruno)
        self.assertEqual(self.listed(bruno), [article])
        article.authors.remove(anne)
        self.assertEqual(self.listed(anne), [])
        bruno.articles.clear()
        self.assertEqual(self.listed(bruno), [])
        anne.articles.add(article)
        self.assertEqual(self.listed(anne), [article])

    def test_unpublished_and_scheduled_articles_are_not_listed(self):
        anne = make_author()
        article = make_article(authors=[anne])
        make_article(authors=[anne], published_at=timezone.now() + timedelta(hours=1))
        article.unpublish()
        article.save()
        self.assertEqual(self.listed(anne), [])
        article.status = Article.Status.PUBLISHED
        article.save()
        self.assertEqual(self.listed(anne), [article])

    def test_every_page_lists_its_articles_newest_first_and_rebuild_agrees(self):
        anne = make_author()
        articles = make_archive(30, authors=[anne])
        listings.rebuild()
        for number in (1, 2, 3):
            with self.subTest(page=number):
                response = self.client.get(anne.get_absolute_url(), page_query(number))
                expected = articles[(number - 1) * 12 : number * 12]
                self.assertEqual(list(response.context["object_list"]), expected)
        response = self.client.get(anne.get_absolute_url(), {"page": 4})
        self.assertEqual(response.status_code, 404)


class AuthorCountTests(TestCase):
    """The author page's count is kept at write time, as tag and section counts are."""

    def counted(self, *authors):
        return [listings.author_article_count(author) for author in authors]

    def test_bylines_publishing_and_deleting_follow(self):
        anne, bruno = make_author(), make_author()
        article = make_article(authors=[anne], status=Article.Status.DRAFT)
        make_article(authors=[anne, bruno])
        self.assertEqual(self.counted(anne, bruno), [1, 1])
        article.publish()
        article.save()
        self.assertEqual(self.counted(anne, bruno), [2, 1])
        article.authors.add(bruno)
        article.authors.remove(anne)
        self.assertEqual(self.counted(anne, bruno), [1, 2])
        bruno.articles.clear()
        self.assertEqual(self.counted(anne, bruno), [1, 0])
        article.authors.add(bruno)
        article.delete()
        self.assertEqual(self.counted(anne, bruno), [1, 0])

    def test_a_scheduled_article_counts_once_its_time_comes_and_rebuild_agrees(self):
        anne = make_author()
        make_article(authors=[anne])
        make_article(authors=[anne], published_at=timezone.now() + timedelta(hours=1))
        self.assertEqual(self.counted(anne), [1])
        listings.rebuild()
        self.assertEqual(self.counted(anne), [1])
        with time_machine.travel(timezone.now() + timedelta(hours=2)):
            self.assertEqual(self.counted(anne), [2])
            response = self.client.get(anne.get_absolute_url())
            self.assertEqual(response.context["paginator"].count, 2)
