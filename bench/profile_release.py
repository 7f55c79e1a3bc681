"""Where the milliseconds of one release page go when the page cache misses (issue 21).

    python -m bench.profile_release [--requests 40] [--cold-requests 15]

Serves a live release with quotes (the page `make bench` measures) through the site's WSGI
application in-process, with production settings (bench.settings, DEBUG off, hashed static
files, Redis) and the page cache off, in two states:

- *derived values in Redis*, as in `make bench`'s caching-off pass: the page rendered once,
  then each request renders it again;
- *everything cold*: the content version bumped before each request (as a publish does), so
  the page and every value derived from content are worked out afresh.

Each state is timed without the profiler (median and p90 wall time, SQL queries and their time,
Redis round trips), then profiled with pyinstrument. Each sample's time goes to the innermost
frame of a known kind (SQL, Redis, sanitising, JSON-LD, renditions, ORM, templates, the site's
own code, middleware, ...), so that the groups add up to the whole request.

Output in bench/results/: profile-release-<time>.txt (the summary, also printed),
profile-release-<time>-<state>-tree.txt (pyinstrument's call tree of the site's code, a few
kilobytes) and profile-release-<time>-<state>.html (every frame, to open in a browser; some
megabytes).
Database: BENCH_DATABASE_URL, or bench_newsroom (filled by `make bench` or generate_data).
Redis: BENCH_REDIS_URL, or db 0, under a key prefix of its own.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.server import (
    PYTHON,
    RESULTS,
    ROOT,
    bench_data_env,
    say,
    set_up_as_a_worker,
    wsgi_environ,
)

SITE = str(ROOT) + "/"
# (group, what a frame's file path contains, or the site's own modules when it starts with
# SITE): a sample goes to the group of the innermost frame that matches, checked in this order.
GROUPS = [
    ("SQL (driver and PostgreSQL)", ("/psycopg", "/django/db/backends/")),
    ("Redis round trips", ("/redis/", "/django/core/cache/", SITE + "core/redis_cache.py")),
    ("Sanitising", ("/nh3", SITE + "press/sanitize.py")),
    ("JSON-LD", (SITE + "press/structured_data.py", "json_ld")),
    ("Renditions", (SITE + "press/renditions.py", SITE + "press/templatetags/press_images.py")),
    ("ORM: compiling SQL", ("/django/db/models/sql/", "/django/db/models/expressions.py",
                            "/django/db/models/lookups.py", "/django/db/models/functions/")),
    ("ORM: building objects, prefetching", ("/django/db/",)),
    ("Templates: static file URLs", ("/django/contrib/staticfiles/",
                                     "/django/templatetags/static")),
    ("Templates", ("/django/template/", "/django/templatetags/", SITE + "templates/",
                   "templatetags/")),
    ("Site code (views, models, core)", (SITE + "press/", SITE + "contacts/", SITE + "core/",
                                         SITE + "newsroom/")),
    ("Middleware", ("/django/middleware/", "/django/contrib/sessions/", "/django/contrib/auth/",
                    "/django/contrib/messages/", "/whitenoise/", "/axes/")),
    ("URLs: routing, reverse() ({% url %}, get_absolute_url)", ("/django/urls/",)),
    ("Request and response (handler, WSGI)", ("/django/core/handlers/", "/django/http/",
                                              "/django/core/signals", "/django/dispatch/")),
]  # fmt: skip
OTHER = "Other (standard library, Django utilities called from the handler)"


def group_of(frame):
    """The group of the innermost frame, from `frame` up, that belongs to one."""
    while frame is not None:
        place = f"{frame.file_path or ''}:{frame.function}"
        # The virtualenv lives in the repository's folder: its packages are not the site's.
        site = "/site-packages/" not in place
        for name, markers in GROUPS:
            for marker in markers:
                if place.startswith(marker) if marker.startswith(SITE) else marker in place:
                    if site or not marker.startswith(SITE):
                        return name
        frame = frame.parent
    return OTHER


def breakdown(root):
    """Seconds per group over the whole tree under `root`, and per (group, function)."""
    totals, functions = {}, {}
    stack = [root]
    while stack:
        frame = stack.pop()
        own = frame.time - sum(child.time for child in frame.children)
        if own > 0:
            name = group_of(frame)
            totals[name] = totals.get(name, 0) + own
            place = owner(frame)
            functions[name, place] = functions.get((name, place), 0) + own
        stack.extend(frame.children)
    return totals, functions


def owner(frame):
    """Where a sample's time was spent: its frame, or for pyinstrument's synthetic frames
    ([self], [await]) the one above."""
    while frame.is_synthetic and frame.parent is not None:
        frame = frame.parent
    path = (frame.file_path or "").split("/site-packages/")[-1].removeprefix(SITE)
    return f"{path}:{frame.function}"


def inner(output, requests, cold_requests):
    """Runs in a process with the site's environment."""
    application = set_up_as_a_worker()
    import redis
    from django.db import connection
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer, HTMLRenderer
    from pyinstrument.session import Session

    from core.caching import content_changed
    from press.models import Release, ReleaseRead

    ReleaseRead.objects.move_waiting_when_due()
    with_quotes = Release.objects.live().filter(quotes__isnull=False).distinct()
    release = with_quotes.order_by("-published_at")[100]
    path = release.get_absolute_url()
    statuses = []

    def serve():
        response = application(wsgi_environ(path), lambda status, headers: statuses.append(status))
        body = b"".join(response)
        response.close()  # request_finished: the read is counted, as gunicorn does
        return body

    serve()
    serve()
    counts = {"queries": 0, "sql": 0.0, "round_trips": 0}
    slowest = {}  # a statement's first words: its longest time
    send = redis.connection.Connection.send_packed_command

    def counted_send(self, *args, **kwargs):
        counts["round_trips"] += 1
        return send(self, *args, **kwargs)

    def timed_query(execute, sql, *args):
        started = time.perf_counter()
        try:
            return execute(sql, *args)
        finally:
            took = time.perf_counter() - started
            counts["sql"] += took
            counts["queries"] += 1
            statement = " ".join(sql.split())[:160]
            slowest[statement] = max(slowest.get(statement, 0), took)

    def timed(before_each, runs):
        """Wall ms of each request; queries, SQL ms and Redis round trips per request."""
        walls, per_request = [], []
        slowest.clear()
        for _ in range(runs):
            before_each()
            counts.update(queries=0, sql=0.0, round_trips=0)
            redis.connection.Connection.send_packed_command = counted_send
            try:
                with connection.execute_wrapper(timed_query):
                    started = time.perf_counter()
                    size = len(serve())
                    walls.append((time.perf_counter() - started) * 1000)
            finally:
                redis.connection.Connection.send_packed_command = send
            per_request.append(dict(counts))
        walls.sort()
        return {
            "median_ms": statistics.median(walls),
            "p90_ms": walls[int(len(walls) * 0.9) - 1],
            "queries": statistics.mean(counted["queries"] for counted in per_request),
            "sql_ms": statistics.mean(counted["sql"] for counted in per_request) * 1000,
            "redis_round_trips": statistics.mean(c["round_trips"] for c in per_request),
            "bytes": size,
            "slowest": sorted(slowest.items(), key=lambda item: -item[1])[:4],
        }

    def profiled(before_each, runs):
        session = None
        for _ in range(runs):
            before_each()
            profiler = Profiler(interval=0.0005, async_mode="disabled")
            profiler.start()
            serve()
            profiler.stop()
            last = profiler.last_session
            session = last if session is None else Session.combine(session, last)
        return session

    states = {
        "derived-in-redis": (lambda: None, requests),
        "cold": (content_changed, cold_requests),
    }
    lines = [
        f"Release page {path} ({Release.objects.live().count():,} live releases), page cache "
        f"off, in-process through the WSGI application (no network).",
    ]
    for state, (before_each, runs) in states.items():
        before_each()
        serve()
        figures = timed(before_each, runs)
        session = profiled(before_each, runs)
        root = session.root_frame()
        totals, functions = breakdown(root)
        whole = sum(totals.values())
        html = output.with_name(f"{output.stem}-{state}.html")
        html.write_text(HTMLRenderer().render(session))
        tree = output.with_name(f"{output.stem}-{state}-tree.txt")
        console = ConsoleRenderer(unicode=True, time="percent_of_total")
        tree.write_text(console.render(session))
        lines += [
            "",
            f"## {state}: {runs} requests",
            f"Without the profiler: median {figures['median_ms']:.1f} ms, p90 "
            f"{figures['p90_ms']:.1f} ms; {figures['queries']:.0f} queries taking "
            f"{figures['sql_ms']:.1f} ms; {figures['redis_round_trips']:.1f} Redis round trips; "
            f"{figures['bytes']:,} bytes.",
            "Slowest statements (longest time of each):",
            *(f"  {took * 1000:7.1f} ms  {sql}" for sql, took in figures["slowest"]),
            f"Profiled (pyinstrument, {whole * 1000 / runs:.1f} ms a request with its overhead,"
            " which weighs most on code making many calls: templates, the ORM); each group's"
            " share, and that share of the median without the profiler:",
            "",
            f"{'group':<62} {'profiled ms':>11} {'share':>6} {'of median':>9}",
        ]
        for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
            share = seconds / whole
            lines.append(
                f"{name:<62} {seconds * 1000 / runs:>11.2f} {share:>6.1%} "
                f"{share * figures['median_ms']:>9.1f}"
            )
            if share >= 0.03:
                mine = [(place, t) for (group, place), t in functions.items() if group == name]
                for place, took in sorted(mine, key=lambda item: -item[1])[:4]:
                    lines.append(f"    {place[:56]:<56} {took * 1000 / runs:>11.2f}")
        lines += ["", f"Call tree: {tree.name}, {html.name} (all of it, in a browser)"]
    if set(statuses) != {"200 OK"}:
        lines.append(f"Unexpected answers: {sorted(set(statuses))}")
    output.write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--cold-requests", type=int, default=15)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(Path(args.inner), args.requests, args.cold_requests)
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = RESULTS / f"profile-release-{time.strftime('%Y%m%d-%H%M%S')}.txt"
    with tempfile.TemporaryDirectory() as workdir:
        env = bench_data_env(workdir, CACHE_KEY_PREFIX=f"profile-{os.getpid()}")
        command = [PYTHON, "-m", "bench.profile_release", f"--inner={output}"]
        command += [f"--requests={args.requests}", f"--cold-requests={args.cold_requests}"]
        subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=1800)
    say(output.read_text())


if __name__ == "__main__":
    main()
