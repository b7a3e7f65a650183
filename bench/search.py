"""Search benchmark: median and p95 time of 20 realistic searches over 100,000 articles.

    .venv/bin/python bench/search.py                  # SQLite, in bench/results/
    DATABASE_URL=postgres://…/bench .venv/bin/python bench/search.py

The first run generates the synthetic archive (manage.py generate_archive), later runs reuse
it. Each search is timed as the search page runs it: count (up to 1,000, as the page
counts), first page, snippets, the tags and authors the form offers, and a spelling
suggestion when nothing is found.
"""

import argparse
import statistics
import time

import archive
from archive import p95

QUERIES = [
    "coree",
    "Corée du Nord",
    "drones iraniens",
    "Zelensky",
    "Kharkiv",
    "frappes russes",
    '"cessez-le-feu" Gaza',
    "Hamas OR Hezbollah",
    "Ukraine -Russie",
    "missiles ATACMS",
    "centrale nucléaire Zaporijjia",
    "soutient",
    "Poutine Trump sommet",
    "otages Gaza",
    "mer Rouge Houthis",
    "aide militaire",
    "Taïwan Chine",
    "réfugiés",
    "Wagner Mali",
    "sanctions Iran",
    # Misspelt: nothing found, so the page looks for a suggestion.
    "zelenski",
    "Kharkov frappes",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    archive.setup(args.articles)
    from django.db import connection

    from articles import search
    from articles.models import Article
    from articles.views import SearchPaginator, SearchView

    def run(text):
        query = search.parse(text)
        # As the view pages them: teasers, with their section (ListView.paginate_queryset).
        found = Article.objects.published().search(query, newest=search.COUNT_LIMIT + 1)
        paginator = SearchPaginator(found.for_listing(), 12)
        page = list(paginator.page(1))  # as the view asks: the page, then its count
        search.snippets(page, query)
        SearchView.choices()
        if not paginator.count:
            return f"0→{search.suggestion(text)}"
        return f"{'>' if paginator.more else ''}{paginator.count}"

    print(f"{connection.vendor}, {Article.objects.count()} articles, {args.repeat} runs each")
    # CPU time is this process's alone: all of the work on SQLite, none of the server's on
    # PostgreSQL. On a loaded machine it shows what wall time hides under waiting.
    print(f"{'query':32} {'matches':>8} {'median ms':>10} {'p95 ms':>8} {'p95 CPU ms':>11}")
    every, every_cpu = [], []
    for text in QUERIES:
        count = run(text)  # warm the caches
        timings, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            run(text)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        every += timings
        every_cpu += cpu
        print(
            f"{text:32} {count:>8} {statistics.median(timings):10.1f} {p95(timings):8.1f}"
            f" {p95(cpu):11.1f}"
        )
    print(
        f"{'all queries':32} {'':8} {statistics.median(every):10.1f} {p95(every):8.1f}"
        f" {p95(every_cpu):11.1f}"
    )


if __name__ == "__main__":
    main()
