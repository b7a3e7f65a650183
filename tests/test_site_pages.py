"""The site's own pages (flat pages editors write), its footer, identity and publisher data."""

import json
import re
from io import StringIO

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.template import Context, Template
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from articles.templatetags.articles_tags import rendered_once
from tests.factories import SEED_URL, make_article, make_section, make_user, script_prefix

SITE = "https://news.example"
PAGE_NAMES = ["about", "legal", "contact", "charter", "corrections", "privacy"]


def json_ld(html):
    return [json.loads(data) for data in re.findall(r'ld\+json">(.*?)</script>', html)]


class DemoPageTests(TestCase):
    fixtures = ["demo"]

    def test_every_page_the_footer_names_answers(self):
        for name in PAGE_NAMES:
            with self.subTest(name=name):
                response = self.client.get(reverse(f"pages:{name}"))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(re.findall(r"<h1", response.content.decode())), 1)

    def test_the_legal_notice_says_what_french_law_asks_of_an_online_press_service(self):
        response = self.client.get(reverse("pages:legal"))
        for heading in (
            "Éditeur",
            "Direction de la publication",
            "Hébergeur",
            "Droit de réponse",
            "Service de presse en ligne",
        ):
            self.assertContains(response, f"<h2>{heading}</h2>")
        self.assertContains(response, "Directrice de la publication")
        self.assertContains(response, "Téléphone")

    def test_the_footer_links_the_pages_and_the_feeds(self):
        html = self.client.get("/").content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        links = re.findall(r'<a href="([^"]+)"', footer)
        self.assertEqual(
            links,
            [
                "/a-propos/",
                "/contact/",
                "/mentions-legales/",
                "/confidentialite/",
                "/charte-editoriale/",
                "/politique-de-corrections/",
                "/rss/",
                "/atom/",
                "/stories/",
            ],
        )

    def test_a_page_costs_two_queries(self):
        Site.objects.get_current()  # read once per process, as in a worker
        with self.assertNumQueries(2):  # the page, the menu's sections
            self.client.get(reverse("pages:about"))

    def test_an_edited_page_shows_at_once(self):
        self.client.get(reverse("pages:about"))
        page = FlatPage.objects.get(url="/a-propos/")
        page.title = "Qui sommes-nous"
        page.save()
        self.assertContains(self.client.get(reverse("pages:about")), "<h1>Qui sommes-nous</h1>")


class RenderedOnceTests(TestCase):
    """The footer and the header's fixed parts are rendered once per worker, for each setting
    they show and each language and script prefix."""

    footer = Template('{% load articles_tags %}{% render_once "includes/site_footer.html" %}')

    def render_footer(self):
        return self.footer.render(Context())

    def test_the_footer_shows_what_its_include_would(self):
        include = Template('{% include "includes/site_footer.html" %}')
        for language in ("fr", "en"):
            with self.subTest(language=language), translation.override(language):
                expected = include.render(Context({"SITE_NAME": settings.SITE_NAME}))
                self.assertEqual(self.render_footer(), expected)

    def test_another_language_gets_its_own_footer(self):
        with translation.override("fr"):
            self.assertIn("Nous suivre", self.render_footer())
        with translation.override("en"):
            self.assertIn("Follow us", self.render_footer())

    def test_the_site_name_shows_as_set(self):
        self.assertIn(f'<h2 id="footer-about">{settings.SITE_NAME}</h2>', self.render_footer())
        with override_settings(SITE_NAME="Le Veilleur"):
            html = self.client.get("/").content.decode()
        self.assertIn('<h2 id="footer-about">Le Veilleur</h2>', html)
        self.assertRegex(html, r'<a class="brand" href="/"><img [^>]*>Le Veilleur</a>')

    def test_links_carry_the_script_prefix(self):
        self.render_footer()
        with script_prefix("/journal/"):
            html = self.render_footer()
        self.assertIn('<a href="/journal/a-propos/">', html)
        self.assertNotIn('<a href="/a-propos/">', html)

    def test_pages_after_the_first_reuse_the_rendered_parts(self):
        rendered_once.cache_clear()
        article = make_article()
        first, second = self.client.get("/"), self.client.get(article.get_absolute_url())
        parts = {"includes/site_footer.html", "includes/masthead.html", "includes/head_links.html"}
        self.assertLessEqual(parts, {template.name for template in first.templates})
        self.assertFalse(parts & {template.name for template in second.templates})
        footers = [
            re.search(r"<footer class=\"site-footer\">.*</footer>", page.content.decode(), re.S)[0]
            for page in (first, second)
        ]
        self.assertEqual(footers[0], footers[1])


class PageContentTests(TestCase):
    def test_the_content_is_sanitised_when_saved(self):
        page = FlatPage.objects.create(
            url="/a-propos/",
            title="À propos",
            content='<p onclick="x()">Bonjour</p><script>alert(1)</script><img src=x>',
        )
        page.sites.add(Site.objects.get_current())
        page.refresh_from_db()
        self.assertEqual(page.content, "<p>Bonjour</p>")

    def test_a_page_nobody_wrote_is_not_found(self):
        self.assertEqual(self.client.get(reverse("pages:privacy")).status_code, 404)

    def test_editors_write_the_pages_writers_read_them(self):
        editors = Group.objects.get(name="Éditeurs").permissions
        writers = Group.objects.get(name="Rédacteurs").permissions
        self.assertTrue(editors.filter(codename="change_flatpage").exists())
        self.assertTrue(editors.filter(codename="add_section").exists())
        self.assertFalse(writers.filter(codename="change_flatpage").exists())
        self.assertTrue(writers.filter(codename="view_section").exists())


@override_settings(SITE_URL=SITE, SITE_NAME="Le Veilleur")
class IdentityTests(TestCase):
    def test_every_page_names_its_icons_manifest_and_theme_colour(self):
        html = self.client.get("/").content.decode()
        self.assertRegex(
            html, r'<link rel="icon" href="/static/img/logo\.svg" type="image/svg\+xml">'
        )
        self.assertRegex(html, r'<link rel="icon" href="/static/img/favicon\.ico" sizes="32x32">')
        self.assertIn('<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">', html)
        self.assertIn('<link rel="manifest" href="/manifest.webmanifest">', html)
        self.assertIn('<meta name="theme-color" content="#a8101d"', html)
        self.assertRegex(html, r'<a class="brand" href="/"><img [^>]*alt=""[^>]*>Le Veilleur</a>')

    def test_the_manifest_takes_the_sites_name(self):
        response = self.client.get(reverse("pages:manifest"))
        self.assertEqual(response["Content-Type"], "application/manifest+json")
        manifest = response.json()
        self.assertEqual(manifest["name"], "Le Veilleur")
        self.assertEqual(manifest["lang"], "fr")
        self.assertEqual(manifest["theme_color"], "#a8101d")
        self.assertEqual(
            {icon["sizes"] for icon in manifest["icons"]}, {"any", "192x192", "512x512"}
        )
        for icon in manifest["icons"]:
            with self.subTest(icon=icon["src"]):
                self.assertTrue(icon["src"].startswith("/static/img/"))

    def test_the_favicon_address_browsers_guess_leads_to_the_icon(self):
        response = self.client.get("/favicon.ico")
        self.assertRedirects(
            response, "/static/img/favicon.ico", status_code=301, fetch_redirect_response=False
        )

    def test_the_publisher_is_a_news_media_organization_with_its_policies(self):
        make_article()
        [website] = json_ld(self.client.get("/").content.decode())
        publisher = website["publisher"]
        self.assertEqual(publisher["@type"], "NewsMediaOrganization")
        self.assertEqual(publisher["name"], "Le Veilleur")
        self.assertEqual(
            {
                term: publisher[term]
                for term in (
                    "publishingPrinciples",
                    "ethicsPolicy",
                    "correctionsPolicy",
                    "masthead",
                    "actionableFeedbackPolicy",
                )
            },
            {
                "publishingPrinciples": f"{SITE}/charte-editoriale/",
                "ethicsPolicy": f"{SITE}/charte-editoriale/",
                "correctionsPolicy": f"{SITE}/politique-de-corrections/",
                "masthead": f"{SITE}/a-propos/",
                "actionableFeedbackPolicy": f"{SITE}/contact/",
            },
        )


class ShareImageTests(TestCase):
    fixtures = ["demo"]

    def test_every_page_that_can_be_shared_has_an_og_image(self):
        # Search results and error pages are not for sharing: they carry no preview at all.
        section = make_section(slug="vide")
        for url in (
            "/",
            SEED_URL,
            "/sections/international/",
            section.get_absolute_url(),
            "/tags/ukraine/",
            "/authors/la-redaction/",
            "/archives/2024/",
            "/archives/2024/10/",
            "/archives/2024/10/27/",
            "/stories/",
            "/stories/guerre-en-ukraine-la-ligne-de-front/",
            "/places/paris/",
            "/a-propos/",
            "/mentions-legales/",
        ):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertRegex(
                    html, r'<meta property="og:image" content="http://127\.0\.0\.1:8000/media/'
                )


class SiteRecordTests(TestCase):
    """The sites framework's record names the site as SITE_URL does (pages.signals)."""

    def test_the_admin_view_on_site_button_leads_to_the_site(self):
        self.client.force_login(make_user("Éditeurs"))
        article = make_article()
        content_type = ContentType.objects.get_for_model(article)
        response = self.client.get(f"/admin/r/{content_type.pk}/{article.pk}/")
        self.assertRedirects(
            response, settings.SITE_URL + article.get_absolute_url(), fetch_redirect_response=False
        )

    @override_settings(SITE_URL="https://journal.example.org", SITE_NAME="Le Veilleur")
    def test_each_migrate_names_the_site_as_the_settings_do(self):
        call_command("migrate", verbosity=0)
        site = Site.objects.get(pk=settings.SITE_ID)
        self.assertEqual((site.domain, site.name), ("journal.example.org", "Le Veilleur"))


class DemoLoadTests(TestCase):
    def test_a_database_with_site_pages_only_is_left_alone(self):
        FlatPage.objects.create(url="/a-propos/", title="À propos", content="<p>Nous.</p>")
        call_command("load_demo", stdout=StringIO())
        self.assertEqual(FlatPage.objects.get().content, "<p>Nous.</p>")
