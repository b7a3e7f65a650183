"""Links that must keep working: short links, old slugs and dates, canonical addresses."""

from datetime import UTC, datetime, timedelta

from django.test import TestCase, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles.links import slug_url
from articles.models import Article
from tests.factories import (
    make_archive,
    make_article,
    make_author,
    make_place,
    make_section,
    make_story,
    script_prefix,
)


def canonical(response):
    html = response.content.decode()
    start = html.index('<link rel="canonical" href="') + len('<link rel="canonical" href="')
    return html[start : html.index('"', start)]


class ShortLinkTests(TestCase):
    def test_short_link_redirects_permanently_to_the_canonical_url(self):
        article = make_article(title="Cessez-le-feu à Gaza")
        response = self.client.get(f"/a/{article.pk}/")
        self.assertRedirects(response, article.get_absolute_url(), status_code=301)
        self.assertEqual(article.get_short_url(), f"/a/{article.pk}/")

    def test_short_link_of_a_draft_or_scheduled_article_is_not_found(self):
        draft = make_article(status=Article.Status.DRAFT)
        scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
        for article in (draft, scheduled):
            with self.subTest(article=article.title):
                self.assertEqual(self.client.get(article.get_short_url()).status_code, 404)

    def test_short_link_costs_one_query(self):
        article = make_article()
        with self.assertNumQueries(1):
            self.client.get(article.get_short_url())

    def test_old_slug_redirect_costs_three_queries(self):
        """The failed date lookup, the current slug, then the former one."""
        article = make_article(slug="before")
        article.slug = "after"
        article.save()
        with self.assertNumQueries(3):
            self.client.get(article.get_absolute_url().replace("after", "before"))

    def test_short_link_to_nothing_is_not_found(self):
        self.assertEqual(self.client.get("/a/999999/").status_code, 404)
        self.assertEqual(self.client.get("/a/abc/").status_code, 404)


class ChangedAddressTests(TestCase):
    def setUp(self):
        self.article = make_article(
            title="Frappe sur Kiev", published_at=datetime(2024, 10, 27, 18, 0, tzinfo=UTC)
        )
        self.first_url = self.article.get_absolute_url()

    def test_old_slug_redirects_permanently_after_the_slug_changes(self):
        self.article.slug = "frappes-sur-kyiv"
        self.article.save()
        response = self.client.get(self.first_url)
        self.assertRedirects(response, "/articles/2024/10/27/frappes-sur-kyiv/", status_code=301)

    def test_every_former_slug_keeps_redirecting(self):
        for slug in ("second-slug", "third-slug"):
            self.article.slug = slug
            self.article.save()
        for url in (self.first_url, "/articles/2024/10/27/second-slug/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(response, "/articles/2024/10/27/third-slug/", status_code=301)

    def test_old_date_redirects_permanently_after_the_publication_date_changes(self):
        self.article.published_at = datetime(2024, 11, 3, 9, 0, tzinfo=UTC)
        self.article.save()
        response = self.client.get(self.first_url)
        self.assertRedirects(response, "/articles/2024/11/03/frappe-sur-kiev/", status_code=301)

    def test_old_slug_and_date_both_changed_still_redirect(self):
        self.article.slug = "frappes-sur-kyiv"
        self.article.published_at = datetime(2024, 11, 3, 9, 0, tzinfo=UTC)
        self.article.save()
        response = self.client.get(self.first_url)
        self.assertRedirects(response, "/articles/2024/11/03/frappes-sur-kyiv/", status_code=301)

    def test_current_slug_wins_over_another_articles_former_slug(self):
        self.article.slug = "renamed"
        self.article.save()
        newcomer = make_article(slug="frappe-sur-kiev")
        response = self.client.get(self.first_url)
        self.assertRedirects(response, newcomer.get_absolute_url(), status_code=301)

    def test_old_slug_of_an_unpublished_article_is_not_found(self):
        self.article.slug = "renamed"
        self.article.status = Article.Status.DRAFT
        self.article.save()
        self.assertEqual(self.client.get(self.first_url).status_code, 404)


@override_settings(SITE_URL="https://news.example")
class CanonicalLinkTests(TestCase):
    def test_article_canonical_is_its_absolute_url_without_the_query_string(self):
        article = make_article()
        response = self.client.get(
            article.get_absolute_url(), {"utm_source": "x", "fbclid": "abc", "page": "3"}
        )
        self.assertEqual(canonical(response), f"https://news.example{article.get_absolute_url()}")

    def test_every_reader_page_has_a_canonical_link(self):
        article = make_article(tags=["Ukraine"], published_at=datetime(2024, 10, 27, tzinfo=UTC))
        author = article.authors.get()
        for path in (
            reverse("articles:home"),
            "/tags/ukraine/",
            author.get_absolute_url(),
            "/archives/2024/",
            "/archives/2024/10/",
            "/archives/2024/10/27/",
        ):
            with self.subTest(path=path):
                response = self.client.get(path, {"utm_campaign": "partage"})
                self.assertEqual(canonical(response), f"https://news.example{path}")

    def test_listing_canonical_keeps_a_page_number_past_the_first(self):
        make_archive(15)
        response = self.client.get(reverse("articles:home"), {"page": "2", "ref": "x"})
        self.assertEqual(canonical(response), "https://news.example/?page=2")
        self.assertEqual(
            canonical(self.client.get(reverse("articles:home"))), "https://news.example/"
        )


class AddressTests(TestCase):
    """Addresses are built from a route reversed once per day or kind of page, not per link."""

    def test_addresses_are_those_reverse_writes(self):
        article = make_article(
            slug="frappe-sur-kharkiv",
            authors=[make_author(slug="a-durand")],
            section=make_section(slug="europe"),
        )
        story, place = make_story(slug="front-est"), make_place(slug="kharkiv")
        for instance, route, kwargs in (
            (article, "articles:detail", article.url_kwargs()),
            (article.authors.get(), "articles:author", {"slug": "a-durand"}),
            (article.section, "articles:section", {"slug": "europe"}),
            (story, "stories:detail", {"slug": "front-est"}),
            (place, "stories:place", {"slug": "kharkiv"}),
        ):
            with self.subTest(route=route):
                self.assertEqual(instance.get_absolute_url(), reverse(route, kwargs=kwargs))

    def test_short_links_are_what_reverse_writes_for_any_key(self):
        for pk in (1, 7, 10, 22, 2201, 12345678901):
            with self.subTest(pk=pk):
                self.assertEqual(
                    Article(pk=pk).get_short_url(), reverse("articles:short", args=[pk])
                )

    def test_addresses_follow_the_script_prefix(self):
        """A site served under a path keeps it in every link, whatever was built before."""
        article = make_article()
        article.get_absolute_url()
        article.get_short_url()
        with script_prefix("/journal/"):
            self.assertTrue(article.get_absolute_url().startswith("/journal/articles/"))
            self.assertEqual(article.get_short_url(), f"/journal/a/{article.pk}/")

    def test_a_slug_the_route_refuses_is_refused_as_reverse_refuses_it(self):
        with self.assertRaises(NoReverseMatch):
            slug_url("articles:author", "")
        with self.assertRaises(NoReverseMatch):
            slug_url("articles:author", "a/b")
