"""Link previews and structured data: what a messenger, a network or a search engine reads."""

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from io import BytesIO, StringIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image

from articles.cache import current_generation
from articles.models import Article
from articles.share_card import draw_share_card, fit_headline
from tests.factories import jpeg, make_article, make_author, make_section

SITE = "https://news.example"


class Head(HTMLParser):
    """The page head's meta properties, links and JSON-LD documents."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld = {}, {}, []
        self.in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs["rel"], []).append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self.in_json_ld = True

    def handle_endtag(self, tag):
        self.in_json_ld = False

    def handle_data(self, data):
        if self.in_json_ld:
            self.json_ld.append(json.loads(data))

    def one(self, key):
        [value] = self.meta[key]
        return value

    def document(self, type_):
        [document] = [doc for doc in self.json_ld if doc["@type"] == type_]
        return document


def png(width, height):
    output = BytesIO()
    Image.new("RGB", (width, height), "navy").save(output, format="PNG")
    return output.getvalue()


@override_settings(SITE_URL=SITE, SITE_NAME="Le Veilleur")
class ArticlePreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.authors = [
            make_author(name="Anne Reporter", slug="anne-reporter"),
            make_author(name="Karim Envoyé", slug="karim-envoye"),
        ]
        cls.article = make_article(
            title="Des troupes nord-coréennes en Ukraine",
            standfirst="Pyongyang aurait envoyé des soldats & du matériel.",
            dateline="Kyiv",
            published_at=datetime(2024, 10, 27, 19, 45, tzinfo=UTC),
            tags=["Ukraine", "Corée du Nord"],
            authors=cls.authors,
            section=make_section(name="International", slug="international"),
        )

    def setUp(self):
        self.article.refresh_from_db()
        self.url = SITE + self.article.get_absolute_url()
        self.head = Head(self.client.get(self.article.get_absolute_url()).content.decode())

    def test_open_graph_describes_the_article(self):
        head, article = self.head, self.article
        self.assertEqual(head.one("og:type"), "article")
        self.assertEqual(head.one("og:title"), "Des troupes nord-coréennes en Ukraine")
        self.assertEqual(
            head.one("og:description"), "Pyongyang aurait envoyé des soldats & du matériel."
        )
        self.assertEqual(head.one("og:url"), self.url)
        self.assertEqual(head.one("og:locale"), "fr_FR")
        self.assertEqual(head.one("og:site_name"), "Le Veilleur")
        self.assertEqual(head.one("article:published_time"), "2024-10-27T20:45:00+01:00")
        self.assertEqual(
            datetime.fromisoformat(head.one("article:modified_time")), article.last_modified
        )
        self.assertEqual(head.one("article:section"), "International")
        self.assertEqual(sorted(head.meta["article:tag"]), ["Corée du Nord", "Ukraine"])
        self.assertEqual(
            head.meta["article:author"],
            [f"{SITE}/authors/anne-reporter/", f"{SITE}/authors/karim-envoye/"],
        )

    def test_share_card_is_the_preview_image_with_its_size_and_alt(self):
        head = self.head
        self.assertEqual(head.one("og:image"), SITE + self.article.share_card.url)
        self.assertEqual(head.one("og:image:width"), "1200")
        self.assertEqual(head.one("og:image:height"), "630")
        self.assertEqual(head.one("og:image:alt"), self.article.title)
        self.assertEqual(head.one("twitter:card"), "summary_large_image")
        self.assertEqual(head.one("twitter:image:alt"), self.article.title)

    def test_canonical_and_short_links(self):
        self.assertEqual(self.head.links["canonical"][0]["href"], self.url)
        self.assertEqual(self.head.links["shortlink"][0]["href"], f"{SITE}/a/{self.article.pk}/")

    def test_news_article_json_ld_has_every_field(self):
        doc = self.head.document("NewsArticle")
        self.assertEqual(doc["@context"], "https://schema.org")
        self.assertEqual(doc["headline"], self.article.title)
        self.assertEqual(doc["description"], self.article.standfirst)
        self.assertEqual(doc["url"], self.url)
        self.assertEqual(doc["mainEntityOfPage"], {"@type": "WebPage", "@id": self.url})
        self.assertEqual(doc["datePublished"], "2024-10-27T20:45:00+01:00")
        # Never changed in substance: modified when published (typo fixes do not count).
        self.assertEqual(doc["dateModified"], doc["datePublished"])
        self.assertEqual(
            doc["author"],
            [
                {
                    "@type": "Person",
                    "name": "Anne Reporter",
                    "url": f"{SITE}/authors/anne-reporter/",
                },
                {"@type": "Person", "name": "Karim Envoyé", "url": f"{SITE}/authors/karim-envoye/"},
            ],
        )
        self.assertEqual(doc["publisher"]["@type"], "NewsMediaOrganization")
        self.assertEqual(doc["publisher"]["name"], "Le Veilleur")
        self.assertEqual(doc["publisher"]["logo"]["@type"], "ImageObject")
        self.assertTrue(doc["publisher"]["logo"]["url"].startswith(f"{SITE}/static/img/logo"))
        self.assertEqual(
            doc["image"],
            {
                "@type": "ImageObject",
                "url": SITE + self.article.share_card.url,
                "width": 1200,
                "height": 630,
            },
        )
        self.assertEqual(sorted(doc["keywords"]), ["Corée du Nord", "Ukraine"])
        self.assertEqual(doc["articleSection"], "International")
        self.assertEqual(doc["inLanguage"], "fr-FR")
        self.assertEqual(doc["dateline"], "Kyiv")

    def test_breadcrumbs_lead_from_home_through_the_section_to_the_article(self):
        doc = self.head.document("BreadcrumbList")
        self.assertEqual(
            [(item["position"], item["name"], item["item"]) for item in doc["itemListElement"]],
            [
                (1, "Le Veilleur", f"{SITE}/"),
                (2, "International", f"{SITE}/sections/international/"),
                (3, self.article.title, self.url),
            ],
        )

    def test_json_ld_cannot_close_its_script_element(self):
        article = make_article(title="</script><script>alert(1)</script>")
        html = self.client.get(article.get_absolute_url()).content.decode()
        self.assertNotIn("<script>alert(1)", html)
        doc = Head(html).document("NewsArticle")
        self.assertEqual(doc["headline"], "</script><script>alert(1)</script>")


def stored_size(url):
    """The real size of the stored image at the media ``url``."""
    with default_storage.open(url.removeprefix(settings.MEDIA_URL)) as file:
        return Image.open(file).size


@override_settings(SITE_URL=SITE)
class HeroImagePreviewTests(TestCase):
    def setUp(self):
        # Larger than any screen, as a camera's picture (in setUp: uploads need the test's media).
        self.article = make_article(
            hero_image=SimpleUploadedFile("front.jpg", jpeg((3000, 2000)), "image/jpeg"),
            hero_alt="Un char dans la neige",
        )
        self.html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.head = Head(self.html)

    def test_preview_image_is_a_rendition_of_at_most_1200_px_with_its_real_size(self):
        head = self.head
        url = head.one("og:image").removeprefix(SITE)
        self.assertEqual(stored_size(url), (1200, 800))
        self.assertEqual(head.one("og:image:width"), "1200")
        self.assertEqual(head.one("og:image:height"), "800")
        self.assertEqual(head.one("twitter:image"), SITE + url)
        self.assertEqual(head.one("og:image:alt"), "Un char dans la neige")
        self.assertEqual(head.document("NewsArticle")["image"]["url"], SITE + url)
        self.assertFalse(self.article.share_card)

    def test_image_fallback_without_srcset_is_the_same_rendition(self):
        [src] = re.findall(r'<img src="([^"]+)" srcset=', self.html)
        self.assertEqual(SITE + src, self.head.one("og:image"))

    def test_stored_original_is_bounded_to_2560_px(self):
        self.assertEqual(stored_size(self.article.hero_image.url), (2560, 1707))
        self.assertEqual((self.article.hero_width, self.article.hero_height), (2560, 1707))

    def test_a_small_image_is_its_own_preview(self):
        article = make_article(
            hero_image=SimpleUploadedFile("small.png", png(800, 450), "image/png"),
            hero_alt="Un char",
        )
        head = Head(self.client.get(article.get_absolute_url()).content.decode())
        self.assertEqual(stored_size(head.one("og:image").removeprefix(SITE)), (800, 450))
        self.assertEqual((head.one("og:image:width"), head.one("og:image:height")), ("800", "450"))


@override_settings(SITE_URL=SITE, SITE_NAME="Le Veilleur")
class OtherPagePreviewTests(TestCase):
    def test_home_page_is_a_website_with_a_search_action(self):
        head = Head(self.client.get(reverse("articles:home")).content.decode())
        self.assertEqual(head.one("og:type"), "website")
        self.assertEqual(head.one("og:title"), "Le Veilleur")
        self.assertEqual(head.one("og:url"), f"{SITE}/")
        doc = head.document("WebSite")
        self.assertEqual(doc["url"], f"{SITE}/")
        self.assertEqual(doc["name"], "Le Veilleur")
        self.assertEqual(doc["potentialAction"]["@type"], "SearchAction")
        self.assertEqual(
            doc["potentialAction"]["target"]["urlTemplate"],
            f"{SITE}/search/?q={{search_term_string}}",
        )
        self.assertEqual(doc["potentialAction"]["query-input"], "required name=search_term_string")

    def test_home_tag_and_archive_pages_show_the_site_card(self):
        make_article(tags=["Ukraine"], published_at=datetime(2024, 10, 27, 12, tzinfo=UTC))
        images = set()
        for path in (reverse("articles:home"), "/tags/ukraine/", "/archives/2024/10/"):
            with self.subTest(path=path):
                head = Head(self.client.get(path).content.decode())
                images.add(head.one("og:image"))
                self.assertEqual(head.one("twitter:image"), head.one("og:image"))
                self.assertEqual(head.one("twitter:card"), "summary_large_image")
                self.assertEqual(head.one("og:image:alt"), "Le Veilleur")
                self.assertEqual(
                    (head.one("og:image:width"), head.one("og:image:height")), ("1200", "630")
                )
        [image] = images
        self.assertEqual(stored_size(image.removeprefix(SITE)), (1200, 630))
        self.assertEqual(self.client.get(image.removeprefix(SITE)).status_code, 200)

    def test_site_card_is_drawn_once(self):
        self.client.get(reverse("articles:home"))
        cards = default_storage.listdir("share-cards")[1]
        self.client.get("/archives/2024/")
        self.assertEqual(default_storage.listdir("share-cards")[1], cards)
        self.assertEqual(len(cards), 1)

    def test_tag_and_author_pages_name_themselves_and_offer_their_feeds(self):
        article = make_article(tags=["Ukraine"])
        author = article.authors.get()
        for path, title in (
            ("/tags/ukraine/", "Ukraine"),
            (author.get_absolute_url(), author.name),
        ):
            with self.subTest(path=path):
                head = Head(self.client.get(path).content.decode())
                self.assertEqual(head.one("og:title"), title)
                self.assertEqual(head.one("og:url"), SITE + path)
                feeds = {link["href"] for link in head.links["alternate"]}
                self.assertEqual(
                    feeds,
                    {f"{SITE}/rss/", f"{SITE}/atom/", f"{SITE}{path}rss/", f"{SITE}{path}atom/"},
                )

    def test_every_page_offers_the_site_feeds(self):
        head = Head(self.client.get(reverse("articles:home")).content.decode())
        self.assertEqual(
            {(link["type"], link["href"]) for link in head.links["alternate"]},
            {
                ("application/rss+xml", f"{SITE}/rss/"),
                ("application/atom+xml", f"{SITE}/atom/"),
            },
        )


class ShareCardTests(TestCase):
    def test_card_is_a_real_1200_by_630_png(self):
        article = make_article(title="Trêve à Gaza : l’Égypte et le Qatar négocient")
        with default_storage.open(article.share_card.name) as card:
            image = Image.open(card)
            image.load()
        self.assertEqual(image.format, "PNG")
        self.assertEqual(image.size, (1200, 630))

    def test_card_is_served_as_an_image_file_from_media(self):
        article = make_article()
        response = self.client.get(article.share_card.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/png")

    def test_card_is_drawn_once_and_again_only_when_the_headline_changes(self):
        article = make_article(title="Premier titre")
        first = article.share_card.name
        article.standfirst = "Autre chapeau."
        article.save()
        self.assertEqual(article.share_card.name, first)
        article.title = "Second titre"
        article.save()
        self.assertNotEqual(article.share_card.name, first)
        self.assertTrue(default_storage.exists(article.share_card.name))

    def test_headline_in_french_is_drawn_with_its_accents(self):
        # Accented letters drawn in a font that lacks them come out as the same empty box.
        cards = {
            headline: draw_share_card("Site", headline, "1 janvier 2025")
            for headline in ("é", "è", "ç", "œ")
        }
        self.assertEqual(len(set(cards.values())), 4)

    def test_longest_headline_is_wrapped_to_fit_and_a_longer_one_is_cut(self):
        article = make_article(title=" ".join(["Interminable"] * 15))
        with default_storage.open(article.share_card.name) as card:
            self.assertEqual(Image.open(card).size, (1200, 630))
        font, lines, line_height = fit_headline(" ".join(["Interminable"] * 60), 1040, 350)
        self.assertLessEqual(len(lines) * line_height, 350)
        self.assertTrue(all(font.getlength(line) <= 1040 for line in lines))
        self.assertTrue(lines[-1].endswith("…"))

    def test_command_draws_the_cards_of_articles_loaded_without_save(self):
        article = make_article()
        Article.objects.filter(pk=article.pk).update(share_card="")
        generation = current_generation()
        call_command("draw_share_cards", stdout=StringIO())
        article.refresh_from_db()
        self.assertTrue(article.share_card)
        # Pages built before, and what workers keep of them, name no card: built again.
        self.assertNotEqual(current_generation(), generation)


@override_settings(SITE_URL=SITE)
class RenderHeroImagesCommandTests(TestCase):
    def test_command_bounds_old_originals_and_makes_the_preview_rendition(self):
        article = make_article(
            hero_image=SimpleUploadedFile("front.jpg", jpeg((1600, 900)), "image/jpeg"),
            hero_alt="Un char",
        )
        # As stored before the rules: a camera's original, and no 1200 px rendition.
        original = default_storage.save("heroes/2024/10/front.jpg", ContentFile(jpeg((4000, 2250))))
        old_renditions = [r for r in article.hero_renditions if r["width"] != 1200]
        Article.objects.filter(pk=article.pk).update(
            hero_image=original, hero_width=4000, hero_height=2250, hero_renditions=old_renditions
        )
        output, generation = StringIO(), current_generation()
        call_command("render_hero_images", stdout=output)
        # Pages and sidebars built before name the old files: built again.
        self.assertNotEqual(current_generation(), generation)
        # The old original goes; the renditions stay, as the article's first revision names them.
        self.assertEqual(output.getvalue(), "1 hero image(s) rendered, 1 old file(s) deleted.\n")
        self.assertFalse(default_storage.exists(original))
        self.assertTrue(all(default_storage.exists(r["jpeg"]) for r in old_renditions))
        article.refresh_from_db()
        self.assertEqual(stored_size(article.hero_image.url), (2560, 1440))
        head = Head(self.client.get(article.get_absolute_url()).content.decode())
        self.assertEqual(stored_size(head.one("og:image").removeprefix(SITE)), (1200, 675))
        call_command("render_hero_images", stdout=output)
        self.assertTrue(
            output.getvalue().endswith("0 hero image(s) rendered, 0 old file(s) deleted.\n")
        )
