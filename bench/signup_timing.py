"""Sign-up timing: does /subscribe/ answer for an address already confirmed faster or slower
than for a new one? If it does, anyone can learn who subscribes by timing the form.

    .venv/bin/python -m bench.signup_timing                  (200 requests each, about a minute)
    .venv/bin/python -m bench.signup_timing --requests 50
    SIGNUP_TIMING_DATABASE_URL=postgres://... .venv/bin/python -m bench.signup_timing

1. A scratch PostgreSQL database, newsroom_signup_timing on 127.0.0.1:5432 (or
   SIGNUP_TIMING_DATABASE_URL): dropped, created, migrated, and dropped again at the end, so
   never point it at a database you keep. It gets a confirmed subscriber for each client
   (confirmed<n>@example.org), of which every other one signs up.
2. An SMTP server (aiosmtpd) on a free port of 127.0.0.1 that accepts every message and counts
   them by subject.
3. The site as production runs it (bench/server.py: DEBUG off, hashed static files, gunicorn
   with 2 sync workers on a free port of 127.0.0.1), sending mail to that server, tasks on
   the database backend, rate limits in Redis (--redis-url; under a key prefix of the run's
   own, deleted at the end) or, without it, in each worker's memory.
4. Warm-up sign-ups, then `--requests` sign-ups of new addresses and as many of confirmed
   ones, one at a time, alternating which kind goes first in each pair so that drift on a
   shared machine falls on both. Each request is a new connection from its own loopback
   address (127.1.x.y: Linux routes all of 127.0.0.0/8 to loopback), as many clients would
   be, so the per-network limit (5 in 10 minutes) never refuses one. Each is timed from
   connecting to the last byte of the answer, which must be the 302 of a sign-up.
5. The emails the server received during the requests; then one `db_worker --batch` runs
   what the requests queued, and the emails it sent are counted too.

Printed: median, p90 and max per kind, the difference of the medians, and the email counts;
the same with every timing in bench/results/signup-timing-<time>.json. gunicorn, PostgreSQL
and this script share the machine's cores: compare the two kinds within one run.
"""

import argparse
import collections
import datetime
import email
import email.policy
import http.client
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.server import (
    PYTHON,
    ROOT,
    database_name,
    delete_cache_keys,
    drop_database,
    free_port,
    manage,
    recreate_database,
    say,
    site_env,
    start_gunicorn,
    stop_gunicorn,
    write_results,
)

SCRATCH_URL = os.environ.get(
    "SIGNUP_TIMING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_signup_timing"
)
WARMUP = 20  # sign-ups of each kind, not counted

SUBSCRIBERS_SCRIPT = """
from django.utils import timezone
from contacts.models import Subscriber
now = timezone.now()
Subscriber.objects.bulk_create(
    Subscriber(email=f"confirmed{n}@example.org", status="confirmed", consented_at=now,
               confirmed_at=now)
    for n in range(%d)
)
"""


class Inbox:
    """An SMTP handler that accepts every message and counts them by subject."""

    def __init__(self):
        self.subjects = collections.Counter()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.subjects[str(message["Subject"])] += 1
        return "250 OK"

    def total(self):
        return sum(self.subjects.values())


def start_smtp(inbox):
    from aiosmtpd.controller import Controller

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def client_address(n):
    """The n-th loopback address from 127.1.0.1 on, a client of its own."""
    return f"127.1.{n // 250}.{n % 250 + 1}"


def sign_up(base, address, source):
    """Seconds from connecting to the end of the answer of one sign-up sent from `source`."""
    parts = urllib.parse.urlsplit(base)
    body = urllib.parse.urlencode({"email": address, "consent": "on"})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request("POST", "/subscribe/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    if response.status != 302:
        raise RuntimeError(f"The sign-up of {address} answered {response.status}, not 302")
    return seconds


def run_pairs(base, count, client):
    """`count` pairs of sign-ups (a new address, a confirmed one), alternating which goes
    first, from client number `client` on; the seconds of each kind, and the next client."""
    times = {"new": [], "confirmed": []}
    for n in range(count):
        for kind in ["new", "confirmed"] if n % 2 == 0 else ["confirmed", "new"]:
            address = f"{kind}{client}@example.org"
            times[kind].append(sign_up(base, address, client_address(client)))
            client += 1
    return times, client


def summary(seconds):
    milliseconds = sorted(value * 1000 for value in seconds)
    return {
        "median_ms": round(statistics.median(milliseconds), 2),
        "p90_ms": round(statistics.quantiles(milliseconds, n=10)[8], 2),
        "max_ms": round(milliseconds[-1], 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="sign-ups of each kind")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    options = parser.parse_args()

    inbox = Inbox()
    smtp = start_smtp(inbox)
    prefix = f"signup-timing-{secrets.token_hex(4)}"
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-signup-timing-"))
    settings = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CACHE_KEY_PREFIX": prefix,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": smtp.port,
        "EMAIL_USE_TLS": "False",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    if options.redis_url:
        settings["REDIS_URL"] = options.redis_url
    env = site_env(SCRATCH_URL, workdir / "static", **settings)
    server = None
    try:
        say(f"Scratch database {database_name(SCRATCH_URL)}: create, migrate, subscribers")
        recreate_database(SCRATCH_URL)
        manage(env, "migrate", "--noinput")
        manage(env, "shell", "-c", SUBSCRIBERS_SCRIPT % (2 * (options.requests + WARMUP)))
        manage(env, "collectstatic", "--noinput")
        server = start_gunicorn(env, workdir / "gunicorn.log")
        say(f"gunicorn on {server.base}, SMTP on 127.0.0.1:{smtp.port}; warm-up {WARMUP} pairs")
        _, client = run_pairs(server.base, WARMUP, 0)
        warmup_emails = inbox.total()
        say(f"Timing {options.requests} sign-ups of each kind, one at a time")
        times, _ = run_pairs(server.base, options.requests, client)
        during = inbox.total() - warmup_emails
        stop_gunicorn(server)
        server = None
        worker = ["db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0"]
        manage(env, *worker, timeout=300)
        deadline = time.monotonic() + 10  # the last messages may still be in the SMTP thread
        while inbox.total() == warmup_emails + during and time.monotonic() < deadline:
            time.sleep(0.2)
        by_worker = inbox.total() - warmup_emails - during
    finally:
        if server is not None:
            stop_gunicorn(server)
        smtp.stop()
        drop_database(SCRATCH_URL)
        if options.redis_url:
            delete_cache_keys(options.redis_url, prefix)
        shutil.rmtree(workdir, ignore_errors=True)

    figures = {kind: summary(seconds) for kind, seconds in times.items()}
    difference = figures["new"]["median_ms"] - figures["confirmed"]["median_ms"]
    say()
    say(f"{'address':<10} {'requests':>8} {'median ms':>10} {'p90 ms':>8} {'max ms':>8}")
    for kind, figure in figures.items():
        say(f"{kind:<10} {len(times[kind]):>8} {figure['median_ms']:>10.2f} "
            f"{figure['p90_ms']:>8.2f} {figure['max_ms']:>8.2f}")  # fmt: skip
    say(f"Median of new minus median of confirmed: {difference:+.2f} ms")
    say(f"Emails sent while the requests ran: {during}; by the worker afterwards, warm-ups "
        f"included: {by_worker}")  # fmt: skip
    for subject, count in sorted(inbox.subjects.items()):
        say(f"  {count:>4}  {subject}")
    result = {
        "time": datetime.datetime.now().isoformat(timespec="seconds"),
        "command": " ".join([Path(PYTHON).name, *sys.argv]),
        "requests_per_kind": options.requests,
        "warmup_pairs": WARMUP,
        "rate_limits": "Redis" if options.redis_url else "each worker's memory",
        "load_average": os.getloadavg(),
        **figures,
        "median_difference_ms": round(difference, 2),
        "emails_during_requests": during,
        "emails_by_worker": by_worker,
        "subjects": dict(inbox.subjects),
        "seconds": {kind: [round(value, 6) for value in values] for kind, values in times.items()},
    }
    path = write_results(f"signup-timing-{datetime.datetime.now():%Y%m%d-%H%M%S}", result)
    say(f"Written {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
