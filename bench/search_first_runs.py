"""The first run of each search `make bench` times, and where its milliseconds go (issue 21).

    python -m bench.search_first_runs [--rounds 6]

Each round runs in a fresh process under a cache key prefix of its own, with production
settings (bench.settings) and the page cache off, as in `make bench`'s caching-off pass: a few
pages first (what every page reads is then kept), then each of the twenty searches of
bench.run_probe.SEARCHES once, through the test client as the probe times them, so each is a
first run. Within each request it times the parts press.search runs (ranking the matches, the
page's releases with their snippets, people, organizations) and the SQL.

Prints, per search, the median over the rounds of the request, its SQL and its parts; then each
round's p95 over the twenty, computed as `make bench` computes it. The machine's noise is large
(a round's p95 moves by 20 ms between rounds): compare two versions of the code in rounds taken
in turn (`--rounds` runs them one after another; run the tool from two checkouts alternately).
Output in bench/results/search-first-runs-<time>.txt, also printed.
Database: BENCH_DATABASE_URL, or bench_newsroom (filled by `make bench` or generate_data).
Redis: BENCH_REDIS_URL, or db 0, under a key prefix of its own.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.run_probe import SEARCHES
from bench.server import PYTHON, RESULTS, ROOT, bench_data_env, say, set_up_as_a_worker

PARTS = ("ranked_releases", "releases_shown", "people_found", "organizations_found")


def inner(output):
    """One round, in a process with the site's environment: JSON of each search's timings."""
    set_up_as_a_worker()
    from django.db import connection
    from django.test import Client

    from press import search

    parts = {}

    def timed(name):
        work = getattr(search, name)

        def timed_work(*args, **kwargs):
            started = time.perf_counter()
            try:
                return work(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0) + (time.perf_counter() - started) * 1000

        setattr(search, name, timed_work)

    for name in PARTS:
        timed(name)
    sql = []

    def timed_query(execute, *args):
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            sql.append((time.perf_counter() - started) * 1000)

    client = Client(HTTP_HOST="127.0.0.1")
    for path in ("/", "/releases/", "/search/?q=warm+up"):
        client.get(path)
    found = {}
    for words in SEARCHES:
        parts.clear()
        sql.clear()
        with connection.execute_wrapper(timed_query):
            started = time.perf_counter()
            response = client.get("/search/", {"q": words})
            took = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (words, response.status_code)
        found[words] = {"ms": took, "sql_ms": sum(sql), "queries": len(sql), **parts}
    Path(output).write_text(json.dumps(found))


def report(rounds):
    """The lines printed: per search, medians over `rounds`; each round's p95."""
    columns = ("ms", "sql_ms", *PARTS)
    heads = ("request", "SQL", "ranking", "releases", "people", "organizations")
    lines = [f"{'search':<24}" + "".join(f"{head:>14}" for head in heads)]
    for words in SEARCHES:
        medians = [
            statistics.median(one[words].get(column, 0) for one in rounds) for column in columns
        ]
        lines.append(f"{words:<24}" + "".join(f"{value:>14.1f}" for value in medians))
    firsts = [[one[words]["ms"] for words in SEARCHES] for one in rounds]
    per_search = [statistics.median(one[words]["ms"] for one in rounds) for words in SEARCHES]
    p95s = [statistics.quantiles(times, n=20)[18] for times in firsts]
    lines += [
        "",
        f"Median over the searches of each one's median: {statistics.median(per_search):.1f} ms; "
        f"sum {sum(per_search):.0f} ms.",
        "p95 of each round (as make bench computes it): "
        + ", ".join(f"{p95:.1f}" for p95 in p95s)
        + " ms.",
    ]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.inner)
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = RESULTS / f"search-first-runs-{time.strftime('%Y%m%d-%H%M%S')}.txt"
    rounds = []
    with tempfile.TemporaryDirectory() as workdir:
        env = bench_data_env(workdir)
        for number in range(args.rounds):
            found = Path(workdir) / f"round-{number}.json"
            env["CACHE_KEY_PREFIX"] = f"first-runs-{os.getpid()}-{number}"
            command = [PYTHON, "-m", "bench.search_first_runs", f"--inner={found}"]
            subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=600)
            rounds.append(json.loads(found.read_text()))
    lines = [
        f"The first run of each search, {args.rounds} rounds, in-process (test client), page "
        "cache off; milliseconds, medians over the rounds.",
        "",
        *report(rounds),
    ]
    output.write_text("\n".join(lines) + "\n")
    say(output.read_text())


if __name__ == "__main__":
    main()
