"""Link previews and structured data: what a messenger, a network or a search engine reads."""

import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from io import BytesIO, StringIO

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image

from articles.models import Article
from articles.share_card import draw_share_card, fit_headline
from tests.factories import make_article, make_author

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
        self.assertEqual(head.one("article:section"), "Corée du Nord")
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
        self.assertEqual(
            datetime.fromisoformat(doc["dateModified"]),
            self.article.last_modified.replace(microsecond=0),
        )
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
        self.assertEqual(doc["publisher"]["@type"], "Organization")
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
        self.assertEqual(doc["inLanguage"], "fr-FR")
        self.assertEqual(doc["dateline"], "Kyiv")

    def test_breadcrumbs_lead_from_home_through_the_section_to_the_article(self):
        doc = self.head.document("BreadcrumbList")
        self.assertEqual(
            [(item["position"], item["name"], item["item"]) for item in doc["itemListElement"]],
            [
                (1, "Le Veilleur", f"{SITE}/"),
                (2, "Corée du Nord", f"{SITE}/tags/coree-du-nord/"),
                (3, self.article.title, self.url),
            ],
        )

    def test_json_ld_cannot_close_its_script_element(self):
        article = make_article(title="</script><script>alert(1)</script>")
        html = self.client.get(article.get_absolute_url()).content.decode()
        self.assertNotIn("<script>alert(1)", html)
        doc = Head(html).document("NewsArticle")
        self.assertEqual(doc["headline"], "</script><script>alert(1)</script>")


@override_settings(SITE_URL=SITE)
class HeroImagePreviewTests(TestCase):
    def test_hero_image_is_the_preview_image_when_there_is_one(self):
        article = make_article(
            hero_image=SimpleUploadedFile("front.png", png(1600, 900), "image/png"),
            hero_alt="Un char dans la neige",
        )
        head = Head(self.client.get(article.get_absolute_url()).content.decode())
        self.assertEqual(head.one("og:image"), SITE + article.hero_image.url)
        self.assertEqual(head.one("og:image:width"), "1600")
        self.assertEqual(head.one("og:image:height"), "900")
        self.assertEqual(head.one("og:image:alt"), "Un char dans la neige")
        self.assertEqual(
            head.document("NewsArticle")["image"]["url"], SITE + article.hero_image.url
        )
        self.assertFalse(article.share_card)


@override_settings(SITE_URL=SITE, SITE_NAME="Le Veilleur")
class OtherPagePreviewTests(TestCase):
    def test_home_page_is_a_website_with_a_search_action(self):
        head = Head(self.client.get(reverse("articles:home")).content.decode())
        self.assertEqual(head.one("og:type"), "website")
        self.assertEqual(head.one("og:title"), "Le Veilleur")
        self.assertEqual(head.one("og:url"), f"{SITE}/")
        self.assertEqual(head.one("twitter:card"), "summary")
        doc = head.document("WebSite")
        self.assertEqual(doc["url"], f"{SITE}/")
        self.assertEqual(doc["name"], "Le Veilleur")
        self.assertEqual(doc["potentialAction"]["@type"], "SearchAction")
        self.assertEqual(
            doc["potentialAction"]["target"]["urlTemplate"],
            f"{SITE}/search/?q={{search_term_string}}",
        )
        self.assertEqual(doc["potentialAction"]["query-input"], "required name=search_term_string")

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
        call_command("draw_share_cards", stdout=StringIO())
        article.refresh_from_db()
        self.assertTrue(article.share_card)
