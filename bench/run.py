"""Load benchmark of the public pages, against a floor, with page caching off and on.

    make bench                                  (or: .venv/bin/python -m bench.run)
    make bench BENCH_ARGS="--duration 5 --memory-requests 2000"
    BENCH_DATABASE_URL=postgres://... make bench        (a database already generated)

1. The database: BENCH_DATABASE_URL if set (used as it is, after `migrate`), else the local
   PostgreSQL database bench_newsroom, created, migrated and filled by `generate_data` at its
   default sizes (100,000 releases...) only if it is missing or empty; it is kept for the next
   run. (`dropdb -h 127.0.0.1 -U postgres bench_newsroom` to start again.)
2. Production settings (DEBUG off, hashed static files collected into a temporary directory,
   whitenoise, PostgreSQL) except plain HTTP on 127.0.0.1; DJANGO_SETTINGS_MODULE=bench.settings
   adds only the floor page (bench/urls.py), which bench/wsgi.py serves without middleware.
3. For each pass, page caching off (PAGE_CACHE_SECONDS=0) then on (PAGE_CACHE_SECONDS=60), both
   with Redis as production has it (a key prefix of this run's own, deleted at the end): with
   page caching off every page is rendered, while values worked out from content (list counts,
   archive years, popular topics, a release's suggestions) stay cached until content changes;
   - in-process with Django's test client: for each page, the queries and bytes of one request
     after a first one, and of a second object of the same kind, to see whether the count is
     constant; the first request's own queries and time too (in the first pass it is the first
     after a content change: nothing derived is cached yet); in the first pass also the release
     page's bytes, saved as the floor, and 200 sequential searches of mixed words, timed
     (search p95);
   - gunicorn, 2 sync workers, --no-control-socket, on a free port of 127.0.0.1; each page and
     the floor warmed up for 2 s, then `wrk -t2 -c16 -d10s --latency`;
   - in the first pass, then 10,000 requests spread over all pages (a wrk Lua script that stops
     there, or at --memory-seconds), and each worker's resident memory from /proc.
4. One table (requests/s, p50, p99, queries per request, bytes, share of the floor, for each
   pass), the targets met or missed, and the same as JSON in bench/results/bench-<time>.json.

wrk and the server share the machine's cores: compare the ratios of one run, never absolute
figures across runs or machines. Every step has a time limit and the server is stopped whatever
happens.
"""

import argparse
import datetime
import json
import logging
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.server import (
    FLOOR,
    PYTHON,
    ROOT,
    clean_environ,
    create_database_if_missing,
    database_name,
    delete_cache_keys,
    manage,
    memory,
    print_checks,
    run_python,
    say,
    start_gunicorn,
    stop_gunicorn,
    worker_pids,
    write_results,
)
from bench.server import site_env as site_environment
from bench.wrk import figures, wrk

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_newsroom"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEEP_PAGE = 2000
# A word in most releases: the search that has the most to rank.
COMMON_WORD = "resilience"
# The in-process search timing: single words common and rare, pairs, phrases, names.
SEARCHES = [
    "resilience",
    "flood",
    "heat adaptation",
    "coastal storms",
    "funding",
    '"sea level"',
    "mayor",
    "Okafor",
    "drought wildfire",
    "toolkit",
    "university partnership",
    "bridges",
    "solar grid",
    "Maria Garcia",
    "transit youth jobs",
    "elderly cooling",
    "Seoul",
    "-flood rain",
    "investment or bonds",
    "zzzz nothing matches",
]
SEARCH_RUNS = 200
SEARCH_SECONDS = 120

TARGETS = {
    "uncached_share": 0.10,
    "uncached_p99_ms": 100,
    "cached_share": 0.70,
    "deep_page_slowdown": 2.0,
    "search_p95_ms": 50,
    "queries": 10,
    "worker_rss_mb": 150,
    "memory_after_requests": 10_000,
    "generate_seconds": 300,
    "generate_rss_mb": 1024,
}

PASSES = {
    "off": {"PAGE_CACHE_SECONDS": "0"},
    "on": {"PAGE_CACHE_SECONDS": "60"},
}


# The database


def database_env(url):
    # DEBUG off: with it on, Django would keep every query of generate_data in memory.
    return {
        **clean_environ(),
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "False",
    }


def ensure_database(args):
    """The database URL to benchmark, with its data. Generation is reported when it runs."""
    given = os.environ.get("BENCH_DATABASE_URL")
    url = given or DEFAULT_DATABASE_URL
    name = database_name(url)
    if not given:
        create_database_if_missing(url)
    env = database_env(url)
    say(f"Migrating {name}...")
    manage(env, "migrate", "--noinput", timeout=1800)
    generated = None
    if not release_count(url):
        if given:
            raise SystemExit(f"{name} has no releases: run `python -m bench.generate_data` on it.")
        say(f"Generating the data set in {name} (a few minutes, once)...")
        started = time.monotonic()
        output = run_python(
            env,
            "-m",
            "bench.generate_data",
            *args.generate_args.split(),
            timeout=1800,
            capture=True,
        )
        say(output.rstrip())
        generated = {"output": output, "wall_seconds": round(time.monotonic() - started, 1)}
        match = re.search(r"Generated in ([\d.]+) s; peak memory (\d+) MB", output)
        if match:
            generated["seconds"] = float(match[1])
            generated["peak_rss_mb"] = int(match[2])
    return url, generated


def release_count(url):
    import psycopg2

    connection = psycopg2.connect(url, connect_timeout=10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM press_release")
            return cursor.fetchone()[0]
    finally:
        connection.close()


# The site


def site_env(database_url, workdir, caching, prefix):
    return site_environment(
        database_url,
        workdir / "static",
        BENCH_FLOOR_FILE=workdir / "floor.html",
        CACHE_KEY_PREFIX=prefix,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        **PASSES[caching],
    )


def drain(base):
    """Wait for the requests still queued when wrk stopped: sync workers serve them all, and
    they would slow down the start of the next measurement. Two requests to the floor in a row
    come back once the queue ahead of them is empty."""
    for _ in range(2):
        with urllib.request.urlopen(base + FLOOR, timeout=300) as response:
            response.read()


# wrk, with every path of the site

MIXED_SCRIPT = """
local paths = {%(paths)s}
local limit = %(limit)d
local sent = 0
local done = 0

request = function()
  sent = sent + 1
  return wrk.format("GET", paths[(sent - 1) %% #paths + 1])
end

response = function(status, headers, body)
  done = done + 1
  if done >= limit then
    wrk.thread:stop()
  end
end
"""


def memory_phase(base, paths, requests, seconds, workdir, threads):
    """`requests` requests spread evenly over `paths` (each wrk thread stops at its share),
    or `seconds` if that comes first."""
    script = workdir / "mixed.lua"
    script.write_text(
        MIXED_SCRIPT
        % {
            "paths": ", ".join(json.dumps(path) for path in paths),
            "limit": -(-requests // threads),
        }
    )
    return figures(wrk(base + paths[0], seconds, connections=4, threads=threads, script=script))


# In-process probe: queries, bytes, the floor, search timings


def probe(output, write_floor, time_searches, slow_limit):
    """Runs in a subprocess with the pass's environment; writes its findings as JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client

    # A failing page is reported in the results; its traceback would only bury the output.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    from press.models import Organization, Person, Release, ReleaseRead, Topic
    from press.views import RELEASES_PER_PAGE

    # Reads reach the database at most once a minute, moved after the response of whichever
    # request comes first after that: moved now, so that no page below is counted with it.
    ReleaseRead.objects.move_waiting_when_due()

    live = Release.objects.live()
    live_count = live.count()
    deep = min(DEEP_PAGE, max(1, -(-live_count // RELEASES_PER_PAGE)))
    with_quotes = live.filter(quotes__isnull=False).distinct().order_by("-published_at")
    without_quotes = live.filter(quotes__isnull=True).order_by("-published_at")
    live_ids = live.values("pk")
    topics = Topic.objects.annotate(
        n=Count("tagged_releases", filter=Q(tagged_releases__content_object__in=live_ids))
    ).filter(n__gt=0)
    people = Person.objects.annotate(n=Count("mentioned_in_releases")).filter(n__gt=0)
    organizations = Organization.objects.annotate(n=Count("bylined_releases")).filter(n__gt=0)

    def busiest_and_quietest(queryset):
        return [queryset.order_by("-n", "pk").first(), queryset.order_by("n", "pk").first()]

    # Each page: the URL benchmarked, and another of the same kind for the query count.
    pages = {
        "home": ["/"],
        "release list p1": ["/releases/", "/releases/?page=2"],
        f"release list p{deep}": [f"/releases/?page={deep}", f"/releases/?page={deep - 1 or 1}"],
        "release": [
            with_quotes[min(100, with_quotes.count() - 1)].get_absolute_url(),
            without_quotes.first().get_absolute_url(),
        ],
        "topic": [topic.get_absolute_url() for topic in busiest_and_quietest(topics)],
        "person": [person.get_absolute_url() for person in busiest_and_quietest(people)],
        "organization": [org.get_absolute_url() for org in busiest_and_quietest(organizations)],
        "search": [f"/search/?q={COMMON_WORD}", "/search/?q=toolkit"],
        "feed": ["/feeds/releases/rss/"],
        "sitemap": ["/sitemap.xml"],
    }
    client = Client(HTTP_HOST="127.0.0.1")
    found = {}
    for name, paths in pages.items():
        found[name] = {"path": paths[0], "alternates": []}
        for n, path in enumerate(paths):
            measured = measure(client, connection, path, slow_limit)
            content = measured.pop("content", None)
            if n:
                found[name]["alternates"].append(measured)
                continue
            found[name].update(measured)
            if "error" in measured:
                break  # not benchmarked, so no alternate either
            if name == "release" and write_floor:
                Path(write_floor).write_bytes(content)
    if write_floor and not Path(write_floor).exists():
        # The release page failed: the floor stands in with 20 KB, as the reference figure.
        Path(write_floor).write_bytes(b"<!DOCTYPE html><p>" + b"x" * 20_000 + b"</p>\n")
        found["release"]["floor_stand_in"] = True
    result = {
        "pages": found,
        "data": {
            "releases": Release.objects.count(),
            "live_releases": live_count,
            "topics": Topic.objects.count(),
            "people": Person.objects.count(),
            "organizations": Organization.objects.count(),
        },
    }
    if time_searches:
        result["search"] = search_timings(client)
    Path(output).write_text(json.dumps(result))


def measure(client, connection, path, slow_limit):
    """One warm request, then one counted: status, bytes, queries, seconds. A page slower
    than `slow_limit` seconds, or failing, gets an "error" instead and is not benchmarked."""
    from django.test.utils import CaptureQueriesContext

    try:
        with CaptureQueriesContext(connection) as first_queries:
            started = time.perf_counter()
            client.get(path)  # first-use costs, and the cache entries
            first = time.perf_counter() - started
        if first > slow_limit:
            return {"path": path, "error": f"{first:.1f} s for one request"}
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            seconds = time.perf_counter() - started
    except Exception as error:  # a timed-out statement, a template error: report, go on
        message = " ".join(str(error).split())
        return {"path": path, "error": f"{type(error).__name__}: {message}"[:300]}
    return {
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(queries),
        "in_process_ms": round(seconds * 1000, 1),
        "first_queries": len(first_queries),
        "first_ms": round(first * 1000, 1),
        "content": response.content,
    }


def search_timings(client, budget=SEARCH_SECONDS):
    """SEARCH_RUNS searches, one after another, of SEARCHES shuffled: milliseconds each. Cut
    short after `budget` seconds, when search is that slow (the count made is reported)."""
    order = (SEARCHES * (SEARCH_RUNS // len(SEARCHES) + 1))[:SEARCH_RUNS]
    random.Random(0).shuffle(order)
    timings = []
    deadline = time.monotonic() + budget
    for words in order:
        if time.monotonic() > deadline and len(timings) >= len(SEARCHES):
            break
        started = time.perf_counter()
        response = client.get("/search/", {"q": words})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (words, response.status_code)
    cuts = statistics.quantiles(timings, n=100)
    return {
        "runs": len(timings),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "max_ms": round(max(timings), 1),
        "queries": SEARCHES,
    }


def run_probe(env, workdir, write_floor, time_searches, slow_limit):
    output = workdir / "probe.json"
    command = [
        PYTHON,
        "-m",
        "bench.run",
        "--probe",
        str(output),
        f"--slow-limit={slow_limit}",
    ]
    if write_floor:
        command += ["--write-floor", env["BENCH_FLOOR_FILE"]]
    if time_searches:
        command.append("--time-searches")
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=1800)
    return json.loads(output.read_text())


# The run


def run_pass(caching, args, database_url, workdir, prefix):
    env = site_env(database_url, workdir, caching, prefix)
    env["BENCH_STATEMENT_TIMEOUT_MS"] = str(args.statement_timeout * 1000)
    first = caching == "off"
    say(f"\nCaching {caching}: counting queries in-process...")
    # The floor is the release page's bytes from whichever pass runs first.
    write_floor = not Path(env["BENCH_FLOOR_FILE"]).exists()
    found = run_probe(
        env, workdir, write_floor=write_floor, time_searches=first, slow_limit=args.slow_limit
    )
    found["pages"]["floor"] = {
        "path": FLOOR,
        "bytes": Path(env["BENCH_FLOOR_FILE"]).stat().st_size,
    }
    server = start_gunicorn(
        env, workdir / "gunicorn.log", ready_path=FLOOR, app="bench.wsgi:application"
    )
    base = server.base
    total = 0
    try:
        for name, page in found["pages"].items():
            if "error" in page:
                # Load on a page this slow would only queue requests behind it and spoil the
                # pages measured after it.
                say(f"  {name:<20} not load-tested: {page['error']}")
                continue
            wrk(base + page["path"], 2, connections=4, threads=args.threads)  # warm-up
            drain(base)
            result = figures(
                wrk(base + page["path"], args.duration, args.connections, args.threads)
            )
            drain(base)
            total += result["requests"]
            page.update(result)
            say(
                f"  {name:<20} {result['requests_per_second']:>9.1f} req/s  "
                f"p50 {result['p50_ms'] or 0:>8.1f} ms  p99 {result['p99_ms'] or 0:>8.1f} ms"
                + (f"  NON-2xx {result['non_2xx']}" if result["non_2xx"] else "")
            )
        if first and args.memory_requests:
            paths = [
                page["path"]
                for name, page in found["pages"].items()
                if name != "floor" and "error" not in page
            ]
            say(f"  {args.memory_requests:,} requests over all pages, for memory...")
            mixed = memory_phase(
                base, paths, args.memory_requests, args.memory_seconds, workdir, args.threads
            )
            total += mixed["requests"]
            found["memory_phase"] = mixed
        found["workers"] = [memory(pid) for pid in worker_pids(server)]
        found["requests_served"] = total
    finally:
        stop_gunicorn(server)
    return found


def rate(page):
    """Requests per second; 0 for a page not load-tested (too slow or failing)."""
    return page.get("requests_per_second", 0.0)


def slowest_p99(page):
    return page.get("p99_ms") or float("inf")


def verdicts(passes, generated):
    """Each target: what was measured, and whether it is met. A page not load-tested misses
    every target it is part of."""
    off, on = passes.get("off"), passes.get("on")
    checks = []

    def check(name, measured, met, detail=""):
        checks.append({"target": name, "measured": measured, "met": met, "detail": detail})

    if off:
        pages = off["pages"]
        public = [name for name in pages if name != "floor"]
        floor = rate(pages["floor"])
        worst = min(public, key=lambda name: rate(pages[name]))
        below = [n for n in public if rate(pages[n]) < TARGETS["uncached_share"] * floor]
        check(
            f"caching off: every public page >= {TARGETS['uncached_share']:.0%} of the floor",
            f"lowest {worst} {rate(pages[worst]) / floor:.1%}"
            + (" (not load-tested)" if "error" in pages[worst] else ""),
            not below,
            f"below: {', '.join(below)}" if below else "",
        )
        slowest = max(public, key=lambda name: slowest_p99(pages[name]))
        over = [n for n in public if slowest_p99(pages[n]) >= TARGETS["uncached_p99_ms"]]
        check(
            f"caching off: p99 < {TARGETS['uncached_p99_ms']} ms at 16 connections",
            f"highest {slowest} "
            + (
                f"{pages[slowest]['p99_ms']:.0f} ms"
                if pages[slowest].get("p99_ms")
                else "(not load-tested)"
            ),
            not over,
            f"over: {', '.join(over)}" if over else "",
        )
        first = "release list p1"
        deep = next(n for n in pages if n.startswith("release list p") and n != first)
        slowdown = rate(pages[first]) / rate(pages[deep]) if rate(pages[deep]) else float("inf")
        check(
            f"{deep} no slower than {TARGETS['deep_page_slowdown']:.0f}x page 1 (caching off)",
            f"{slowdown:.2f}x the time (p50 {pages[deep].get('p50_ms')} ms vs "
            f"{pages[first].get('p50_ms')} ms)",
            slowdown <= TARGETS["deep_page_slowdown"],
        )
        if "search" in off:
            p95 = off["search"]["p95_ms"]
            check(
                f"search p95 < {TARGETS['search_p95_ms']} ms "
                f"({off['data']['releases']:,} releases, in-process)",
                f"{p95:.0f} ms over {off['search']['runs']} searches",
                p95 < TARGETS["search_p95_ms"],
            )
        counted = [name for name in public if "queries" in pages[name]]
        uneven = [
            f"{name} {pages[name]['queries']} vs {other.get('queries', other.get('error'))}"
            for name in counted
            for other in pages[name].get("alternates", [])
            if other.get("queries") != pages[name]["queries"]
        ]
        uncounted = [name for name in public if name not in counted]
        most = max(counted, key=lambda name: pages[name]["queries"]) if counted else None
        notes = ([f"not constant: {'; '.join(uneven)}"] if uneven else []) + (
            [f"not counted: {', '.join(uncounted)}"] if uncounted else []
        )
        check(
            f"queries constant per page and <= {TARGETS['queries']} (caching off)",
            f"most {most} {pages[most]['queries']}" if most else "none counted",
            not uneven and not uncounted and pages[most]["queries"] <= TARGETS["queries"],
            "; ".join(notes),
        )
        if counted:
            cold = max(counted, key=lambda name: pages[name]["first_queries"])
            check(
                f"the same, on the first request after a content change (<= {TARGETS['queries']})",
                f"most {cold} {pages[cold]['first_queries']}",
                pages[cold]["first_queries"] <= TARGETS["queries"],
                ", ".join(
                    f"{name} {pages[name]['first_queries']} q {pages[name]['first_ms']:.0f} ms"
                    for name in counted
                ),
            )
        if off.get("workers"):
            largest = max(worker["rss_mb"] for worker in off["workers"])
            served = off.get("memory_phase", {}).get("requests", 0)
            # Too few requests (slow pages, a short run) prove nothing either way.
            enough = off["requests_served"] >= TARGETS["memory_after_requests"]
            check(
                f"a worker < {TARGETS['worker_rss_mb']} MB resident after "
                f"{TARGETS['memory_after_requests']:,} requests",
                f"largest {largest:.0f} MB",
                largest < TARGETS["worker_rss_mb"] if enough else None,
                f"after {off['requests_served']:,} requests to the server, "
                f"{served:,} of them over all pages at the end",
            )
    if on:
        floor = rate(on["pages"]["floor"])
        for name in ("home", "release"):
            share = rate(on["pages"][name]) / floor
            check(
                f"caching on: {name} >= {TARGETS['cached_share']:.0%} of the floor",
                f"{share:.1%}",
                share >= TARGETS["cached_share"],
            )
    if generated and "seconds" in generated:
        check(
            "generate_data < 5 minutes",
            f"{generated['seconds']:.0f} s",
            generated["seconds"] < TARGETS["generate_seconds"],
        )
        check(
            "generate_data < 1 GB",
            f"{generated['peak_rss_mb']} MB",
            generated["peak_rss_mb"] < TARGETS["generate_rss_mb"],
        )
    return checks


def cell(value, spec, width):
    return f"{value:{spec}}" if value is not None else f"{'-':>{width}}"


def table(passes):
    names = list(next(iter(passes.values()))["pages"])
    width = max(len(name) for name in names)
    head = f"{'page':<{width}}  {'bytes':>7}"
    for caching in passes:
        head += f" | {'caching ' + caching:<11} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}"
        head += f" {'queries':>7} {'floor':>6}"
    lines = [head, "-" * len(head)]
    notes = []
    for name in names:
        first = next(iter(passes.values()))["pages"][name]
        line = f"{name:<{width}}  {cell(first.get('bytes'), '>7,', 7)}"
        for caching, found in passes.items():
            page = found["pages"][name]
            share = rate(page) / rate(found["pages"]["floor"])
            line += (
                f" | {'':<11} {cell(page.get('requests_per_second'), '>8.1f', 8)} "
                f"{cell(page.get('p50_ms'), '>7.1f', 7)} {cell(page.get('p99_ms'), '>7.1f', 7)} "
                f"{cell(page.get('queries'), '>7', 7)} {share:>6.1%}"
            )
            if "error" in page:
                notes.append(f"{name}, caching {caching}: not load-tested: {page['error']}")
            elif page.get("non_2xx"):
                notes.append(f"{name}, caching {caching}: {page['non_2xx']} non-2xx responses")
        lines.append(line)
    return "\n".join(lines + [""] + notes if notes else lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of wrk per page.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-requests", type=int, default=10_000, help="0 skips it.")
    parser.add_argument("--memory-seconds", type=int, default=180)
    parser.add_argument(
        "--passes", default="off,on", help="Caching passes to run: off, on, or off,on."
    )
    parser.add_argument(
        "--generate-args", default="", help="Options for generate_data when it has to run."
    )
    parser.add_argument(
        "--slow-limit",
        type=float,
        default=5.0,
        help="A page slower than this (seconds, one request) is reported, not load-tested.",
    )
    parser.add_argument(
        "--statement-timeout",
        type=int,
        default=30,
        help="Seconds any SQL statement may take, in-process and in the server.",
    )
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--write-floor", help=argparse.SUPPRESS)
    parser.add_argument("--time-searches", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe, args.write_floor, args.time_searches, args.slow_limit)
        return 0
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        say("wrk is not installed: apt-get install -y wrk")
        return 2

    started = datetime.datetime.now(datetime.UTC)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    database_url, generated = ensure_database(args)
    passes = {}
    prefix = f"bench-{stamp}"
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        workdir = Path(tmp)
        say("Collecting static files...")
        manage(site_env(database_url, workdir, "off", prefix), "collectstatic", "--noinput")
        try:
            for caching in args.passes.split(","):
                passes[caching] = run_pass(caching, args, database_url, workdir, prefix)
        finally:
            delete_cache_keys(os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL), prefix)

    checks = verdicts(passes, generated)
    say()
    say(table(passes))
    say()
    first = next(iter(passes.values()))
    say("Data: " + ", ".join(f"{count:,} {kind}" for kind, count in first["data"].items()))
    if "search" in first:
        search = first["search"]
        say(
            f"Search, {search['runs']} sequential in-process: p50 {search['p50_ms']} ms, "
            f"p95 {search['p95_ms']} ms, max {search['max_ms']} ms"
        )
    for caching, found in passes.items():
        for worker in found.get("workers", []):
            say(
                f"Caching {caching}: worker {worker['pid']} {worker['rss_mb']} MB resident "
                f"(peak {worker['peak_rss_mb']} MB) after {found['requests_served']:,} "
                "requests to the server"
            )
    say()
    print_checks(checks)

    path = write_results(
        f"bench-{stamp}",
        {
            "started": started.isoformat(),
            "finished": datetime.datetime.now(datetime.UTC).isoformat(),
            "load_average": os.getloadavg(),
            "cores": os.cpu_count(),
            "wrk": {
                "threads": args.threads,
                "connections": args.connections,
                "seconds": args.duration,
            },
            "database": database_name(database_url),
            "generate_data": generated,
            "passes": passes,
            "targets": checks,
        },
    )
    say(f"\nFull results: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
