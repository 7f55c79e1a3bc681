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
     constant; then, everything kept made stale as a publish makes it, the next request's
     queries and time (the page cold); in the first pass also the release
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
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.run_report import table, verdicts
from bench.server import (
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
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


def run_probe(env, workdir, write_floor, time_searches, slow_limit):
    output = workdir / "probe.json"
    command = [
        PYTHON,
        "-m",
        "bench.run_probe",
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
    args = parser.parse_args()
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
            f"p95 {search['p95_ms']} ms, max {search['max_ms']} ms; each search's first run: "
            f"p50 {search['first_p50_ms']} ms, p95 {search['first_p95_ms']} ms, "
            f"max {search['first_max_ms']} ms"
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
