"""Soak test: mixed public traffic against gunicorn for minutes, then errors, worker restarts and
memory growth. Run on demand, never in `make test`:

    .venv/bin/python -m bench.soak                      (64 connections, 120 s)
    .venv/bin/python -m bench.soak --duration 30 --connections 16
    SOAK_DATABASE_URL=postgres://... .venv/bin/python -m bench.soak     (a database of your own)

1. The database: SOAK_DATABASE_URL (or --database-url) as it is, after `migrate`; else the
   scratch PostgreSQL database newsroom_soak, created if missing, migrated and filled by
   `load_demo` (idempotent). It is kept: `dropdb -h 127.0.0.1 -U postgres newsroom_soak`.
2. Production settings (DEBUG off, a real secret key, hashed static files collected into a
   temporary directory, whitenoise) except plain HTTP on 127.0.0.1. With REDIS_URL (or
   --redis-url) the page cache is shared in Redis under a key prefix of this run's own, deleted
   at the end; --page-cache-seconds 0 renders every request.
3. gunicorn, 2 sync workers, --no-control-socket, on a free port of 127.0.0.1.
4. wrk with a Lua script rotating over home, list, releases, topics, searches and the feed:
   a warm-up (not counted), then each worker's PID and resident memory, then the soak itself
   (64 connections, 120 s), sampling memory every 10 s, then PIDs and memory again.
5. A summary, the same as JSON in bench/results/soak-<time>.json, and the exit status: 1 if any
   request failed (a status other than 2xx/3xx, or a socket error), a worker was restarted, or a
   worker's resident memory grew by 10 % or more.

wrk and gunicorn share the machine's cores: requests per second are for comparing runs made the
same way, not a capacity figure. Every step has a time limit; the server is stopped whatever
happens.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

from bench.server import (
    PYTHON,
    ROOT,
    create_database_if_missing,
    delete_cache_keys,
    manage,
    memory,
    say,
    site_env,
    start_gunicorn,
    stop_gunicorn,
    worker_pids,
    write_results,
)
from bench.wrk import figures, wrk

SCRATCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_soak"
MEMORY_LIMIT = 10.0  # per cent of growth, per worker

# Each request takes the next path; `statuses` is gathered from every thread at the end.
SCRIPT = """
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
  sent = 0
end
function request()
  sent = sent + 1
  return wrk.format("GET", paths[(sent + offset) %% #paths + 1])
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      total[code] = (total[code] or 0) + count
    end
  end
  io.write("STATUSES")
  for code, count in pairs(total) do io.write(" " .. code .. "=" .. count) end
  io.write("\\n")
end
"""


PATHS_SCRIPT = """
import json
from press.models import Release, Topic
releases = [r.get_absolute_url() for r in Release.objects.live().order_by("-published_at")[:6]]
topics = [t.get_absolute_url() for t in Topic.objects.popular()[:3]]
words = [r.title.split()[0] for r in Release.objects.live()[:3]] + ["resilience", "heat"]
print(json.dumps({"releases": releases, "topics": topics, "words": words}))
"""


def traffic_paths(env):
    """The mix: home, list (two pages), six releases, three topics, five searches, the feed."""
    output = manage(env, "shell", "-c", PATHS_SCRIPT, capture=True)
    found = json.loads(output.strip().splitlines()[-1])
    assert found["releases"] and found["topics"], "the database has no live releases or topics"
    searches = [f"/search/?q={urllib.request.quote(word)}" for word in found["words"]]
    lists = ["/", "/releases/", "/releases/?page=2", "/feeds/releases/rss/"]
    return lists + found["releases"] + found["topics"] + searches


def soak_figures(report):
    """wrk's figures, with the statuses the script counted and the failed requests (a status
    other than 2xx or 3xx, or a socket error)."""
    found = figures(report)
    statuses = re.search(r"^STATUSES(.*)$", report, re.MULTILINE)
    found["statuses"] = {
        code: int(count)
        for code, count in re.findall(r"(\d+)=(\d+)", statuses[1] if statuses else "")
    }
    bad = sum(n for code, n in found["statuses"].items() if code[0] not in "23")
    found["errors"] = bad + found["socket_errors"]
    return found


def resident_mb(pids):
    """Each live worker's resident memory, by pid."""
    return {str(pid): memory(pid)["rss_mb"] for pid in pids if Path(f"/proc/{pid}").exists()}


def sample_memory(pids, every, stop, samples):
    while not stop.wait(every):
        samples.append(resident_mb(pids))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=120, help="seconds of soak")
    parser.add_argument("--warmup", type=int, default=15, help="seconds before measuring")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("SOAK_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    parser.add_argument("--page-cache-seconds", type=int, help="default: as in production")
    args = parser.parse_args()

    database_url = args.database_url or SCRATCH_DATABASE_URL
    prefix = f"soak-{secrets.token_hex(4)}"
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-soak-"))
    settings = {"CACHE_KEY_PREFIX": prefix, "SECRET_KEY": secrets.token_urlsafe(50)}
    if args.redis_url:
        settings["REDIS_URL"] = args.redis_url
    if args.page_cache_seconds is not None:
        settings["PAGE_CACHE_SECONDS"] = args.page_cache_seconds
    env = site_env(database_url, workdir / "static", **settings)
    if not args.database_url:
        create_database_if_missing(database_url)
    say(f"Database {database_url}: migrate{'' if args.database_url else ', load_demo'}")
    manage(env, "migrate", "--noinput")
    if not args.database_url:
        manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    paths = traffic_paths(env)
    script = workdir / "mixed.lua"
    script.write_text(SCRIPT % {"paths": ", ".join(json.dumps(path) for path in paths)})

    server = start_gunicorn(env, workdir / "gunicorn.log", log_level="info")
    base = server.base
    try:
        say(f"gunicorn on {base}; {len(paths)} paths; warm-up {args.warmup} s")
        wrk(base + "/", args.warmup, args.connections, args.threads, script)
        before = worker_pids(server)
        start_rss = resident_mb(before)
        say(f"Workers {before}, RSS {start_rss} MB; soak {args.duration} s at "
            f"{args.connections} connections")  # fmt: skip
        samples, stop = [], threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(before, 10, stop, samples))
        sampler.start()
        try:
            soak = soak_figures(
                wrk(base + "/", args.duration, args.connections, args.threads, script)
            )
        finally:
            stop.set()
            sampler.join()
        after = worker_pids(server)
        end_rss = resident_mb(after)
    finally:
        stop_gunicorn(server)
        if args.redis_url:
            delete_cache_keys(args.redis_url, prefix)
    log = (workdir / "gunicorn.log").read_text()
    shutil.rmtree(workdir, ignore_errors=True)
    growth = {
        pid: round((end_rss[pid] - start_rss[pid]) / start_rss[pid] * 100, 1)
        for pid in start_rss
        if pid in end_rss
    }
    restarted = before != after or "WORKER TIMEOUT" in log or log.count("Booting worker") > 2
    seconds = args.page_cache_seconds
    page_cache = ("production default" if seconds is None else f"{seconds} s") + (
        ", in Redis" if args.redis_url else ", in each worker's local memory"
    )
    result = {
        "time": datetime.datetime.now().isoformat(timespec="seconds"),
        "command": " ".join([Path(PYTHON).name, *sys.argv]),
        "database": database_url,
        "page_cache": page_cache,
        "paths": paths,
        "duration_s": args.duration,
        "connections": args.connections,
        **soak,
        "workers_before": before,
        "workers_after": after,
        "worker_restarted": restarted,
        "rss_start_mb": start_rss,
        "rss_end_mb": end_rss,
        "rss_samples_mb": samples,
        "rss_growth_percent": growth,
    }
    output = write_results(f"soak-{datetime.datetime.now():%Y%m%d-%H%M%S}", result)
    failures = []
    if soak["errors"]:
        failures.append(f"{soak['errors']} failed requests ({soak['statuses']}, "
                        f"{soak['socket_errors']} socket errors)")  # fmt: skip
    if restarted:
        failures.append(f"a worker was restarted: {before} -> {after}")
    if not growth or max(growth.values()) >= MEMORY_LIMIT:
        failures.append(f"resident memory grew {growth} % (limit {MEMORY_LIMIT:g} %)")
    say(f"Requests {soak['requests']} ({soak['requests_per_second']}/s), statuses "
        f"{soak['statuses']}, socket errors {soak['socket_errors']}")  # fmt: skip
    say(f"Latency p50 {soak['p50_ms']} ms, p90 {soak['p90_ms']} ms, p99 {soak['p99_ms']} ms")
    say(f"Workers {before} -> {after}; RSS {start_rss} -> {end_rss} MB; growth {growth} %")
    say(f"Written {output.relative_to(ROOT)}")
    say("FAILED: " + "; ".join(failures) if failures else "OK: no errors, no restarts, RSS growth "
        f"under {MEMORY_LIMIT:g} %")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
