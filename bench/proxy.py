"""The production set-up under load: nginx, then Varnish (deploy/), in front of gunicorn.

Prints requests per second through the proxies and straight to gunicorn, for a page every
cache holds and for the long tail (a different article on each request, which no cache holds),
and what each gunicorn worker serves. Every request goes to 127.0.0.1; each wrk run is bounded.
Run with bench/run's set-up: `.venv/bin/python bench/proxy.py [--workers N] [--duration S]`
(wrk from Debian). Figures and the capacity plan drawn from them are in deploy/README.md.
"""

import argparse
import contextlib
import sys
from pathlib import Path

from http_bench import (
    ARTICLE_PATHS,
    LONG_TAIL_SCRIPT,
    SEED_PATH,
    THREADS,
    bench_environment,
    free_port,
    prepare_database,
    start_gunicorn,
    stop,
    write_article_paths,
    wrk,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import servers  # noqa: E402  (the same nginx and Varnish start-up as the tests)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    env = bench_environment(free_port())
    env["WEB_CONCURRENCY"] = str(args.workers)
    prepare_database(env, args.articles, args.seed)
    paths = write_article_paths(env, args.seed)
    half = len(paths) // 2
    gunicorn = start_gunicorn(env)
    direct = f"http://127.0.0.1:{env['PORT']}"
    rows = []
    try:
        with contextlib.ExitStack() as stack:
            proxy = stack.enter_context(servers.varnish(int(env["PORT"])))
            static = Path(env.get("STATIC_ROOT", Path(__file__).parent.parent / "staticfiles"))
            front = stack.enter_context(servers.nginx(int(proxy.rsplit(":", 1)[1]), static))
            runs = [
                ("article, gunicorn (site's cache hit)", direct, SEED_PATH, None, 0),
                ("article, nginx + Varnish (hit)", front, SEED_PATH, None, 0),
                ("long tail, gunicorn", direct, "/", LONG_TAIL_SCRIPT, 0),
                ("long tail, nginx + Varnish (miss)", front, "/", LONG_TAIL_SCRIPT, half),
            ]
            for label, base, path, script, start in runs:
                script_args = (str(ARTICLE_PATHS), str(start), str(THREADS)) if script else ()
                wrk(base + path, script, 2, args.connections, (), script_args)  # warm up
                if script:
                    # The measured run walks articles the warm-up did not ask for.
                    script_args = (str(ARTICLE_PATHS), str(start + 5000), str(THREADS))
                rate, p50, p99, failed = wrk(
                    base + path, script, args.duration, args.connections, (), script_args
                )
                rows.append((label, rate, p50, p99, failed))
    finally:
        stop(gunicorn)

    print(
        f"{args.articles:,} articles, gunicorn {args.workers} sync workers, "
        f"wrk {THREADS} threads × {args.connections} connections × {args.duration} s"
    )
    print(f"{'run':<40}{'req/s':>9}{'per worker':>11}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}")
    for label, rate, p50, p99, failed in rows:
        per_worker = "" if "Varnish (hit)" in label else f"{rate / args.workers:.0f}"
        print(f"{label:<40}{rate:>9.0f}{per_worker:>11}{p50:>9.1f}{p99:>9.1f}{failed:>7}")


if __name__ == "__main__":
    main()
