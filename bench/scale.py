"""Each reader page at 1,000,000 articles against 100,000: the ratio of their medians.

    .venv/bin/python bench/scale.py --rounds 3
    .venv/bin/python bench/scale.py --rounds 3 \\
        --small postgres://…/bench --large postgres://…/million

Runs bench/pages.py on the 100,000-article archive and on the 1,000,000-article one, in
turn, ``--rounds`` times each, and prints each page's p50 at both sizes (the median of the
rounds) and their ratio; the target is 1.5× at most. One run of each is not enough on a
shared machine: the site's feed, whose work does not depend on the archive's size, once
took 1.54× as long at 1,000,000 as in the run of 100,000 before it, as its CPU time rose
by a third (3.6 to 4.9 ms). Each run's output is kept in bench/results/.

bench/pages.py generates an archive that is missing. The 1,000,000 one takes less time on a
copy of the 100,000, which it then completes: on SQLite, a copy of
bench/results/pages.sqlite3 made with SQLite's backup (the file has a write-ahead log) as
million.sqlite3; on PostgreSQL, ``createdb -T bench million``.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
TARGET = 1.5
# A page's line of bench/pages.py: its name, then p50, p95, CPU p50, SQL p95 and queries.
PAGE_LINE = re.compile(r"^(?P<name>.{48}) +(?P<p50>[\d.]+) +[\d.]+ +[\d.]+ +[\d.]+ +\S+$")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small", default=f"sqlite:///{RESULTS / 'pages.sqlite3'}")
    parser.add_argument("--large", default=f"sqlite:///{RESULTS / 'million.sqlite3'}")
    args = parser.parse_args()

    sizes = {"100,000": (args.small, 100_000), "1,000,000": (args.large, 1_000_000)}
    runs = {size: [] for size in sizes}
    for round_number in range(1, args.rounds + 1):
        for size, (url, articles) in sizes.items():
            print(f"round {round_number} of {args.rounds}: {size} articles…", flush=True)
            output = run_pages(url, articles, round_number)
            (RESULTS / f"scale-{articles}-{round_number}.txt").write_text(output)
            print(output.splitlines()[0], flush=True)
            runs[size].append(p50s(output))

    small, large = (medians(runs[size]) for size in sizes)
    print(f"\np50 ms, the median of {args.rounds} rounds")
    print(f"{'page':48} {'100,000':>9} {'1,000,000':>10} {'ratio':>6}")
    over = 0
    for name, before in small.items():
        ratio = large[name] / before
        over += ratio > TARGET
        flag = f"  over {TARGET}×" if ratio > TARGET else ""
        print(f"{name:48} {before:9.1f} {large[name]:10.1f} {ratio:6.2f}{flag}")
    print(f"pages over {TARGET}×: {over} of {len(small)}")


def run_pages(url, articles, seed):
    """bench/pages.py's output; each round asks for other pages (``seed``), which no earlier
    round brought into the database's memory."""
    command = [sys.executable, "bench/pages.py", "--articles", str(articles), "--seed", str(seed)]
    environment = {**os.environ, "DATABASE_URL": url}
    completed = subprocess.run(
        command, cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode:
        sys.exit(f"bench/pages.py failed on {url}:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def p50s(output):
    """{page: p50 ms} of one run's output; a tag page's name without its tag's slug, which
    differs between the archives."""
    pages = {}
    for line in output.splitlines():
        if match := PAGE_LINE.match(line):
            name = re.sub(r" \(/tags/.*\)$", "", match["name"].strip())
            pages[name] = float(match["p50"])
    return pages


def medians(runs):
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


if __name__ == "__main__":
    main()
