"""generate_archive: a large synthetic archive for benchmarks, kept apart from the demo data."""

from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Author


class GenerateArchiveTests(TestCase):
    def generate(self, articles=40, seed=7):
        call_command("generate_archive", articles=articles, seed=seed, verbosity=0)

    def test_articles_are_marked_synthetic_and_spread_over_years(self):
        self.generate()
        articles = Article.objects.all()
        self.assertEqual(articles.count(), 40)
        self.assertTrue(all(a.slug.startswith("synthetique-") for a in articles))
        self.assertEqual({a.dateline for a in articles}, {"Archive synthétique"})
        self.assertGreater(len({a.published_at.year for a in articles}), 2)
        self.assertTrue(all(a.authors.exists() for a in articles))
        self.assertTrue(all(a.tags.exists() for a in articles))

    def test_progress_goes_to_stderr_a_line_at_a_time_in_a_log(self):
        progress = StringIO()
        with mock.patch("articles.management.commands.generate_archive.BATCH_SIZE", 10):
            call_command("generate_archive", articles=40, seed=7, stderr=progress)
        lines = progress.getvalue().splitlines()
        bar, stages = lines[:4], lines[4:]
        self.assertEqual([line.split()[-3] for line in bar], ["25%", "50%", "75%", "100%"])
        self.assertTrue(bar[-1].endswith("s"))
        self.assertIn("40/40", bar[-1])
        # The index rebuilds after the bar, long at a million articles, say what they do.
        self.assertEqual(
            [line.split(" (")[0] for line in stages],
            [
                "Generating: rebuilding the tag and author listings",
                "Generating: rebuilding the day index",
                "Generating: committing",
                "Generating: optimizing the search index",
                "Generating: done",
            ],
        )

    def test_same_seed_gives_the_same_articles(self):
        def archive():
            return [
                (a.title, a.published_at, a.status, sorted(a.tags.names()), list(a.authors.all()))
                for a in Article.objects.order_by("pk").prefetch_related("authors")
            ]

        self.generate(seed=3)
        first = archive()
        Article.objects.all().delete()
        self.generate(seed=3)
        self.assertEqual(first, archive())

    def test_demo_fixtures_load_after_it_and_it_runs_twice(self):
        self.generate()
        self.generate(seed=8)
        call_command("loaddata", "demo", verbosity=0)
        self.assertEqual(Article.objects.count(), 83)
        self.assertEqual(Author.objects.filter(slug="la-redaction").count(), 1)
        self.assertTrue(Tag.objects.filter(slug="ukraine").exists())

    def test_generated_articles_are_searchable(self):
        self.generate()
        # A long word: never a stop word, which PostgreSQL leaves out of its index.
        article, word = next(
            (article, word)
            for article in Article.objects.published()
            for word in article.title.split()
            if len(word) >= 8
        )
        response = self.client.get(reverse("articles:search"), {"q": f'"{word}"'})
        self.assertIn(article, response.context["paginator"].object_list)
        new = Article.objects.create(title="Créé après", standfirst="x", body="<p>x</p>")
        self.assertGreater(new.pk, article.pk)
