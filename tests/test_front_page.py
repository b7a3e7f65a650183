"""The home page's front: editors' lead and featured pieces, the latest, a block per section."""

import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles import front
from articles.models import Article, Feature
from tests.factories import jpeg, make_article, make_section


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def titles(articles):
    return [article.title for article in articles]


class FrontPageTests(TestCase):
    def home(self, **params):
        return self.client.get(reverse("articles:home"), params)

    def test_the_newest_article_leads_when_editors_chose_nothing(self):
        make_article(title="Older", published_at=hours_ago(2))
        make_article(title="Newer", published_at=hours_ago(1))
        response = self.home()
        self.assertEqual(response.context["front"].lead.title, "Newer")
        self.assertEqual(titles(response.context["latest"]), ["Older"])

    def test_editors_choice_leads_then_the_featured_pieces_in_their_order(self):
        articles = [make_article(title=f"Piece {i}", published_at=hours_ago(i)) for i in range(6)]
        for position, article in enumerate([articles[3], articles[5], articles[1]], start=1):
            Feature.objects.create(article=article, position=position)
        response = self.home()
        self.assertEqual(response.context["front"].lead.title, "Piece 3")
        self.assertEqual(titles(response.context["front"].featured), ["Piece 5", "Piece 1"])
        # Not repeated below.
        self.assertEqual(titles(response.context["latest"]), ["Piece 0", "Piece 2", "Piece 4"])
        html = response.content.decode()
        self.assertLess(html.index("Piece 3"), html.index("Piece 5"))
        self.assertLess(html.index("Piece 5"), html.index("Piece 1"))

    def test_a_chosen_article_shows_only_once_its_time_has_come(self):
        make_article(title="Live")
        Feature.objects.create(
            article=make_article(title="Embargo", published_at=hours_ago(-1)), position=1
        )
        Feature.objects.create(
            article=make_article(title="Brouillon", status=Article.Status.DRAFT), position=2
        )
        response = self.home()
        self.assertEqual(response.context["front"].lead.title, "Live")
        self.assertNotContains(response, "Embargo")
        self.assertNotContains(response, "Brouillon")

    def test_at_most_the_lead_and_four_featured_pieces(self):
        for position in range(1, 8):
            Feature.objects.create(article=make_article(), position=position)
        self.assertEqual(len(self.home().context["front"].articles), front.FEATURED)

    def test_a_block_per_section_in_menu_order_with_its_newest_articles(self):
        defence = make_section(name="Défense", slug="defense", position=2)
        europe = make_section(name="Europe", slug="europe", position=1)
        make_section(name="Asie", slug="asie", position=3)  # nothing published: no block
        for i in range(6):
            make_article(title=f"Europe {i}", section=europe, published_at=hours_ago(i + 10))
        make_article(title="Défense 0", section=defence, published_at=hours_ago(1))
        Feature.objects.create(
            article=Article.objects.get(title="Europe 0"), position=1
        )  # leads: its block goes on to the next ones
        response = self.home()
        blocks = response.context["front"].sections
        self.assertEqual([section.name for section in blocks], ["Europe", "Défense"])
        self.assertEqual(
            titles(blocks[0].teasers), ["Europe 1", "Europe 2", "Europe 3", "Europe 4"]
        )
        self.assertEqual(titles(blocks[1].teasers), ["Défense 0"])
        self.assertContains(response, '<a href="/sections/europe/">Europe</a></h2>', html=False)

    def test_the_fallback_lead_is_not_repeated_in_its_sections_block(self):
        section = make_section()
        make_article(title="Older", section=section, published_at=hours_ago(2))
        make_article(title="Newest", section=section, published_at=hours_ago(1))
        block = self.home().context["front"].sections[0]
        self.assertEqual(titles(block.teasers), ["Older"])

    def test_further_pages_list_only_older_articles(self):
        for i in range(14):
            make_article(title=f"Piece {i}", published_at=hours_ago(i + 1))
        Feature.objects.create(article=Article.objects.get(title="Piece 13"), position=1)
        response = self.home(page=2)
        self.assertIsNone(response.context["front"].lead)
        self.assertEqual(titles(response.context["latest"]), ["Piece 12", "Piece 13"])
        self.assertNotContains(response, "À la une")

    def test_query_count_does_not_follow_sections_articles_or_choices(self):
        # The menu's sections, the front (chosen pieces, every section's block and the page
        # of latest in one query), the day counts, the bylines, the ongoing stories, the most
        # covered tags and the years.
        for sections, per_section, featured in ((1, 2, 0), (9, 8, 5)):
            with self.subTest(sections=sections):
                Article.objects.all().delete()
                for s in range(sections):
                    section = make_section()
                    for i in range(per_section):
                        make_article(section=section, published_at=hours_ago(s * 10 + i + 1))
                for position, article in enumerate(Article.objects.all()[:featured], start=1):
                    Feature.objects.create(article=article, position=position)
                with self.assertNumQueries(7):
                    response = self.home()
                self.assertEqual(len(response.context["front"].sections), sections)


class TeaserPictureTests(TestCase):
    """Teasers show the article's picture from its renditions, sized for where it sits."""

    @classmethod
    def setUpTestData(cls):
        cls.section = make_section(slug="europe")
        cls.pictured = [
            make_article(
                title=f"Pictured {i}",
                section=cls.section,
                published_at=hours_ago(i + 1),
                hero_image=SimpleUploadedFile("p.jpg", jpeg((1600, 900)), "image/jpeg"),
                hero_alt=f"Description {i}",
                tags=["Ukraine"],
            )
            for i in range(3)
        ]
        make_article(title="Plain", section=cls.section, published_at=hours_ago(10))

    def pictures(self, url):
        return re.findall(r"<img [^>]*>", self.client.get(url).content.decode())

    def test_the_leads_picture_comes_first_and_at_once(self):
        lead, *others = [img for img in self.pictures("/") if "logo" not in img]
        self.assertIn('alt="Description 0"', lead)
        self.assertIn('fetchpriority="high"', lead)
        self.assertNotIn("loading=", lead)
        for img in others:
            self.assertIn('loading="lazy"', img)

    def test_pictures_carry_renditions_size_and_description(self):
        for url in (
            "/",
            "/sections/europe/",
            "/tags/ukraine/",
            self.pictured[1].get_absolute_url(),
        ):
            with self.subTest(url=url):
                pictures = [img for img in self.pictures(url) if "logo" not in img]
                self.assertTrue(pictures)
                for img in pictures:
                    self.assertRegex(img, r'srcset="[^"]+ 480w, [^"]+ 960w')
                    self.assertRegex(img, r'sizes="[^"]+"')
                    self.assertRegex(img, r'width="\d+" height="\d+"')
                    self.assertRegex(img, r'alt="Description \d"')

    def test_lists_load_pictures_lazily_but_the_first(self):
        pictures = self.pictures("/sections/europe/")
        pictures = [img for img in pictures if "logo" not in img]
        self.assertIn('fetchpriority="high"', pictures[0])
        self.assertTrue(all('loading="lazy"' in img for img in pictures[1:]))

    def test_the_smallest_rendition_is_the_fallback_source(self):
        article = self.pictured[0]
        thumbnail = article.hero_thumbnail
        self.assertEqual((thumbnail.width, thumbnail.height), (480, 270))
        self.assertTrue(thumbnail.url.endswith(".jpg"))
