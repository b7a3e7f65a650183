"""Sitemap benchmark: p50 and p95 server time of every sitemap file, built with the cache cold.

    .venv/bin/python bench/sitemaps.py                  # SQLite, in bench/results/
    DATABASE_URL=postgres://…/bench .venv/bin/python bench/sitemaps.py
    .venv/bin/python bench/sitemaps.py --articles 1000000   # a benchmark-only archive

Requests go through Django's test client (the whole middleware stack) with the page cache
cleared before each one, and Python's garbage collector run between them, as in a gunicorn
worker (bench/pages.py). "CPU ms" is this process's median CPU time per request (the month
files' line: the largest median), a steadier figure than wall time on a shared machine; on
PostgreSQL it leaves out the database server's own work. The clock is set to the archive's
newest article, so that the Google News sitemap has its last two days to list. Target: each
file's p95 well under 15 ms at 100,000 articles, and no response over 1 s at 1,000,000.
"""

import argparse
import gc
import statistics
import time

import archive
from archive import p95, server_hooks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    archive.setup(args.articles)
    gc.freeze()  # as gunicorn's master does before forking the workers (bench/pages.py)

    import time_machine
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from articles.models import Article
    from articles.sitemaps import archive_months

    newest = Article.objects.published().latest().published_at
    client = Client(HTTP_HOST="127.0.0.1")
    request_started, request_finished = server_hooks()
    cpu_times = []

    def get(path):
        cache.clear()
        request_started()
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        cpu_times.append((time.process_time() - cpu) * 1000)
        request_finished()
        assert response.status_code == 200, (path, response.status_code)
        return elapsed, response

    def measure(path):
        get(path)  # warm the database's caches
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
        ):
            _, response = get(path)
        cpu_times.clear()
        timings = [get(path)[0] for _ in range(args.repeat)]
        figures = response.content.count(b"<loc>"), len(response.content), len(queries)
        return timings, *figures, statistics.median(cpu_times)

    with time_machine.travel(newest, tick=False):
        months = [month_path(start) for start, _, _ in archive_months()]
        print(f"{connection.vendor}, {Article.objects.count()} articles, {len(months)} months,")
        print(f"{args.repeat} runs each, cache cleared before every request")
        print(f"{'file':34} {'URLs':>6} {'KB':>6} {'SQL':>4}", end=" ")
        print(f"{'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8}")
        every_month, every_cpu = [], []
        for path in months:
            timings, *figures, cpu = measure(path)
            every_month += timings
            every_cpu.append(cpu)
            if path == months[len(months) // 2]:
                print(row(path, *figures, timings, cpu))  # one shown; all of them count below
        print(row(f"all {len(months)} month files", "", "", "", every_month, max(every_cpu)))
        for path in (
            "/sitemap.xml",
            "/sitemap-tags.xml",
            "/sitemap-years.xml",
            "/sitemap-months.xml",
            "/sitemap-news.xml",
        ):
            timings, *figures, cpu = measure(path)
            print(row(path, *figures, timings, cpu))
        print(f"slowest month file response: {max(every_month):.1f} ms")


def month_path(start):
    return f"/sitemap-articles-{start:%Y-%m}.xml"


def row(path, urls, size, queries, timings, cpu):
    size = size if size == "" else size // 1024
    return (
        f"{path:34} {urls:>6} {size:>6} {queries:>4} "
        f"{statistics.median(timings):8.1f} {p95(timings):8.1f} {cpu:8.1f}"
    )


if __name__ == "__main__":
    main()
