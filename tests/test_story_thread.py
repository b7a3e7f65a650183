"""An article's "In this thread" sidebar and the banner on a dated piece of a living story."""

from datetime import timedelta

from django.db import connection
from django.template.loader import render_to_string
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article
from stories.templatetags.stories import latest_piece_elsewhere, story_threads
from tests.factories import make_article, make_story


def days_ago(days):
    return timezone.now() - timedelta(days=days)


class InThisThreadTests(TestCase):
    def setUp(self):
        self.first = make_article(title="First piece", published_at=days_ago(3))
        self.middle = make_article(title="Middle piece", published_at=days_ago(2))
        self.last = make_article(title="Last piece", published_at=days_ago(1))
        self.story = make_story(articles=[self.first, self.middle, self.last], title="Le front")

    def test_sidebar_links_previous_and_next_pieces_and_the_timeline(self):
        response = self.client.get(self.middle.get_absolute_url())
        self.assertContains(response, "Dans ce fil")
        self.assertContains(
            response,
            f'<a href="{self.first.get_absolute_url()}" rel="prev">First piece</a>',
            html=True,
        )
        self.assertContains(
            response,
            f'<a href="{self.last.get_absolute_url()}" rel="next">Last piece</a>',
            html=True,
        )
        self.assertContains(
            response,
            f'<a href="{self.story.get_absolute_url()}">Toute la chronologie</a>',
            html=True,
        )

    def test_thread_comes_before_the_related_articles(self):
        html = self.client.get(self.middle.get_absolute_url()).content.decode()
        self.assertLess(html.index("Dans ce fil"), html.index('id="related-title"'))

    def test_first_piece_has_no_previous_and_unpublished_neighbours_are_skipped(self):
        draft = make_article(
            title="Draft piece", published_at=days_ago(2.5), status=Article.Status.DRAFT
        )
        self.story.pieces.create(article=draft)
        response = self.client.get(self.middle.get_absolute_url())
        self.assertNotContains(response, "Draft piece")
        self.assertContains(response, "First piece")
        response = self.client.get(self.first.get_absolute_url())
        self.assertNotContains(response, 'rel="prev"')

    def test_pieces_of_the_same_time_follow_each_other_and_scheduled_ones_wait(self):
        twin = make_article(title="Twin piece", published_at=self.middle.published_at)
        scheduled = make_article(
            title="Scheduled", published_at=timezone.now() + timedelta(hours=1)
        )
        self.story.pieces.create(article=twin)
        self.story.pieces.create(article=scheduled)
        (middle,) = story_threads({}, self.middle)
        self.assertEqual((middle.previous, middle.next), (self.first, twin))
        (twin_thread,) = story_threads({}, twin)
        self.assertEqual((twin_thread.previous, twin_thread.next), (self.middle, self.last))
        (last,) = story_threads({}, self.last)
        self.assertEqual((last.previous, last.next), (twin, None))

    def test_each_story_gets_its_own_neighbours_when_pieces_share_stories(self):
        # "Between" is in both stories: the middle piece's previous one in "Le front" only.
        between = make_article(title="Between", published_at=days_ago(2.5))
        self.story.pieces.create(article=between)
        other = make_story(articles=[self.first, between, self.middle], title="Autre fil")
        threads = story_threads({}, self.middle)
        self.assertEqual(
            [(t.story, t.previous, t.next) for t in threads],
            [(other, between, None), (self.story, between, self.last)],
        )
        threads = story_threads({}, self.first)
        self.assertEqual([(t.previous, t.next) for t in threads], [(None, between)] * 2)

    def test_last_modified_follows_the_pieces_either_side(self):
        self.last.standfirst = "Mis à jour."
        self.last.save()
        response = self.client.get(self.middle.get_absolute_url())
        self.assertEqual(response["Last-Modified"], http_date(self.last.updated_at.timestamp()))

    def test_article_outside_any_story_has_no_thread(self):
        response = self.client.get(make_article().get_absolute_url())
        self.assertNotContains(response, "Dans ce fil")

    def test_query_count_does_not_grow_with_the_story(self):
        # The article page's five queries (see test_article_page, with the menu's), then its
        # stories with the pieces either side, in one. Asked once, the page is not stored.
        for size in (3, 60):
            with self.subTest(size=size):
                articles = [
                    make_article(published_at=days_ago(i + 1), tags=["Ukraine"])
                    for i in range(size)
                ]
                make_story(articles=articles)
                with self.assertNumQueries(6):
                    response = self.client.get(articles[1].get_absolute_url())
                self.assertContains(response, "Dans ce fil")

    def test_thread_and_banner_cost_two_queries_whatever_the_story_size(self):
        """The stories with the pieces either side, the story's latest piece; no article's
        body."""
        for size in (3, 60):
            with self.subTest(size=size):
                latest = make_article(title=f"Latest of {size}", published_at=days_ago(1))
                older = [make_article(published_at=days_ago(40 + i)) for i in range(size)]
                make_story(articles=[latest, *older])
                article = older[size // 2]
                with (
                    self.assertNumQueries(2),
                    CaptureQueriesContext(connection) as queries,
                ):
                    # The banner reads the threads, the sidebar reads them again: once.
                    html = render_to_string(
                        "stories/includes/dated_banner.html", {"article": article}
                    ) + render_to_string("stories/includes/thread.html", {"article": article})
                self.assertEqual(
                    latest_piece_elsewhere(article, story_threads({}, article)).latest, latest
                )
                self.assertIn(latest.title, html)
                self.assertIn(older[size // 2 + 1].get_absolute_url(), html)
                self.assertFalse([query for query in queries if '."body"' in query["sql"]])


class DatedArticleBannerTests(TestCase):
    def test_old_piece_of_a_story_that_moved_on_points_to_the_latest_piece(self):
        old = make_article(title="Old piece", published_at=days_ago(40))
        newer = make_article(title="Newer piece", published_at=days_ago(20))
        latest = make_article(title="Latest piece", published_at=days_ago(1))
        make_story(articles=[old, newer, latest], title="Le front")
        response = self.client.get(old.get_absolute_url())
        date = timezone.localtime(old.published_at)
        self.assertContains(response, "Cet article date du")
        self.assertContains(response, f"{date.day} ")
        self.assertContains(response, "Le fil « Le front » s’est poursuivi depuis")
        self.assertContains(
            response, f'<a href="{latest.get_absolute_url()}">Latest piece</a>', html=True
        )

    def test_no_banner_on_a_recent_piece_or_on_the_latest_one(self):
        recent = make_article(published_at=days_ago(10))
        old_latest = make_article(published_at=days_ago(60))
        make_story(articles=[recent, make_article(published_at=days_ago(1))])
        make_story(articles=[make_article(published_at=days_ago(90)), old_latest])
        for article in (recent, old_latest):
            with self.subTest(article=article.title):
                self.assertNotContains(
                    self.client.get(article.get_absolute_url()), "Cet article date du"
                )
