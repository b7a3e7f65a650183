"""Django set up in-process over the synthetic benchmark archive, for the in-process benchmarks.

SQLite by default (bench/results/search.sqlite3, which git ignores), or the database named by
DATABASE_URL, which should be one kept for benchmarks. The archive is generated on first use
(manage.py generate_archive --seed 1) and reused afterwards.
"""

import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

BASE_DIR = Path(__file__).resolve().parent.parent


def setup(articles, database="search.sqlite3", project=BASE_DIR):
    """Configure Django on ``project``'s code and make sure the archive holds ``articles``.

    ``database`` names the SQLite file under bench/results/ when DATABASE_URL is not set.
    """
    results = BASE_DIR / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{results / database}")
    os.environ.setdefault("SECRET_KEY", "in-process-benchmark")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(Path(project).resolve()))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from articles.models import Article

    # Pages name their static files without the hashed manifest that collectstatic would make.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    missing = articles - Article.objects.filter(slug__startswith="synthetique-").count()
    if missing > 0:
        started = time.perf_counter()
        call_command("generate_archive", articles=missing, seed=1)
        print(f"generated {missing} articles in {time.perf_counter() - started:.1f} s")


def machine_speed():
    """µs of CPU for sum(range(1000)), the best of five: how fast the machine runs Python now.

    A shared machine's speed moves from one minute to the next (here from 8 to 15 µs within
    an hour); printed beside a run's figures, it tells a slow machine from slow code.
    """
    import timeit

    return min(timeit.repeat("sum(range(1000))", number=20_000, repeat=5)) / 20_000 * 1e6


def database_size():
    """The archive's size on disk and, on PostgreSQL, the server's shared buffers: at
    1,000,000 articles a page's figures depend on whether the indexes it reads fit in them."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database())), "
                "current_setting('shared_buffers')"
            )
            size, buffers = cursor.fetchone()
            return f"database {size}, shared_buffers {buffers}"
        cursor.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
        return f"database {cursor.fetchone()[0] / 2**30:.1f} GB"


def p95(values):
    import statistics

    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def server_hooks():
    """What the measured code's gunicorn settings do before and after each request of a sync
    worker (newsroom/gunicorn.py), as two functions of no argument."""
    from newsroom import gunicorn

    worker = SimpleNamespace(cfg=SimpleNamespace(threads=1))
    before = getattr(gunicorn, "pre_request", lambda worker, req: None)
    after = getattr(gunicorn, "post_request", lambda worker, req, environ, resp: None)
    return lambda: before(worker, None), lambda: after(worker, None, None, None)
