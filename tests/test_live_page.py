"""The live article as readers see it: updates, key events, badge, pages, links and JSON-LD."""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from live.models import PAGE_SIZE, LiveUpdate
from tests.factories import (
    keep_menu,
    make_article,
    make_author,
    make_live,
    make_story,
    post_update,
    structured_data,
)


def update_ids(response):
    return [int(pk) for pk in re.findall(r'data-live-update="(\d+)"', response.content.decode())]


class LivePageTests(TestCase):
    def setUp(self):
        self.coverage = make_live()
        self.url = self.coverage.article.get_absolute_url()

    def test_updates_show_newest_first_with_their_paris_time(self):
        at = datetime(2027, 1, 10, 22, 5, tzinfo=UTC)
        with time_machine.travel(at, tick=False):
            first = post_update(self.coverage, body="<p>Première</p>")
        with time_machine.travel(at + timedelta(minutes=10), tick=False):
            second = post_update(self.coverage, body="<p>Deuxième</p>")
            response = self.client.get(self.url)
        self.assertEqual(update_ids(response), [second.pk, first.pk])
        # 22:05 UTC is 23:05 in Paris in winter.
        self.assertContains(response, "23:05")
        self.assertContains(response, "23:15")

    def test_a_live_coverage_shows_the_live_badge(self):
        post_update(self.coverage)
        response = self.client.get(self.url)
        self.assertContains(response, "live__badge")
        self.assertContains(response, "En direct")

    def test_an_ordinary_article_has_no_live_section(self):
        response = self.client.get(make_article().get_absolute_url())
        self.assertNotContains(response, "live__badge")
        self.assertNotContains(response, "live.js")

    def test_the_page_loads_its_script_from_a_file_never_inline(self):
        response = self.client.get(self.url)
        scripts = re.findall(r"<script(?![^>]*ld\+json)([^>]*)>", response.content.decode())
        self.assertTrue(scripts)
        for attributes in scripts:
            self.assertIn("src=", attributes)

    def test_key_events_are_summarised_at_the_top_with_links_to_each(self):
        key = post_update(self.coverage, title="Kherson est repris", is_key=True)
        post_update(self.coverage, title="Une mise à jour ordinaire")
        response = self.client.get(self.url)
        content = response.content.decode()
        summary = content[content.index("live__key-list") : content.index("data-live-updates")]
        self.assertIn(f'href="#update-{key.pk}"', summary)
        self.assertIn("Kherson est repris", summary)
        self.assertNotIn("Une mise à jour ordinaire", summary)

    def test_a_key_event_on_an_earlier_page_links_to_its_permanent_link(self):
        key = post_update(self.coverage, title="Le pont saute", is_key=True)
        for _ in range(PAGE_SIZE):
            post_update(self.coverage)
        response = self.client.get(self.url)
        self.assertContains(response, f'href="{key.get_absolute_url()}">Le pont saute')

    def test_a_withdrawn_update_is_gone_and_a_corrected_one_says_so(self):
        gone = post_update(self.coverage, body="<p>Une erreur</p>")
        corrected = post_update(self.coverage, body="<p>Bilan : 3 morts</p>")
        gone.withdraw()
        corrected.body = "<p>Bilan : 4 morts</p>"
        corrected.save()
        response = self.client.get(self.url)
        self.assertNotContains(response, "Une erreur")
        self.assertContains(response, "Bilan : 4 morts")
        self.assertContains(response, "Corrigé à")

    def test_the_text_is_sanitised_when_saved(self):
        update = post_update(
            self.coverage, body='<p>Texte<script>alert(1)</script></p><img src=x onerror="x()">'
        )
        self.assertEqual(LiveUpdate.objects.get(pk=update.pk).body, "<p>Texte</p>")

    def test_a_closed_coverage_stays_as_the_archive_without_the_badge(self):
        post_update(self.coverage, body="<p>La nuit</p>")
        self.coverage.close()
        self.coverage.save()
        response = self.client.get(self.url)
        self.assertNotContains(response, "live__badge")
        self.assertContains(response, "Le direct s’est terminé le")
        self.assertContains(response, "La nuit")
        self.assertNotContains(response, "data-live-running")


class AutoCloseTests(TestCase):
    def test_a_coverage_without_updates_for_the_set_time_closes_itself_with_no_job(self):
        coverage = make_live(close_after_hours=3)
        post_update(coverage)
        coverage.refresh_from_db()
        last = coverage.last_activity_at
        with time_machine.travel(last + timedelta(hours=2, minutes=59)):
            self.assertTrue(coverage.is_live)
        with time_machine.travel(last + timedelta(hours=3, minutes=1)):
            self.assertFalse(coverage.is_live)
            self.assertEqual(coverage.coverage_end, last + timedelta(hours=3))
            response = self.client.get(coverage.article.get_absolute_url())
            self.assertNotContains(response, "live__badge")

    def test_a_new_update_restarts_the_quiet_spell(self):
        coverage = make_live(close_after_hours=1)
        start = timezone.now()
        with time_machine.travel(start + timedelta(minutes=50)):
            post_update(coverage)
        coverage.refresh_from_db()
        with time_machine.travel(start + timedelta(minutes=90)):
            self.assertTrue(coverage.is_live)

    def test_reopening_makes_it_live_again(self):
        coverage = make_live()
        coverage.close()
        coverage.save()
        self.assertFalse(coverage.is_live)
        coverage.reopen()
        coverage.save()
        self.assertTrue(coverage.is_live)


class EarlierUpdatesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.coverage = make_live()
        cls.updates = [post_update(cls.coverage) for _ in range(2 * PAGE_SIZE + 5)]

    def test_the_page_shows_the_latest_and_links_to_the_earlier_ones(self):
        response = self.client.get(self.coverage.article.get_absolute_url())
        newest_first = [u.pk for u in reversed(self.updates)]
        self.assertEqual(update_ids(response), newest_first[:PAGE_SIZE])
        self.assertContains(response, "Mises à jour précédentes")

    def test_ordinary_links_reach_every_update(self):
        response = self.client.get(self.coverage.article.get_absolute_url())
        seen = []
        for _ in range(10):
            self.assertEqual(response.status_code, 200)
            seen += update_ids(response)
            found = re.search(r'href="([^"]+)" rel="next"', response.content.decode())
            if found is None:
                break
            response = self.client.get(found[1])
        self.assertEqual(seen, [u.pk for u in reversed(self.updates)])

    def test_an_earlier_page_costs_the_same_at_any_depth(self):
        keep_menu(self.client)
        for update in (self.updates[-2], self.updates[0]):
            # The coverage's page of updates.
            with self.subTest(update=update.pk), self.assertNumQueries(2):
                response = self.client.get(
                    reverse("live:earlier", args=[self.coverage.pk, update.pk])
                )
            self.assertEqual(response.status_code, 200)

    def test_a_permanent_link_opens_the_page_that_holds_the_update(self):
        recent, old = self.updates[-1], self.updates[3]
        response = self.client.get(recent.get_absolute_url())
        self.assertRedirects(
            response,
            f"{self.coverage.article.get_absolute_url()}#update-{recent.pk}",
            fetch_redirect_response=False,
        )
        response = self.client.get(old.get_absolute_url())
        target = reverse("live:earlier", args=[self.coverage.pk, old.pk])
        self.assertRedirects(response, f"{target}#update-{old.pk}", fetch_redirect_response=False)
        self.assertEqual(update_ids(self.client.get(target))[0], old.pk)

    def test_a_withdrawn_update_or_an_unpublished_page_has_no_permanent_link(self):
        gone = post_update(self.coverage)
        gone.withdraw()
        self.assertEqual(self.client.get(gone.get_absolute_url()).status_code, 404)
        draft = make_live(article=make_article(status="draft"))
        hidden = post_update(draft)
        self.assertEqual(self.client.get(hidden.get_absolute_url()).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("live:earlier", args=[draft.pk, hidden.pk])).status_code, 404
        )


class LivePageQueryTests(TestCase):
    def test_an_ordinary_article_costs_no_query_to_learn_it_is_not_live(self):
        # The article page's queries (see test_article_page): its own row says it is not
        # live.
        article = make_article(tags=["Ukraine"])
        with self.assertNumQueries(4):
            self.client.get(article.get_absolute_url())

    def test_a_live_article_costs_the_same_however_many_updates_it_has(self):
        # Those four, the sidebar's articles (another article shares its tag), then its
        # coverage, its latest updates and its key events.
        make_article(tags=["Ukraine"])
        for size in (3, 3 * PAGE_SIZE):
            with self.subTest(size=size):
                coverage = make_live(article=make_article(tags=["Ukraine"]))
                for n in range(size):
                    post_update(coverage, author=make_author(), is_key=n % 10 == 0)
                with self.assertNumQueries(8):
                    response = self.client.get(coverage.article.get_absolute_url())
                self.assertEqual(len(update_ids(response)), min(size, PAGE_SIZE))


class LiveStructuredDataTests(TestCase):
    def test_a_live_article_is_a_live_blog_posting_with_its_updates(self):
        coverage = make_live()
        update = post_update(coverage, title="Premier point", author=make_author(name="Anna"))
        data = structured_data(self.client.get(coverage.article.get_absolute_url()))
        self.assertEqual(data["@type"], "LiveBlogPosting")
        self.assertEqual(
            data["coverageStartTime"],
            timezone.localtime(coverage.started_at).isoformat("T", "seconds"),
        )
        self.assertNotIn("coverageEndTime", data)
        (entry,) = data["liveBlogUpdate"]
        self.assertEqual(entry["@type"], "BlogPosting")
        self.assertEqual(entry["headline"], "Premier point")
        self.assertTrue(entry["url"].endswith(f"#update-{update.pk}"))
        self.assertEqual(entry["author"]["name"], "Anna")

    def test_a_closed_coverage_gives_its_end(self):
        coverage = make_live()
        post_update(coverage)
        coverage.close()
        coverage.save()
        data = structured_data(self.client.get(coverage.article.get_absolute_url()))
        self.assertEqual(data["@type"], "LiveBlogPosting")
        self.assertEqual(
            data["coverageEndTime"],
            timezone.localtime(coverage.closed_at).isoformat("T", "seconds"),
        )

    def test_an_ordinary_article_stays_a_news_article(self):
        data = structured_data(self.client.get(make_article().get_absolute_url()))
        self.assertEqual(data["@type"], "NewsArticle")


class MadeIntoArticleTests(TestCase):
    def test_an_update_becomes_a_draft_with_the_live_pages_tags_and_story(self):
        live_article = make_article(tags=["Ukraine", "Kherson"])
        story = make_story(articles=[live_article])
        coverage = make_live(article=live_article)
        author = make_author()
        update = post_update(coverage, title="Le pont Antonivskyi", author=author)
        article = update.make_article()
        self.assertEqual(article.status, "draft")
        self.assertEqual(article.title, "Le pont Antonivskyi")
        self.assertEqual({t.name for t in article.tags.all()}, {"Ukraine", "Kherson"})
        self.assertEqual(list(article.authors.all()), [author])
        self.assertTrue(story.pieces.filter(article=article).exists())
        update.refresh_from_db()
        self.assertEqual(update.article, article)

    def test_the_update_links_to_its_article_once_published(self):
        coverage = make_live()
        update = post_update(coverage, title="Le pont")
        article = update.make_article()
        url = coverage.article.get_absolute_url()
        self.assertNotContains(self.client.get(url), "Lire l’article")
        article.publish()
        article.save()
        self.assertContains(self.client.get(url), f'href="{article.get_absolute_url()}"')
