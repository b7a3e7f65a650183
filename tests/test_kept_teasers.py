"""Each worker keeps the teasers it rendered, under a key naming all they show: listings built
again after an edit render only the teasers of the articles that changed, and never show one
that is out of date."""

from unittest import mock

from django.test import TestCase, override_settings

from articles.models import Article, Author, Section
from articles.templatetags import articles_tags
from articles.templatetags.articles_tags import KEPT_TEASERS
from tests.factories import make_article, make_author, make_section


@override_settings(READER_CACHE_SECONDS=0)
class KeptTeaserTests(TestCase):
    """Without the page cache, each request builds its listings again."""

    @classmethod
    def setUpTestData(cls):
        cls.author = make_author(name="Anna Politkovskaïa")
        cls.section = make_section(name="Europe")
        cls.article = make_article(
            title="Le front de Koursk", authors=[cls.author], section=cls.section, tags=["Ukraine"]
        )

    def home(self):
        return self.client.get("/")

    def test_an_unchanged_article_is_rendered_once_for_every_listing_that_shows_it(self):
        with mock.patch.object(
            articles_tags, "render_teaser", wraps=articles_tags.render_teaser
        ) as render:
            self.home()
            rendered = render.call_count
            self.home()
        self.assertGreater(rendered, 0)
        self.assertEqual(render.call_count, rendered)

    def test_an_edited_article_shows_at_once(self):
        self.home()
        self.article.title = "Le front de Zaporijjia"
        self.article.save()
        self.assertContains(self.home(), "Le front de Zaporijjia")
        self.assertNotContains(self.home(), "Le front de Koursk")

    def test_a_renamed_author_or_section_shows_at_once(self):
        self.home()
        author = Author.objects.get(pk=self.author.pk)
        author.name = "Anna S. Politkovskaïa"
        author.save()
        section = Section.objects.get(pk=self.section.pk)
        section.name = "Europe de l'Est"
        section.save()
        response = self.home()
        self.assertContains(response, "Anna S. Politkovskaïa")
        self.assertContains(response, "Europe de l&#x27;Est")

    def test_the_same_article_keeps_a_teaser_for_each_way_a_page_shows_it(self):
        tag_page = self.client.get("/tags/ukraine/")
        self.assertContains(tag_page, '<p class="byline">')
        # The author's own page names the other authors only ("Avec"), here none.
        response = self.client.get(self.author.get_absolute_url())
        self.assertContains(response, "Le front de Koursk")
        self.assertNotContains(response, '<p class="byline">')

    def test_a_related_article_is_rendered_once_for_every_sidebar_that_shows_it(self):
        pages = [make_article(tags=["Ukraine"]) for _ in range(2)]
        with mock.patch.object(
            articles_tags, "render_related_teaser", wraps=articles_tags.render_related_teaser
        ) as render:
            for page in pages:
                self.assertContains(self.client.get(page.get_absolute_url()), "Le front de Koursk")
        # Each page shows the other and "Le front de Koursk", rendered for the first only.
        self.assertEqual(render.call_count, 3)

    def test_an_edited_related_article_shows_at_once_in_the_sidebar(self):
        page = make_article(tags=["Ukraine"])
        self.client.get(page.get_absolute_url())
        self.article.title = "Le front de Zaporijjia"
        self.article.save()
        response = self.client.get(page.get_absolute_url())
        self.assertContains(response, "Le front de Zaporijjia")
        self.assertNotContains(response, "Le front de Koursk")

    def test_an_article_read_without_what_its_key_needs_is_rendered_each_time(self):
        article = Article.objects.defer("shell_stamp").get(pk=self.article.pk)
        context = {"hide_section": False}
        with mock.patch.object(
            articles_tags, "render_teaser", wraps=articles_tags.render_teaser
        ) as render:
            articles_tags.teaser(context, article)
            articles_tags.teaser(context, article)
        self.assertEqual(render.call_count, 2)
        self.assertEqual(len(KEPT_TEASERS.kept), 0)


class KeptRenderingsTests(TestCase):
    def test_the_oldest_leave_first_beyond_the_size(self):
        kept = type(KEPT_TEASERS)(2)
        for key in "abc":
            kept.get(key, lambda key=key: key.upper())
        self.assertEqual(list(kept.kept), ["b", "c"])
        self.assertEqual(kept.get("b", lambda: "rendered again"), "B")
