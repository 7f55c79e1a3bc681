"""Every public page type timed in-process, the floor beside them: a quick check of a change
to the pages before `make bench` (which takes minutes and shares the cores with wrk).

    python -m bench.page_times [--requests 60] [--only release,home] [--searches]

Through bench.wsgi's application (the floor without middleware, the site with all of it),
production settings, Redis under a key prefix of its own, for each page of `make bench`
(bench.run_probe.benchmarked_pages): median and p90 wall ms, SQL queries and Redis round trips
per request, with the page cache off (derived values in Redis: the page rendered once first)
and then on (hits: the page stored once first). No network, no wrk: compare pages and changes
measured in one run, never with `make bench`'s requests per second. With --searches, also
`make bench`'s sequential searches (bench.run_probe.search_timings), the page cache off.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.server import FLOOR, PYTHON, ROOT, bench_data_env, say, wsgi_environ


def inner(requests, only, searches):
    """Runs in a process with the site's environment."""
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.db import connection

    from bench.run_probe import benchmarked_pages
    from bench.wsgi import application
    from press.models import ReleaseRead

    ReleaseRead.objects.move_waiting_when_due()
    pages = {name: paths[0] for name, paths in benchmarked_pages().items()}
    if only:
        pages = {name: path for name, path in pages.items() if name.split(" p")[0] in only}
    counts = {"queries": 0, "round_trips": 0}
    send = redis.connection.Connection.send_packed_command

    def counted_send(self, *args, **kwargs):
        counts["round_trips"] += 1
        return send(self, *args, **kwargs)

    def counted_query(execute, *args):
        counts["queries"] += 1
        return execute(*args)

    def serve(path):
        statuses = []
        response = application(wsgi_environ(path), lambda status, headers: statuses.append(status))
        size = len(b"".join(response))
        response.close()
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path}: {statuses[0]}")
        return size

    def timed(path):
        serve(path)
        serve(path)
        walls = []
        counts.update(queries=0, round_trips=0)
        redis.connection.Connection.send_packed_command = counted_send
        try:
            with connection.execute_wrapper(counted_query):
                for _ in range(requests):
                    started = time.perf_counter()
                    size = serve(path)
                    walls.append((time.perf_counter() - started) * 1000)
        finally:
            redis.connection.Connection.send_packed_command = send
        walls.sort()
        return (
            f"{statistics.median(walls):7.2f} {walls[int(len(walls) * 0.9) - 1]:7.2f} "
            f"{counts['queries'] / requests:5.1f} {counts['round_trips'] / requests:5.1f} "
            f"{size:>8,}"
        )

    say(f"{'':<20} {'median':>7} {'p90':>7} {'SQL':>5} {'Redis':>5} {'bytes':>8}  (ms, a request)")
    say(f"{'floor':<20} {timed(FLOOR)}")
    for caching, seconds in (("off", 0), ("on", 60)):
        settings.PAGE_CACHE_SECONDS = seconds
        say(f"page cache {caching}")
        for name, path in pages.items():
            say(f"  {name:<18} {timed(path)}")
    if searches:  # after the pages: their first requests warmed the process up
        from django.test import Client

        from bench.run_probe import search_timings

        settings.PAGE_CACHE_SECONDS = 0
        found = search_timings(Client(HTTP_HOST="127.0.0.1"))
        say(f"searches: {', '.join(f'{k} {v}' for k, v in found.items() if k != 'queries')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--only", default="", help="Page types, comma-separated.")
    parser.add_argument("--searches", action="store_true", help="Time searches too.")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    only = [name for name in args.only.split(",") if name]
    if args.inner:
        inner(args.requests, only, args.searches)
        return
    with tempfile.TemporaryDirectory() as workdir:
        floor = Path(workdir) / "floor.html"
        env = bench_data_env(
            workdir, CACHE_KEY_PREFIX=f"page-times-{os.getpid()}", BENCH_FLOOR_FILE=floor
        )
        floor.write_bytes(b"<!DOCTYPE html><p>" + b"x" * 60_000 + b"</p>\n")
        command = [PYTHON, "-m", "bench.page_times", "--inner", f"--requests={args.requests}"]
        command += [f"--only={args.only}"] + (["--searches"] if args.searches else [])
        subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=1800)


if __name__ == "__main__":
    main()
