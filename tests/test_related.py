"""The related-articles sidebar: shared tags first, then recency."""

import re
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import listings
from articles.models import Article
from tests.factories import jpeg_upload, keep_menu, make_article


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


class SidebarTests(TestCase):
    def test_each_related_article_shows_its_picture_time_and_title(self):
        published = datetime(2024, 12, 1, 7, 5, 9, tzinfo=UTC)
        article = make_article(tags=["Ukraine"])
        pictured = make_article(
            title="Kyiv & <Kharkiv>",
            tags=["Ukraine"],
            published_at=published,
            hero_image=jpeg_upload(),
            hero_alt='Un "pont"',
        )
        plain = make_article(tags=["Ukraine"], published_at=published - timedelta(days=1))
        html = self.client.get(article.get_absolute_url()).content.decode()
        items = re.findall(r'<ul class="related__list">(.*?)</ul>', html, re.S)[0]
        picture = (
            r'<picture class="thumb"><source type="image/webp" srcset="[^"]+" sizes="6rem">'
            r'<img src="[^"]+" srcset="[^"]+" sizes="6rem" alt="Un &quot;pont&quot;" '
            r'width="480" height="267" loading="lazy" decoding="async"></picture>'
        )
        first = re.escape(
            '<time datetime="2024-12-01T08:05:09+01:00">1er décembre 2024 · 08:05</time>'
            f'<a href="{pictured.get_absolute_url()}">Kyiv &amp; &lt;Kharkiv&gt;</a>\n'
        )
        second = re.escape(
            '<time datetime="2024-11-30T08:05:09+01:00">30 novembre 2024 · 08:05</time>'
            f'<a href="{plain.get_absolute_url()}">{plain.title}</a>\n'
        )
        self.assertRegex(items, rf"^\s*<li>{picture}{first}</li>\s*<li>{second}</li>\s*$")


class PinnedRelatedTests(TestCase):
    def test_pinned_articles_lead_then_tag_ranked_ones_still_at_most_five(self):
        now = timezone.now()
        article = make_article(tags=["Ukraine"])
        tagged = [
            make_article(tags=["Ukraine"], published_at=now - timedelta(hours=i))
            for i in range(1, 6)
        ]
        old_pin = make_article(published_at=now - timedelta(days=30))
        article.pinned_related.set([old_pin, tagged[3]])
        self.assertEqual(
            list(article.related()), [tagged[3], old_pin, tagged[0], tagged[1], tagged[2]]
        )

    def test_an_article_without_tags_shows_its_pins_newest_first_at_most_five(self):
        now = timezone.now()
        article = make_article()
        pins = [make_article(published_at=now - timedelta(days=i)) for i in range(1, 8)]
        article.pinned_related.set(reversed(pins))
        self.assertEqual(list(article.related()), pins[:5])

    def test_unpublished_pins_are_left_out(self):
        article = make_article()
        article.pinned_related.set(
            [
                make_article(status=Article.Status.DRAFT),
                make_article(published_at=timezone.now() + timedelta(hours=1)),
            ]
        )
        self.assertEqual(list(article.related()), [])


class SidebarAtScaleTests(TestCase):
    def test_seed_article_sidebar_is_unchanged(self):
        call_command("loaddata", "demo", verbosity=0)
        seed = Article.objects.get(
            slug="des-troupes-nord-coreennes-soutiennent-la-russie-en-ukraine"
        )
        self.assertEqual(
            [article.slug for article in seed.related()],
            [
                "l-ukraine-echoue-a-percer-les-defenses-russes-tensions-croissantes",
                "zelensky-inquiet-troupes-nord-coreennes-bientot-en-russie",
            ],
        )

    def test_a_tag_on_thousands_of_articles_still_ranks_by_shared_tags_then_recency(self):
        now = timezone.now()
        crowd = Article.objects.bulk_create(
            Article(
                title=f"Crowd {i}",
                slug=f"crowd-{i}",
                standfirst=".",
                body="",
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(hours=i + 1),
            )
            for i in range(3000)
        )
        ukraine = Tag.objects.create(name="Ukraine", slug="ukraine")
        article_type = ContentType.objects.get_for_model(Article)
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=ukraine, content_type=article_type, object_id=article.pk)
            for article in crowd
        )
        listings.rebuild()  # bulk_create skips the signals, as generate_archive does
        old_two_tags = make_article(
            tags=["Ukraine", "Koursk"], published_at=now - timedelta(days=400)
        )
        article = make_article(tags=["Ukraine", "Koursk"])
        self.assertEqual(list(article.related()), [old_two_tags, *crowd[:4]])


class KeptCandidatesTests(TestCase):
    """Each worker keeps its tags' sidebar candidates until the next edit, and no longer."""

    def sidebar(self, article):
        return self.client.get(article.get_absolute_url()).context["related_articles"]

    def test_an_article_published_since_joins_the_sidebar_at_once(self):
        article, older = make_article(tags=["Ukraine"]), make_article(tags=["Ukraine"])
        self.assertEqual(self.sidebar(article), [older])
        newer = make_article(tags=["Ukraine"])
        self.assertEqual(self.sidebar(article), [newer, older])

    def test_a_retagged_article_moves_at_once(self):
        article = make_article(tags=["Ukraine", "Koursk"])
        newer, older = make_article(tags=["Ukraine"]), make_article(tags=["Ukraine"])
        older.published_at = newer.published_at - timedelta(days=1)
        older.save()
        self.assertEqual(self.sidebar(article), [newer, older])
        older.tags.add("Koursk")
        self.assertEqual(self.sidebar(article), [older, newer])

    def test_a_scheduled_article_joins_the_sidebar_when_it_is_due(self):
        article = make_article(tags=["Ukraine"])
        scheduled = make_article(tags=["Ukraine"], published_at=timezone.now() + timedelta(hours=1))
        self.assertEqual(self.sidebar(article), [])
        # No edit renews the content generation: the tag's candidates lapse when it is due.
        with time_machine.travel(timezone.now() + timedelta(hours=2)):
            self.assertEqual(self.sidebar(article), [scheduled])

    def test_the_sidebars_articles_are_read_once_until_the_next_edit(self):
        now = timezone.now()
        articles = [
            make_article(tags=["Ukraine"], published_at=now - timedelta(days=i)) for i in range(7)
        ]
        keep_menu(self.client)
        self.sidebar(articles[6])
        # The two oldest show the same five newest: the article with its authors and tags.
        with self.assertNumQueries(2):
            self.assertEqual(self.sidebar(articles[5]), articles[:5])
        articles[0].title = "Un titre corrigé"
        articles[0].save()
        self.assertContains(self.client.get(articles[6].get_absolute_url()), "Un titre corrigé")

    def test_a_worker_keeps_a_bounded_number_of_sidebar_articles(self):
        articles = [make_article(tags=["Ukraine"]) for _ in range(3)]
        candidates = listings.TagCandidates()
        with patch.object(listings, "KEPT_TEASERS", 2):
            articles[0].related(candidates=candidates)
            self.assertEqual(set(candidates.teasers), {article.pk for article in articles[1:]})
            # Full: it begins again with what it read, and the sidebar still shows both.
            self.assertEqual(articles[1].related(candidates=candidates), [articles[2], articles[0]])
        self.assertEqual(set(candidates.teasers), {articles[0].pk})

    def test_a_worker_keeps_a_bounded_number_of_tags_and_candidates(self):
        candidates = listings.TagCandidates()
        articles = [make_article(tags=[f"Tag {i}"]) for i in range(3)]
        tag_ids = [article.tag_list[0].pk for article in articles]
        with patch.object(listings, "KEPT_TAGS", 2):
            for tag_id in tag_ids:
                candidates.ranked(0, [tag_id], 5, timezone.now())
        self.assertEqual(list(candidates.tags), tag_ids[2:])
        self.assertEqual(list(candidates.articles), [articles[2].pk])
        with patch.object(listings, "KEPT_CANDIDATES", 1):
            candidates.ranked(0, tag_ids[:1], 5, timezone.now())
        self.assertEqual(list(candidates.tags), tag_ids[:1])
        # Full again: a page needing a kept tag and a new one reads both afresh.
        with patch.object(listings, "KEPT_TAGS", 1):
            ranked = candidates.ranked(0, tag_ids[:2], 5, timezone.now())
        self.assertEqual(list(candidates.tags), tag_ids[:2])
        self.assertEqual({pk for _, _, pk in ranked}, {articles[0].pk, articles[1].pk})
