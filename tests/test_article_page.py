"""The article page, as a reader arriving from a share link sees it."""

import io
import re
from datetime import timedelta

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, Correction, prefetch_tags
from tests.factories import SEED_URL, STORING, jpeg, keep_menu, make_article, make_author


def tiny_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3)).save(buffer, "JPEG")
    return buffer.getvalue()


class SeedArticlePageTests(TestCase):
    fixtures = ["demo"]

    def setUp(self):
        self.response = self.client.get(SEED_URL)

    def test_page_shows_headline_dateline_standfirst_byline_and_time(self):
        self.assertContains(
            self.response,
            '<h1 id="article-title" class="article__title">'
            "Des troupes nord-coréennes soutiennent la Russie en Ukraine</h1>",
            html=True,
        )
        self.assertContains(
            self.response,
            '<p class="article__dateline"><a href="/places/paris/">Paris</a></p>',
            html=True,
        )
        self.assertContains(self.response, "Traditionnellement isolée, la Corée du Nord")
        self.assertContains(self.response, 'rel="author">La rédaction</a>')
        self.assertContains(self.response, "27 octobre 2024 · 20:45")

    def test_body_list_is_a_real_list_with_bold_lead_phrases(self):
        self.assertContains(
            self.response,
            "<li><strong>Renforcement des relations diplomatiques</strong> : La Corée du Nord "
            "cherche à consolider ses liens avec la Russie, avec l'espoir de recevoir un soutien "
            "économique et militaire.</li>",
            html=True,
        )

    def test_sidebar_links_the_front_line_pieces_with_their_times(self):
        related = self.response.context["related_articles"]
        self.assertEqual(
            [article.title for article in related],
            [
                "L'Ukraine échoue à percer les défenses russes, tensions croissantes",
                "Zelensky inquiet : troupes nord-coréennes bientôt en Russie ?",
            ],
        )
        content = self.response.content.decode()
        sidebar = content[content.index('<aside class="related"') :]
        self.assertIn("27 octobre 2024 · 19:37", sidebar)
        self.assertIn("27 octobre 2024 · 13:30", sidebar)
        for article in related:
            self.assertIn(f'href="{article.get_absolute_url()}"', sidebar)

    def test_tags_link_to_their_pages(self):
        self.assertContains(self.response, '<a href="/tags/coree-du-nord/">Corée du Nord</a>')
        self.assertContains(self.response, '<a href="/tags/otan/">OTAN</a>')

    def test_share_block_offers_copy_link_web_share_and_plain_links(self):
        self.assertContains(self.response, "Partager cet article")
        self.assertContains(self.response, "data-copy-link")
        self.assertContains(self.response, "data-web-share")
        for prefix in (
            "https://x.com/intent/post?",
            "https://www.facebook.com/sharer/sharer.php?u=",
            "https://wa.me/?text=",
            "https://t.me/share/url?url=",
            "https://www.linkedin.com/sharing/share-offsite/?url=",
            "mailto:?subject=",
        ):
            self.assertContains(self.response, f'href="{prefix}')

    def test_page_is_french_and_in_the_site_layout(self):
        self.assertContains(self.response, '<html lang="fr">')
        self.assertContains(
            self.response, '<a class="skip-link" href="#content">Aller au contenu</a>'
        )
        self.assertContains(self.response, '<main id="content"')


class ShareLinkTests(TestCase):
    @override_settings(SITE_URL="https://news.example", ALLOWED_HOSTS=["evil.example"])
    def test_share_url_comes_from_site_url_never_from_the_host_header(self):
        article = make_article(title="Trêve")
        response = self.client.get(article.get_absolute_url(), HTTP_HOST="evil.example")
        self.assertContains(response, f'value="https://news.example{article.get_absolute_url()}"')
        self.assertNotContains(response, "evil.example")


class ArticleAddressTests(TestCase):
    def test_known_slug_under_a_wrong_date_redirects_permanently(self):
        article = make_article(title="Frappe à Kharkiv")
        response = self.client.get(
            reverse(
                "articles:detail",
                kwargs={"year": 2001, "month": 1, "day": 1, "slug": article.slug},
            )
        )
        self.assertRedirects(response, article.get_absolute_url(), status_code=301)

    def test_impossible_date_with_a_known_slug_redirects(self):
        article = make_article(title="Frappe à Odessa")
        response = self.client.get(f"/articles/2024/13/45/{article.slug}/")
        self.assertRedirects(response, article.get_absolute_url(), status_code=301)

    def test_unknown_slug_is_not_found(self):
        response = self.client.get("/articles/2024/10/27/nothing-here/")
        self.assertEqual(response.status_code, 404)

    def test_draft_is_not_found(self):
        draft = make_article(status=Article.Status.DRAFT)
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)

    def test_scheduled_article_is_not_found_before_its_time(self):
        scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
        self.assertEqual(self.client.get(scheduled.get_absolute_url()).status_code, 404)


class RevisedArticleTests(TestCase):
    def test_significant_update_shows_updated_on(self):
        article = make_article(
            published_at=timezone.now() - timedelta(days=1), revised_at=timezone.now()
        )
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "Mis à jour le")

    def test_no_update_line_without_a_significant_update(self):
        response = self.client.get(make_article().get_absolute_url())
        self.assertNotContains(response, "Mis à jour le")


class ArticlePageQueryTests(TestCase):
    """The article page costs the same few queries however much surrounds the article."""

    # The article (with its section, and flags telling whether it has pins, corrections,
    # stories, places or live coverage: none here, so none of these is read), its authors and
    # tags (in one statement), its tags' sidebar candidates (the first page of a content
    # generation that needs them), the sidebar's articles (pinned and tagged alike); the
    # menu's sections are the worker's, kept. Asked again after an edit elsewhere, the same
    # page is also stored (an INSERT, in a savepoint inside a test's transaction); the next
    # time (see test_stored_pages): the article with its stored page, the candidates, the
    # sidebar's articles.
    def assert_page_queries(self, article, expected=4, stored=3):
        url = article.get_absolute_url()
        keep_menu(self.client)
        with self.assertNumQueries(expected):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        for queries in (expected + STORING, stored):
            cache.clear()  # as after an edit elsewhere: the page cache has it no more
            keep_menu(self.client)
            with self.assertNumQueries(queries):
                self.assertEqual(self.client.get(url).content, response.content)

    def test_query_count_with_a_hero_image_and_its_preview_rendition(self):
        upload = SimpleUploadedFile("front.jpg", jpeg((1600, 900)), content_type="image/jpeg")
        # No other article carries its tag: the sidebar has no article to read.
        self.assert_page_queries(
            make_article(hero_image=upload, hero_alt="Une photo", tags=["Ukraine"]),
            expected=3,
            stored=2,
        )

    def test_query_count_with_one_tag_and_one_related_article(self):
        article = make_article(tags=["Ukraine"])
        make_article(tags=["Ukraine"])
        self.assert_page_queries(article)

    def test_query_count_with_many_tags_authors_and_related_articles(self):
        authors = [make_author() for _ in range(4)]
        tags = [f"Tag {i}" for i in range(12)]
        article = make_article(tags=tags, authors=authors)
        for i in range(20):
            make_article(tags=tags[: i % 12 + 1], authors=authors)
        self.assert_page_queries(article)

    def test_query_count_with_hero_image_pins_and_corrections(self):
        article = make_article(
            tags=["Ukraine"], hero_image=SimpleUploadedFile("a.jpg", tiny_jpeg()), hero_alt="Vue"
        )
        article.pinned_related.set([make_article() for _ in range(3)])
        make_article(tags=["Ukraine"])
        for i in range(3):
            Correction.objects.create(article=article, text=f"Correction {i}.")
        # Those four, then the corrections, which the flags say are there; the pins come
        # with the sidebar's tagged articles, from the stored page as at the first visit.
        self.assert_page_queries(article, expected=5)

    def test_the_next_page_sharing_a_tag_reads_only_the_sidebars_articles(self):
        first, second = make_article(tags=["Ukraine"]), make_article(tags=["Ukraine"])
        keep_menu(self.client)
        self.client.get(first.get_absolute_url())
        # Until the next edit, this worker ranks the tag's candidates it read for the first.
        with self.assertNumQueries(3):
            response = self.client.get(second.get_absolute_url())
        self.assertEqual(response.context["related_articles"], [first])


class ArticleTagsTests(TestCase):
    def test_the_page_links_each_tag_of_the_article_and_no_other(self):
        article = make_article(tags=["Ukraine", "Corée du Nord"])
        make_article(tags=["Gaza"])
        html = self.client.get(article.get_absolute_url()).content.decode()
        tag_list = re.search(r'<ul class="tag-list".*?</ul>', html, re.S)[0]
        self.assertEqual(
            sorted(re.findall(r'<a href="([^"]+)">', tag_list)),
            [
                reverse("articles:tag", args=["coree-du-nord"]),
                reverse("articles:tag", args=["ukraine"]),
            ],
        )

    def test_tags_are_read_for_many_articles_in_one_query_in_their_tagging_order(self):
        first, second, untagged = make_article(), make_article(), make_article()
        first.tags.add("Ukraine")
        first.tags.add("OTAN")
        second.tags.add("Gaza")
        articles = list(Article.objects.filter(pk__in=[first.pk, second.pk, untagged.pk]))
        with self.assertNumQueries(1):
            prefetch_tags(articles)
        tags = {article.pk: [tag.name for tag in article.tag_list] for article in articles}
        self.assertEqual(
            tags, {first.pk: ["Ukraine", "OTAN"], second.pk: ["Gaza"], untagged.pk: []}
        )
