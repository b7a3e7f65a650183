"""Reader pages built from the database: p50/p95 server time and SQL queries of each.

    .venv/bin/python bench/pages.py                          # SQLite, in bench/results/
    DATABASE_URL=postgres://…/bench .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --articles 1000000       # the 1,000,000-article archive
    .venv/bin/python bench/pages.py --project ../main        # the same pages on other code
    .venv/bin/python bench/pages.py --only article           # the pages named "article …"
    .venv/bin/python bench/scale.py --rounds 3               # 1,000,000 against 100,000

Each request goes through the whole stack in-process (Django's test client), with the cache
cleared before it, and asks for a page not asked for before in the run where the archive
allows it: another article, tag, author, date or page number. One more request of each kind
goes first, uncounted, as in a worker that has served such pages already: the first compiled
the page's templates and prepared its statements (the home page's took 53.7 ms, against
9.3 at p50), which alone raised the p95 of 20 requests by 2 ms. The first run generates the
synthetic archive (manage.py generate_archive) and pins three articles on a few others;
later runs reuse it. Target: p95 ≤ 15 ms a page at 100,000 articles. The pages asked for
again and again (home, tag page 1) are measured twice: as built again after an edit, with
the teasers the worker keeps, and as a worker builds them first.
"""

import argparse
import gc
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import archive
from archive import database_size, machine_speed, p95, server_hooks

BASE_DIR = Path(__file__).resolve().parent.parent
PINNED = 24  # articles given pins: more than the requests of a page kind
# Pages measured again as a worker builds them first, without the teasers it keeps (the same
# page built again after an edit renders only the teasers of the articles that changed).
NOTHING_KEPT = ", first build in a worker"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="requests per page kind")
    parser.add_argument("--project", type=Path, default=BASE_DIR, help="code to measure")
    parser.add_argument("--only", default="", help="measure the pages whose name contains this")
    parser.add_argument(
        "--seed", type=int, default=1, help="which tags, dates and page numbers are asked for"
    )
    args = parser.parse_args()

    archive.setup(args.articles, "pages.sqlite3", args.project)
    # As gunicorn's master does before forking a worker (newsroom/gunicorn.py): no full
    # collection walks what is loaded by now in the middle of a page measured.
    gc.freeze()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from articles.models import Article

    if Article.objects.filter(pinned_related__isnull=False).distinct().count() < PINNED:
        pin(Article)
    with connection.cursor() as cursor:
        # As autovacuum and a first ANALYZE leave a database; SQLite's planner wants it too.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    request_started, request_finished = server_hooks()
    pages = PageSampler(random.Random(args.seed), args.repeat)
    client = Client(HTTP_HOST="127.0.0.1")
    print(
        f"{connection.vendor} ({database_size()}), {Article.objects.count()} articles, "
        f"{args.repeat} requests a page, cache cleared before each; "
        f"code: {args.project.resolve().name}; "
        f"sum(range(1000)) {machine_speed():.1f} µs"
    )
    # SQL ms: the time spent in the database, what grows with the archive; the rest is Python,
    # whose figures follow how busy the machine's cores are.
    # CPU ms: this process's CPU time (Python, and SQLite's own work), steadier than wall time
    # on a shared machine; PostgreSQL's work is in the SQL column only.
    print(f"{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'SQL p95 ms':>10} {'SQL':>5}")
    worst = []
    for name, urls in pages.kinds():
        if args.only not in name:
            continue
        timings, cpu_timings, sql_timings, queries = [], [], [], set()
        for n, url in enumerate(urls):
            cache.clear()
            if name.endswith(NOTHING_KEPT):
                forget_teasers()
            sql = SqlTimer()
            request_started()
            with connection.execute_wrapper(sql):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url, secure=True)
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            request_finished()
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
            if n == 0:  # the kind's first request, uncounted
                continue
            timings.append(elapsed * 1000)
            cpu_timings.append(cpu * 1000)
            queries.add(sql.queries)
            sql_timings.append(sql.seconds * 1000)
        worst.append(p95(timings))
        sql = "–".join(str(n) for n in sorted({min(queries), max(queries)}))
        print(
            f"{name:48} {statistics.median(timings):8.1f} {p95(timings):8.1f} "
            f"{statistics.median(cpu_timings):8.1f} {p95(sql_timings):10.1f} {sql:>5}"
        )
    if worst:  # --only may name no page: the archive is then only made ready
        print(f"{'worst p95 of any page':48} {'':8} {max(worst):8.1f}")
        print(f"sum(range(1000)) after the run: {machine_speed():.1f} µs")


def store_pages(urls):
    """Have the site store the pages of ``urls``, as ``render_articles`` or a reader asking
    again would: with the page cache off, the first request stores the page."""
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(READER_CACHE_SECONDS=0):
        for url in urls:
            client.get(url, secure=True)


class SqlTimer:
    """Counts the queries run and the time spent in them, to the microsecond (the debug
    cursor's record rounds each query to the millisecond)."""

    def __init__(self):
        self.queries, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def forget_teasers():
    try:
        from articles.templatetags.articles_tags import KEPT_TEASERS
    except ImportError:  # code that keeps no teasers
        return
    KEPT_TEASERS.clear()


def pin(Article):
    """Give a few articles three pinned related articles each, as editors do (again: the
    same pins)."""
    articles = list(Article.objects.published().order_by("pk")[: PINNED * 4])
    for i in range(PINNED):
        articles[i].pinned_related.set(articles[PINNED + 3 * i : PINNED + 3 * i + 3])


class PageSampler:
    """The URLs of each kind of page, different ones for each request where there are enough:
    one more than the requests counted, for the uncounted first."""

    def __init__(self, rng, repeat):
        from django.db.models import Count
        from taggit.models import Tag

        from articles.models import Article, Author, Section
        from articles.views import PublishedArticleMixin

        self.rng, self.requests = rng, repeat + 1
        self.per_page = PublishedArticleMixin.paginate_by
        self.published = Article.objects.published()
        tags = list(
            Tag.objects.filter(article__in=self.published)
            .annotate(n=Count("article"))
            .order_by("-n")
            .values_list("pk", "slug", "n")
        )
        self.biggest, self.biggest_pages = tags[0][1], self.last_page(tags[0][2])
        self.popular_tags = [pk for pk, _, n in tags[:3]]
        # Carried by at least 0.5 % of the archive (500 articles of 100,000).
        self.common_tags = [pk for pk, _, n in tags if n >= self.published.count() // 200]
        self.tag_slugs = [slug for _, slug, _ in tags]
        # Each author and each section with its number of pages.
        self.authors, self.sections = (
            [
                (slug, self.last_page(n))
                for slug, n in model.objects.filter(articles__in=self.published)
                .annotate(n=Count("articles"))
                .values_list("slug", "n")
            ]
            for model in (Author, Section)
        )
        self.pinned = list(
            self.published.filter(pinned_related__isnull=False).distinct().order_by("pk")
        )
        self.home_pages = self.last_page(self.published.count())
        first, last = self.published.earliest(), self.published.latest()
        self.first_day, self.days = (
            first.published_at.date(),
            (last.published_at.date() - first.published_at.date()).days,
        )

    def articles(self, queryset):
        pks = list(queryset.values_list("pk", flat=True).order_by("?")[: self.requests])
        return list(self.published.filter(pk__in=pks))

    def first_and_stored(self, name, articles):
        """The articles' pages at a first visit (nothing stored), then from their stored pages
        (articles.shells; code without stored pages: the first only)."""
        try:
            from articles.shells.models import ArticleShell
        except ImportError:
            ArticleShell = None
        if ArticleShell is not None:
            ArticleShell.objects.filter(article__in=articles).delete()
        urls = [article.get_absolute_url() for article in articles]
        yield name, urls
        if ArticleShell is not None:
            store_pages(urls)
            yield f"{name}, stored page", urls

    def last_page(self, articles):
        """The number of the last page of a listing of ``articles`` articles."""
        return -(-articles // self.per_page)

    def day(self):
        return self.first_day + timedelta(days=self.rng.randrange(1, self.days))

    def deep_page(self, prefix, listings):
        # Of the synthetic authors and sections: the demo's, loaded beside them, hold a page or two.
        slug, pages = self.rng.choice([listing for listing in listings if listing[1] > 2])
        return f"{prefix}{slug}/?page={self.rng.randrange(2, pages)}"

    def many(self, make):
        return [make() for _ in range(self.requests)]

    def kinds(self):
        rng, published = self.rng, self.published
        yield "home", ["/"] * self.requests
        yield f"home{NOTHING_KEPT}", ["/"] * self.requests
        yield "home, deep page", self.many(lambda: f"/?page={rng.randrange(2, self.home_pages)}")
        yield from self.first_and_stored("article with pins", self.pinned[: self.requests])
        yield from self.first_and_stored(
            "article with rare tags only",
            self.articles(published.exclude(tags__in=self.common_tags)),
        )
        yield from self.first_and_stored(
            "article with the most popular tags",
            self.articles(
                published.filter(tags=self.popular_tags[0]).filter(tags=self.popular_tags[1])
            ),
        )
        yield f"tag page 1 (/tags/{self.biggest}/)", [f"/tags/{self.biggest}/"] * self.requests
        yield f"tag page 1{NOTHING_KEPT}", [f"/tags/{self.biggest}/"] * self.requests
        yield (
            "that tag, deep pages",
            self.many(lambda: f"/tags/{self.biggest}/?page={rng.randrange(2, self.biggest_pages)}"),
        )
        yield "author page 1", self.many(lambda: f"/authors/{rng.choice(self.authors)[0]}/")
        yield "author, deep pages", self.many(lambda: self.deep_page("/authors/", self.authors))
        yield "section page 1", self.many(lambda: f"/sections/{rng.choice(self.sections)[0]}/")
        yield "section, deep pages", self.many(lambda: self.deep_page("/sections/", self.sections))
        yield "year archive", self.many(lambda: f"/archives/{self.day():%Y}/")
        yield "month archive", self.many(lambda: f"/archives/{self.day():%Y/%m}/")
        yield "day archive", self.many(lambda: f"/archives/{self.day():%Y/%m/%d}/")
        yield "site feed (RSS, Atom)", (["/rss/", "/atom/"] * self.requests)[: self.requests]
        yield "tag feeds", self.many(lambda: f"/tags/{rng.choice(self.tag_slugs[:50])}/rss/")
        yield "biggest tag's feed", [f"/tags/{self.biggest}/atom/"] * self.requests
        yield "author feeds", self.many(lambda: f"/authors/{rng.choice(self.authors)[0]}/atom/")
        yield "section feeds", self.many(lambda: f"/sections/{rng.choice(self.sections)[0]}/rss/")


if __name__ == "__main__":
    main()
