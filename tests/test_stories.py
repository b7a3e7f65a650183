"""Story threads: the timeline page, its feeds, the list of stories and what editors do."""

import json
import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.db import IntegrityError, connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from stories.models import ArticlePlace, Story, StoryPiece
from tests.factories import (
    jpeg_upload,
    keep_menu,
    make_article,
    make_place,
    make_story,
    make_user,
)

DEMO_STORY_URL = "/stories/guerre-en-ukraine-la-ligne-de-front/"


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def make_timeline(size, **story_fields):
    """A story of ``size`` published pieces, one an hour, the newest an hour ago."""
    articles = [
        make_article(title=f"Piece {i}", published_at=hours_ago(i + 1)) for i in range(size)
    ]
    return make_story(articles=articles, **story_fields), articles


class StoryPieceTests(TestCase):
    def test_piece_copies_its_article_publication_time(self):
        article = make_article(published_at=hours_ago(5))
        story = make_story(articles=[article])
        self.assertEqual(story.pieces.get().published_at, article.published_at)

    def test_rescheduled_article_moves_in_its_stories_timelines(self):
        article = make_article(published_at=hours_ago(5))
        story = make_story(articles=[article])
        article.published_at = hours_ago(50)
        article.save()
        self.assertEqual(story.pieces.get().published_at, article.published_at)

    def test_timeline_lists_published_pieces_only_newest_first(self):
        newer, older = (
            make_article(published_at=hours_ago(1)),
            make_article(published_at=hours_ago(9)),
        )
        draft = make_article(status=Article.Status.DRAFT)
        scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
        story = make_story(articles=[older, draft, newer, scheduled])
        self.assertEqual(list(story.timeline()), [newer, older])
        self.assertEqual(list(story.timeline(oldest_first=True)), [older, newer])

    def test_an_article_appears_once_per_story_but_in_several_stories(self):
        article = make_article()
        first, second = make_story(articles=[article]), make_story(articles=[article])
        self.assertEqual(set(article.stories.all()), {first, second})
        with self.assertRaises(IntegrityError):
            StoryPiece.objects.create(story=first, article=article)


class DemoStoryTests(TestCase):
    fixtures = ["demo"]

    def test_demo_story_shows_summary_key_piece_and_timeline(self):
        response = self.client.get(DEMO_STORY_URL)
        self.assertContains(
            response,
            '<h1 class="story__title">Guerre en Ukraine : la ligne de front</h1>',
            html=True,
        )
        self.assertContains(response, "Sur le front ukrainien")
        self.assertEqual(
            [a.title for a in response.context["key_pieces"]],
            ["Des troupes nord-coréennes soutiennent la Russie en Ukraine"],
        )
        self.assertEqual(len(response.context["pieces"]), 3)
        self.assertContains(response, "Articles clés")
        self.assertContains(response, "dimanche 27 octobre 2024")


class StoryPageTests(TestCase):
    def test_pieces_are_grouped_by_paris_day(self):
        # 23:30 UTC on 1 March is already 2 March in Paris.
        late = make_article(published_at=datetime(2025, 3, 1, 23, 30, tzinfo=UTC))
        early = make_article(published_at=datetime(2025, 3, 1, 22, 30, tzinfo=UTC))
        story = make_story(articles=[late, early])
        response = self.client.get(story.get_absolute_url())
        days = [(day.isoformat(), articles) for day, articles in response.context["days"]]
        self.assertEqual(days, [("2025-03-02", [late]), ("2025-03-01", [early])])
        self.assertContains(response, "dimanche 2 mars 2025")
        self.assertContains(response, "samedi 1er mars 2025")

    def test_story_image_is_cleaned_and_shown_with_its_renditions(self):
        story, _ = make_timeline(1, image=jpeg_upload(), image_alt="Un char dans la neige")
        self.assertEqual((story.image_width, story.image_height), (1800, 1000))
        self.assertTrue(story.image_renditions)
        response = self.client.get(story.get_absolute_url())
        self.assertContains(response, 'alt="Un char dans la neige"')
        self.assertContains(response, story.image_srcset_webp)

    def test_switch_to_oldest_first(self):
        story, articles = make_timeline(3)
        response = self.client.get(story.get_absolute_url())
        oldest_url = reverse("stories:detail-oldest", args=[story.slug])
        self.assertContains(response, f'href="{oldest_url}"')
        response = self.client.get(oldest_url)
        self.assertEqual(response.context["pieces"], articles[::-1])
        self.assertContains(response, f'href="{story.get_absolute_url()}"')

    def test_pages_continue_by_key_without_repeating_or_skipping(self):
        story, articles = make_timeline(45)
        seen, url = [], story.get_absolute_url()
        while url:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            seen += response.context["pieces"]
            url = response.context["next_url"]
        self.assertEqual(seen, articles)
        seen, url = [], reverse("stories:detail-oldest", args=[story.slug])
        while url:
            response = self.client.get(url)
            seen += response.context["pieces"]
            url = response.context["next_url"]
        self.assertEqual(seen, articles[::-1])

    def test_pieces_at_the_same_time_are_ordered_and_paged_by_article(self):
        moment = hours_ago(2)
        articles = [make_article(published_at=moment) for _ in range(25)]
        story = make_story(articles=articles)
        first = self.client.get(story.get_absolute_url())
        second = self.client.get(first.context["next_url"])
        self.assertEqual(first.context["pieces"] + second.context["pieces"], articles[::-1])

    def test_key_pieces_lead_the_first_page_only(self):
        story, articles = make_timeline(25, key=())
        StoryPiece.objects.filter(article=articles[22]).update(is_key=True)
        first = self.client.get(story.get_absolute_url())
        self.assertEqual(first.context["key_pieces"], [articles[22]])
        second = self.client.get(first.context["next_url"])
        self.assertEqual(second.context["key_pieces"], [])
        self.assertContains(second, "Article clé")

    def test_unknown_story_unpublished_story_and_foreign_cursor_are_not_found(self):
        self.assertEqual(self.client.get("/stories/no-such-story/").status_code, 404)
        hidden = make_story(articles=[make_article(status=Article.Status.DRAFT)])
        self.assertEqual(self.client.get(hidden.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(f"/stories/{hidden.slug}/rss/").status_code, 404)
        story, _ = make_timeline(2)
        stranger = make_article()
        draft = make_article(status=Article.Status.DRAFT)
        StoryPiece.objects.create(story=story, article=draft)
        for article in (stranger, draft):
            url = reverse("stories:detail-before", args=[story.slug, article.pk])
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_json_ld_is_a_collection_page_listing_the_pieces(self):
        story, articles = make_timeline(2)
        response = self.client.get(story.get_absolute_url())
        html = response.content.decode()
        start = html.index('<script type="application/ld+json">') + len(
            '<script type="application/ld+json">'
        )
        data = json.loads(html[start : html.index("</script>", start)])
        self.assertEqual(data["@type"], "CollectionPage")
        self.assertEqual(data["name"], story.title)
        self.assertEqual(data["url"], "http://127.0.0.1:8000" + story.get_absolute_url())
        self.assertEqual(data["mainEntity"]["@type"], "ItemList")
        self.assertEqual(
            [item["url"] for item in data["mainEntity"]["itemListElement"]],
            ["http://127.0.0.1:8000" + a.get_absolute_url() for a in articles],
        )

    def test_query_count_does_not_grow_with_the_story(self):
        for size in (3, 60):
            with self.subTest(size=size):
                story, articles = make_timeline(size)
                StoryPiece.objects.filter(article=articles[-1]).update(is_key=True)
                keep_menu(self.client)
                # the story, its key pieces, the page
                for url in (
                    story.get_absolute_url(),
                    reverse("stories:detail-oldest", args=[story.slug]),
                ):
                    with self.assertNumQueries(3):
                        self.assertEqual(self.client.get(url).status_code, 200)
                later = reverse("stories:detail-before", args=[story.slug, articles[1].pk])
                # the story, the cursor's piece, the page
                with self.assertNumQueries(3):
                    self.assertEqual(self.client.get(later).status_code, 200)

    def test_pieces_are_read_as_teasers_without_their_bodies(self):
        """A page of a long story reads what its teasers show, never the articles' bodies."""
        story, articles = make_timeline(25)
        StoryPiece.objects.filter(article=articles[-1]).update(is_key=True)
        for url in (
            story.get_absolute_url(),
            reverse("stories:detail-before", args=[story.slug, articles[3].pk]),
        ):
            with self.subTest(url=url), CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertContains(response, articles[4].standfirst)
            self.assertTrue(any("stories_storypiece" in query["sql"] for query in queries))
            self.assertFalse([query for query in queries if '."body"' in query["sql"]])


class StoryFeedTests(TestCase):
    def test_rss_and_atom_list_the_published_pieces(self):
        story, articles = make_timeline(3)
        make_story(articles=[make_article(title="Elsewhere")])
        StoryPiece.objects.create(
            story=story, article=make_article(title="Secret draft", status=Article.Status.DRAFT)
        )
        for name in ("stories:feed-rss", "stories:feed-atom"):
            response = self.client.get(reverse(name, args=[story.slug]))
            self.assertEqual(response.status_code, 200)
            for article in articles:
                self.assertContains(response, article.title)
            self.assertNotContains(response, "Elsewhere")
            self.assertNotContains(response, "Secret draft")
            self.assertContains(response, story.summary)

    def test_story_page_announces_its_feeds(self):
        story, _ = make_timeline(1)
        response = self.client.get(story.get_absolute_url())
        self.assertContains(response, reverse("stories:feed-rss", args=[story.slug]))
        self.assertContains(response, reverse("stories:feed-atom", args=[story.slug]))


class StoryListTests(TestCase):
    def test_ongoing_stories_come_first_and_unpublished_ones_are_hidden(self):
        closed = make_story(
            articles=[make_article()], status=Story.Status.CLOSED, title="Closed one"
        )
        ongoing = make_story(articles=[make_article()], title="Ongoing one")
        make_story(articles=[make_article(status=Article.Status.DRAFT)], title="Not yet")
        response = self.client.get(reverse("stories:list"))
        self.assertEqual(list(response.context["stories"]), [ongoing, closed])
        self.assertNotContains(response, "Not yet")
        self.assertContains(response, "En cours")
        self.assertContains(response, "Clos")

    def test_header_links_the_stories_and_home_links_the_ongoing_ones(self):
        ongoing = make_story(articles=[make_article()], title="Ongoing one")
        make_story(articles=[make_article()], status=Story.Status.CLOSED, title="Closed one")
        response = self.client.get(reverse("articles:home"))
        self.assertContains(response, f'<a href="{reverse("stories:list")}">Fils</a>', html=True)
        self.assertContains(response, "Fils en cours")
        self.assertContains(
            response, f'<a href="{ongoing.get_absolute_url()}">Ongoing one</a>', html=True
        )
        self.assertNotContains(response, "Closed one")

    def test_editing_a_story_shows_at_once_on_its_cached_page(self):
        story, _ = make_timeline(1)
        self.assertNotContains(self.client.get(story.get_absolute_url()), "Revised summary")
        story.summary = "Revised summary"
        story.save()
        self.assertContains(self.client.get(story.get_absolute_url()), "Revised summary")


class StoryAdminTests(TestCase):
    def test_editor_files_an_article_into_a_story_from_the_article_form(self):
        from tests.factories import change_form_data

        editor = make_user("Éditeurs")
        story = make_story(articles=[])
        article = make_article()
        self.client.force_login(editor)
        data = change_form_data(
            article,
            **{
                "story_pieces-TOTAL_FORMS": 1,
                "story_pieces-0-story": story.pk,
                "story_pieces-0-is_key": "on",
            },
        )
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]), data
        )
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        piece = StoryPiece.objects.get(article=article)
        article.refresh_from_db()
        self.assertEqual(
            (piece.story, piece.is_key, piece.published_at), (story, True, article.published_at)
        )

    def test_editors_manage_stories_and_writers_file_articles_into_them(self):
        editor, writer = make_user("Éditeurs"), make_user("Rédacteurs")
        self.assertTrue(
            editor.has_perms(
                ["stories.add_story", "stories.change_story", "stories.change_storypiece"]
            )
        )
        self.assertTrue(writer.has_perms(["stories.view_story", "stories.add_storypiece"]))
        self.assertFalse(writer.has_perm("stories.change_story"))
        self.client.force_login(editor)
        self.assertEqual(self.client.get(reverse("admin:stories_story_add")).status_code, 200)
        make_timeline(3)
        changelist = self.client.get(reverse("admin:stories_story_changelist"))
        self.assertContains(changelist, '<td class="field-piece_count">3</td>', html=True)
        self.client.force_login(writer)
        self.assertEqual(self.client.get(reverse("admin:stories_story_add")).status_code, 403)


class StorySitemapTests(TestCase):
    def test_index_names_the_stories_section_which_lists_published_stories(self):
        story, _ = make_timeline(1)
        hidden = make_story(articles=[make_article(status=Article.Status.DRAFT)])
        index = self.client.get(reverse("articles:sitemap-index"))
        self.assertContains(index, "http://127.0.0.1:8000/sitemap-stories.xml")
        section = self.client.get(reverse("stories:sitemap-stories"))
        self.assertContains(section, "http://127.0.0.1:8000" + story.get_absolute_url())
        self.assertNotContains(section, hidden.get_absolute_url())

    def test_places_section_lists_places_with_published_coverage(self):
        place = make_place()
        ArticlePlace.objects.create(article=make_article(), place=place)
        hidden = make_place()
        ArticlePlace.objects.create(article=make_article(status=Article.Status.DRAFT), place=hidden)
        section = self.client.get(reverse("stories:sitemap-places"))
        self.assertContains(section, "http://127.0.0.1:8000" + place.get_absolute_url())
        self.assertContains(section, "<lastmod>")
        self.assertNotContains(section, hidden.get_absolute_url())

    def test_index_dates_the_stories_and_places_files_by_what_readers_see(self):
        story, _ = make_timeline(2)
        place = make_place()
        for day in (1, 20):
            published = make_article(published_at=datetime(2024, 10, day, 12, tzinfo=UTC))
            ArticlePlace.objects.create(article=published, place=place)
        # Neither a story of drafts saved later nor a scheduled piece moves either date.
        with time_machine.travel(timezone.now() + timedelta(days=3)):
            make_story(articles=[make_article(status=Article.Status.DRAFT)])
        scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
        ArticlePlace.objects.create(article=scheduled, place=place)
        index = self.client.get(reverse("articles:sitemap-index")).content.decode()
        lastmods = dict(re.findall(r"<loc>[^<]*/([^/<]+)</loc><lastmod>([^<]+)<", index))
        story.refresh_from_db()
        self.assertEqual(lastmods["sitemap-stories.xml"], f"{timezone.localdate(story.updated_at)}")
        self.assertEqual(lastmods["sitemap-places.xml"], "2024-10-20")

    def test_stories_section_query_count_is_constant(self):
        for size in (1, 8):
            with self.subTest(size=size):
                for _ in range(size):
                    make_timeline(2)
                with self.assertNumQueries(1):
                    response = self.client.get(reverse("stories:sitemap-stories"))
                self.assertEqual(response.status_code, 200)
