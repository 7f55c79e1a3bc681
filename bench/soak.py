"""Soak test: mixed public traffic against gunicorn for minutes, then errors, worker restarts and
memory growth. Run on demand, never in `make test`:

    .venv/bin/python bench/soak.py                      (64 connections, 120 s)
    .venv/bin/python bench/soak.py --duration 30 --connections 16
    SOAK_DATABASE_URL=postgres://... .venv/bin/python bench/soak.py     (a database of your own)

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
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402 (the repository's root is on the path first)
    PYTHON,
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


def run_wrk(url, script, seconds, connections, threads):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
               "--timeout=30s", "-s", str(script), url]  # fmt: skip
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout
    result = {"requests": int(re.search(r"(\d+) requests in", output)[1])}
    result["requests_per_second"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    for percentile in ("50", "90", "99"):
        match = re.search(rf"^\s+{percentile}%\s+(\S+)", output, re.MULTILINE)
        result[f"latency_p{percentile}"] = match[1] if match else None
    statuses = re.search(r"^STATUSES(.*)$", output, re.MULTILINE)
    result["statuses"] = {
        code: int(count)
        for code, count in re.findall(r"(\d+)=(\d+)", statuses[1] if statuses else "")
    }
    result["bad_statuses"] = sum(n for code, n in result["statuses"].items() if code[0] not in "23")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["socket_errors"] = sum(map(int, sockets.groups())) if sockets else 0
    result["errors"] = result["bad_statuses"] + result["socket_errors"]
    return result


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
        run_wrk(base + "/", script, args.warmup, args.connections, args.threads)
        before = worker_pids(server)
        start_rss = resident_mb(before)
        say(f"Workers {before}, RSS {start_rss} MB; soak {args.duration} s at "
            f"{args.connections} connections")  # fmt: skip
        samples, stop = [], threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(before, 10, stop, samples))
        sampler.start()
        try:
            soak = run_wrk(base + "/", script, args.duration, args.connections, args.threads)
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
    say(f"Latency p50 {soak['latency_p50']}, p90 {soak['latency_p90']}, p99 {soak['latency_p99']}")
    say(f"Workers {before} -> {after}; RSS {start_rss} -> {end_rss} MB; growth {growth} %")
    say(f"Written {output.relative_to(ROOT)}")
    say("FAILED: " + "; ".join(failures) if failures else "OK: no errors, no restarts, RSS growth "
        f"under {MEMORY_LIMIT:g} %")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
