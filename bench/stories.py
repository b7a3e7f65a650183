"""Story benchmark: p50/p95 of uncached story pages and of an article page's "In this thread".

    .venv/bin/python bench/stories.py                  # SQLite, in bench/results/
    DATABASE_URL=postgres://…/bench .venv/bin/python bench/stories.py

The first run generates 100,000 synthetic articles (manage.py generate_archive) and a story of
5,000 of them; later runs reuse both. Before every timed request the page cache is emptied and
its generation renewed, so each page is built from the database, as after an edit, and stored
into an empty cache: the file cache lists its folder on every write, and the figures would
otherwise grow with the pages the run itself left there.
"""

import argparse
import os
import statistics
import time

import archive
from archive import p95

STORY_SLUG = "synthetique-fil-de-reference"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--pieces", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    archive.setup(args.articles, "stories.sqlite3")
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from articles.cache import bump_generation
    from articles.models import Article
    from stories.models import Story, StoryPiece
    from stories.templatetags.stories import latest_piece_elsewhere, story_threads

    story, created = Story.objects.get_or_create(
        slug=STORY_SLUG,
        defaults={"title": "Fil synthétique", "summary": "Un fil de référence pour mesurer."},
    )
    if created:
        # Every n-th published article, spread over the whole archive, a few of them key.
        published = Article.objects.published().order_by("pk").values_list("pk", "published_at")
        step = max(1, published.count() // args.pieces)
        chosen = list(published)[::step]
        StoryPiece.objects.bulk_create(
            StoryPiece(story=story, article_id=pk, published_at=at, is_key=i % 1000 == 0)
            for i, (pk, at) in enumerate(chosen[: args.pieces])
        )
    with connection.cursor() as cursor:
        # SQLite too: a migration that rebuilds the article table drops its statistics.
        cursor.execute("ANALYZE")

    timeline = list(story.timeline().values_list("pk", flat=True))
    middle = Article.objects.get(pk=timeline[len(timeline) // 2])
    pages = {
        "story, newest first": story.get_absolute_url(),
        "story, oldest first": reverse("stories:detail-oldest", args=[story.slug]),
        "story, deep page": reverse("stories:detail-before", args=[story.slug, timeline[-30]]),
        "article with its thread": middle.get_absolute_url(),
    }
    client = Client(HTTP_HOST="127.0.0.1")
    print(
        f"{connection.vendor}, {Article.objects.count()} articles, story of "
        f"{len(timeline)} pieces, {args.repeat} uncached requests each, load average "
        + " ".join(f"{load:.2f}" for load in os.getloadavg())
    )
    # CPU time is this process's: the part of a request that other work on the machine
    # cannot inflate, to read beside the wall-clock figures on a shared machine.
    print(f"{'page':28} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8}")

    def empty_cache():
        cache.clear()
        bump_generation()

    for name, url in pages.items():
        empty_cache()
        queries = []

        def count(run, sql, *rest, queries=queries):
            queries.append(sql)
            return run(sql, *rest)

        # Counted by a wrapper: the request's start resets Django's own query log.
        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings, cpu = [], []
        for _ in range(args.repeat):
            empty_cache()
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        report(name, len(queries), timings, cpu)

    # The whole article page also holds the tag-ranked related sidebar; "In this thread" alone
    # is what the article page runs for it: the stories, then the pieces either side.
    queries = []

    def count(run, sql, *rest):
        queries.append(sql)
        return run(sql, *rest)

    with connection.execute_wrapper(count):
        latest_piece_elsewhere(middle, story_threads({}, middle))
    timings, cpu = [], []
    for _ in range(args.repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        latest_piece_elsewhere(middle, story_threads({}, middle))
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    report('"In this thread" alone', len(queries), timings, cpu)


def report(name, queries, timings, cpu):
    print(
        f"{name:28} {queries:7} {statistics.median(timings):8.1f} {p95(timings):8.1f}"
        f" {statistics.median(cpu):8.1f}"
    )


if __name__ == "__main__":
    main()
