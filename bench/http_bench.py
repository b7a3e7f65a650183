"""Load the reader pages with wrk and print throughput, latency, SQL queries and worker memory.

Run through bench/run. Every request goes to 127.0.0.1, and each wrk run is bounded in time.
"""

import argparse
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
SEED_PATH = "/articles/2024/10/27/des-troupes-nord-coreennes-soutiennent-la-russie-en-ukraine/"
# Asks for a new page number each time, so that every request misses the page cache.
CACHE_MISS_SCRIPT = BASE_DIR / "bench" / "cache_miss.lua"

# (label, path, wrk script, kind): kind says which target applies; search has none for speed.
ENDPOINTS = [
    ("/healthz", "/healthz", None, "baseline"),
    ("home", "/", None, "cached"),
    ("article", SEED_PATH, None, "cached"),
    ("article, uncached", SEED_PATH, CACHE_MISS_SCRIPT, "uncached"),
    ("tag", "/tags/ukraine/", None, "cached"),
    ("month archive", "/archives/2024/10/", None, "cached"),
    ("search", "/search/?q=coree", None, "dynamic"),
    ("RSS feed", "/rss/", None, "cached"),
]

TARGETS = {"cached": 0.70, "uncached": 0.25}
MAX_QUERIES = 8
MAX_WORKER_MB = 150


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment(port):
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'bench.sqlite3'}")
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.update(
        PORT=str(port),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        DEBUG="",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args, capture=False):
    command = [sys.executable, "manage.py", *args]
    if capture:
        return subprocess.check_output(command, env=env, cwd=BASE_DIR, text=True)
    subprocess.run(command, env=env, cwd=BASE_DIR, check=True)


def create_postgres_database(url):
    """Create the benchmark's PostgreSQL database when it does not exist yet."""
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(url)
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        name = settings["NAME"]
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare_database(env, articles, seed):
    if env["DATABASE_URL"].startswith("postgres"):
        create_postgres_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "loaddata", "demo", "--verbosity", "0")
    count = int(
        manage(
            env,
            "shell",
            "-c",
            "from articles.models import Article; print(Article.objects.count())",
            capture=True,
        ).split()[-1]
    )
    if count < articles:
        print(f"Generating {articles:,} synthetic articles (once per database)…", flush=True)
        manage(env, "generate_archive", "--articles", str(articles), "--seed", str(seed))
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def count_queries(env, paths):
    """SQL queries per uncached request, measured in-process with Django's test client."""
    script = (
        "import sys\n"
        "from django.core.cache import cache\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "client = Client(HTTP_HOST='127.0.0.1')\n"
        "for path in sys.argv[1:]:\n"
        "    cache.clear()\n"
        "    with CaptureQueriesContext(connection) as queries:\n"
        "        status = client.get(path).status_code\n"
        "    print(path, status, len(queries))\n"
    )
    output = subprocess.check_output(
        [sys.executable, "-c", "import django; django.setup()\n" + script, *paths],
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        cwd=BASE_DIR,
        text=True,
    )
    counts = {}
    for line in output.splitlines():
        path, status, queries = line.rsplit(" ", 2)
        counts[path] = (int(status), int(queries))
    return counts


def start_gunicorn(env, port):
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "python:newsroom.gunicorn",
            "--access-logfile",
            "/dev/null",
            "newsroom.wsgi",
        ],
        env=env,
        cwd=BASE_DIR,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def wrk(url, script, duration, connections):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.check_output([*command, url], text=True)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: to_ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, latency.get("50"), latency.get("99"), int(errors.group(1)) if errors else 0


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def worker_memory_mb(master_pid):
    children = subprocess.check_output(["ps", "--ppid", str(master_pid), "-o", "rss="], text=True)
    return [int(rss) / 1024 for rss in children.split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    port = free_port()
    env = bench_environment(port)
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    cache = "Redis" if env.get("REDIS_URL") else "local memory"
    prepare_database(env, args.articles, args.seed)
    queries = count_queries(env, [path for _, path, _, _ in ENDPOINTS])

    server = start_gunicorn(env, port)
    rows = []
    try:
        for label, path, script, kind in ENDPOINTS:
            status, _ = queries[path]
            if status != 200:
                print(f"skipping {label}: {path} answers {status}")
                continue
            url = f"http://127.0.0.1:{port}{path}"
            wrk(url, script, 2, args.connections)  # warm the workers and the cache
            rows.append((label, kind, *wrk(url, script, args.duration, args.connections)))
        memory = worker_memory_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    baseline = rows[0][2]
    lines = [
        f"{engine} + {cache} cache, {args.articles:,} articles, gunicorn "
        f"{len(memory)} workers, wrk {args.connections} connections × {args.duration} s",
        f"{'page':<20}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'SQL/req':>9}{'÷ healthz':>11}"
        f"{'errors':>8}  target",
    ]
    for label, kind, rate, p50, p99, errors in rows:
        path = next(path for name, path, _, _ in ENDPOINTS if name == label)
        sql = queries[path][1] if kind != "baseline" else 1
        ratio = rate / baseline
        verdict = ""
        if kind in TARGETS:
            met = ratio >= TARGETS[kind] and sql <= MAX_QUERIES and not errors
            verdict = f"≥{TARGETS[kind]:.0%}, ≤{MAX_QUERIES} SQL: {'met' if met else 'MISSED'}"
        elif kind == "dynamic":
            met = sql <= MAX_QUERIES and not errors
            verdict = f"≤{MAX_QUERIES} SQL: {'met' if met else 'MISSED'}"
        lines.append(
            f"{label:<20}{rate:>10.0f}{p50:>9.2f}{p99:>9.2f}{sql:>9}{ratio:>10.0%}{errors:>8}  "
            f"{verdict}"
        )
    heaviest = max(memory)
    lines.append(
        f"worker memory after the run: {', '.join(f'{mb:.0f}' for mb in memory)} MB resident "
        f"(target < {MAX_WORKER_MB} MB: {'met' if heaviest < MAX_WORKER_MB else 'MISSED'})"
    )
    report = "\n".join(lines)
    print(report)
    (RESULTS / f"http-{engine.lower()}.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
