"""`make run` loads the demo articles into an empty database only, never over editors' work."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from taggit.models import Tag, TaggedItem

from articles.models import Article, Author, Section
from articles.versions import PublicHistory


def load_demo():
    output = StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


def snapshot():
    """Everything the demo fixture could overwrite or bring back, and every revision."""
    return {
        "articles": list(Article.objects.order_by("pk").values()),
        "authors": list(Author.objects.order_by("pk").values()),
        "tags": list(Tag.objects.order_by("pk").values()),
        "sections": list(Section.objects.order_by("pk").values()),
        "taggings": list(TaggedItem.objects.order_by("pk").values()),
        "revisions": Article.history.count(),
    }


class LoadDemoTests(TestCase):
    def test_an_empty_database_gets_the_demo_articles(self):
        self.assertIn("3", load_demo())
        self.assertEqual(Article.objects.published().count(), 3)

    def test_demo_articles_each_have_a_section(self):
        load_demo()
        self.assertEqual(
            list(Article.objects.order_by("pk").values_list("section__name", flat=True)),
            ["Europe", "Défense", "International"],
        )
        self.assertEqual(Section.objects.count(), 7)

    def test_each_demo_article_has_its_first_revision(self):
        load_demo()
        for article in Article.objects.all():
            first = article.history.get()
            self.assertEqual(first.history_type, "+")
            self.assertEqual(first.title, article.title)
            self.assertEqual(first.history_date, article.updated_at)

    def test_public_history_shows_the_demo_original_then_the_edit(self):
        load_demo()
        article = Article.objects.latest()
        original = article.standfirst
        article.standfirst = "Chapeau réécrit par la rédaction."
        article.mark_significant()
        article.save()

        first, edit = PublicHistory(article).versions

        self.assertEqual(first.record.standfirst, original)
        self.assertEqual(first.time, article.published_at)
        self.assertEqual(edit.record.standfirst, "Chapeau réécrit par la rédaction.")

    def test_editors_work_survives_a_second_run(self):
        load_demo()
        seed, other, deleted = Article.objects.order_by("-published_at")
        seed.standfirst = "Chapeau réécrit par la rédaction."
        seed.save()
        other.unpublish()
        other.save()
        deleted.delete()
        Tag.objects.filter(slug="ukraine").update(name="Ukraine (guerre)")
        Section.objects.filter(slug="europe").update(name="Union européenne")
        before = snapshot()

        output = load_demo()

        self.assertIn("demo data not loaded", output)
        self.assertEqual(snapshot(), before)

    def test_a_database_with_authors_or_tags_only_is_left_alone(self):
        Tag.objects.create(name="Sahel", slug="sahel")
        load_demo()
        self.assertFalse(Article.objects.exists())

    def test_a_database_with_sections_only_is_left_alone(self):
        Section.objects.create(name="Monde", slug="monde")
        load_demo()
        self.assertFalse(Article.objects.exists())
