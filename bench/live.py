"""Live coverage benchmark: what a thousand readers polling every 15 seconds cost the database.

    .venv/bin/python bench/live.py                       # SQLite + file cache, in bench/results/
    DATABASE_URL=postgres://…/bench REDIS_URL=redis://…/N .venv/bin/python bench/live.py

A synthetic archive (manage.py generate_archive, 100,000 articles by default) holds a live
coverage of one of its articles with --backlog updates already posted. Then a night is played
in simulated time: --readers readers each poll every 15 seconds (spread evenly over the
interval), as static/js/live.js does, sending back the ETag of their last answer; an editor
posts an update every --post-every seconds, corrects one every fourth post and deletes one every
tenth. Every poll goes through the whole Django stack in-process (the test client), so the
figures count every query a poll makes, middleware included.

It prints, for the polls: how many, how many were answered 304, the queries they made in all,
per thousand polls and per second of the night, their share of database time, and the time a
poll takes in-process (p50, p95). The same night is then played with the cache off (Django's
DummyCache), which is what a poll costs when the cache has failed.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import archive  # noqa: E402
from archive import p95  # noqa: E402

INTERVAL = 15


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--minutes", type=int, default=10, help="simulated length of the night")
    parser.add_argument("--post-every", type=int, default=30, help="seconds between updates")
    parser.add_argument("--backlog", type=int, default=500, help="updates posted before")
    parser.add_argument(
        "--readers-without-cache", type=int, default=100, help="readers of the cache-off night"
    )
    args = parser.parse_args()

    # The in-process client serves no static file: whitenoise need not look for them.
    warnings.filterwarnings("ignore", message="No directory at")
    results = archive.BASE_DIR / "bench" / "results"
    os.environ.setdefault("CACHE_ROOT", str(results / "live-cache"))
    archive.setup(args.articles, "live.sqlite3")

    from django.core.cache import cache, caches
    from django.test.utils import override_settings

    cache.clear()
    coverage = prepare(args.backlog)
    print(
        f"{connection_vendor()}, cache {caches['default'].__class__.__name__}, "
        f"{args.articles} articles, "
        f"coverage of {coverage.updates.count()} updates; {args.readers} readers polling every "
        f"{INTERVAL} s for {args.minutes} simulated minutes, an update every {args.post_every} s"
    )
    night(coverage, args)
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        print(
            f"the same night with the cache off (DummyCache: every cache read misses), "
            f"{args.readers_without_cache} readers"
        )
        args.readers = args.readers_without_cache
        night(prepare(args.backlog), args)


def connection_vendor():
    from django.db import connection

    return connection.vendor


def prepare(backlog):
    """A fresh live coverage of a synthetic article, holding ``backlog`` updates."""
    from django.db import transaction

    from articles.models import Article
    from live.models import LiveCoverage, LiveUpdate

    article = Article.objects.published().filter(slug__startswith="synthetique-").first()
    LiveCoverage.objects.filter(pk=article.pk).delete()
    with transaction.atomic():
        coverage = LiveCoverage.objects.create(article=article, close_after_hours=24)
        for n in range(backlog):
            LiveUpdate.objects.create(
                coverage=coverage, body=f"<p>Mise à jour {n} du direct.</p>", is_key=n % 50 == 0
            )
    coverage.refresh_from_db()
    return coverage


class Reader:
    """A reader's page: the change number it has, and the answer its browser keeps.

    The browser keeps one answer per address (``?after=N``): asking the same address again, it
    sends that answer's ETag, as fetch() does through the HTTP cache.
    """

    def __init__(self, url, after):
        self.url, self.after, self.asked, self.etag = url, after, None, None


def night(coverage, args):
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client

    from live import polling
    from live.models import LiveUpdate

    client = Client(HTTP_HOST="127.0.0.1")
    url = f"/live/{coverage.pk}/updates.json"
    readers = [Reader(url, coverage.sequence) for _ in range(args.readers)]
    polls = not_modified = 0
    poll_queries, poll_db_seconds, timings, write_queries = [], [0.0], [], []

    def count(into, seconds):
        def wrapper(run, sql, *rest):
            started = time.perf_counter()
            try:
                return run(sql, *rest)
            finally:
                into.append(sql)
                seconds[0] += time.perf_counter() - started

        return wrapper

    posted = []
    seconds = args.minutes * 60
    slot = INTERVAL / len(readers)
    for second in range(seconds):
        if second % args.post_every == 0:
            with connection.execute_wrapper(count(write_queries, [0.0])):
                update = LiveUpdate.objects.create(
                    coverage=coverage, body=f"<p>Nouvelle mise à jour, seconde {second}.</p>"
                )
                posted.append(update)
                if len(posted) % 4 == 0:
                    posted[-2].body += "<p>Précision.</p>"
                    posted[-2].save()
                if len(posted) % 10 == 0:
                    posted[-3].withdraw()
        # The readers whose turn falls in this second, spread evenly over the interval.
        first = int((second % INTERVAL) / slot)
        last = int(((second % INTERVAL) + 1) / slot)
        for reader in readers[first:last]:
            headers = {"if_none_match": reader.etag} if reader.asked == reader.after else {}
            started = time.perf_counter()
            with connection.execute_wrapper(count(poll_queries, poll_db_seconds)):
                response = client.get(f"{reader.url}?after={reader.after}", headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            polls += 1
            if response.status_code == 304:
                not_modified += 1
                continue
            assert response.status_code == 200, response.status_code
            reader.asked, reader.etag = reader.after, response["ETag"]
            reader.after = response.json()["sequence"]
    total_ms = sum(timings)
    # Checked, not assumed: each reader's page got every change of the night.
    coverage.refresh_from_db()
    behind = sum(reader.after < coverage.sequence for reader in readers)
    rate = len(poll_queries) / polls * 1000 / INTERVAL
    print(
        f"  polls {polls} ({polls / seconds:.1f}/s of the night), 304: {not_modified}; "
        f"{len(posted)} updates posted, {len(write_queries)} queries to post, correct and delete"
    )
    print(
        f"  poll queries: {len(poll_queries)} in all, {1000 * len(poll_queries) / polls:.2f} "
        f"per 1,000 polls, {len(poll_queries) / seconds:.2f}/s of the night; "
        f"{1000 * poll_db_seconds[0]:.0f} ms of database time, "
        f"{100 * 1000 * poll_db_seconds[0] / total_ms:.1f} % of the polls' time"
    )
    print(
        f"  at this rate 1,000 readers cost {rate:.2f} queries/s; readers behind "
        f"at the end: {behind} of {len(readers)} (the last change number: "
        f"{coverage.sequence})"
    )
    if caches["default"].__class__.__name__ != "DummyCache":
        # The night is played faster than the clock, and cache entries expire by the clock:
        # the state, renewed at each change, is also read again once per STATE_SECONDS.
        print(
            f"  in a night on the clock, add the state read again every {polling.STATE_SECONDS} s"
            f": {1 / polling.STATE_SECONDS:.3f} queries/s, whatever the number of readers"
        )
    print(
        f"  a poll in-process: p50 {statistics.median(timings):.2f} ms, p95 {p95(timings):.2f} ms"
        f" ({polls / (total_ms / 1000):.0f} polls/s on one core)"
    )


if __name__ == "__main__":
    main()
