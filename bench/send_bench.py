"""Send one release to 10,000 journalists through a local SMTP sink, with 1 and then 2 workers.

    .venv/bin/python bench/send_bench.py [--recipients 10000] [--workers 1,2]

Makes a scratch PostgreSQL database (newsroom_send_bench on 127.0.0.1:5432, user postgres, or
SEND_BENCH_DATABASE_URL: it is dropped at the end, so never point it at a database you keep),
migrates it, and adds the recipients on one media list. An aiosmtpd server that accepts and
drops every message listens on a free port on 127.0.0.1 only. For each worker count it starts
that many `manage.py db_worker` processes, waits until they are up, queues one send of the
release (a `send_mailing` task, exactly as the admin's "Send now" does) and waits until every
delivery is recorded. It prints the emails per second over the sending (first claim to last
email) and the total time from queueing to the last email, then stops every process and drops
the database, whatever happens. Each run is limited to RUN_LIMIT seconds.

Workers and the sink share the machine's cores: compare the two rows of one run, not figures
across machines or runs.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCRATCH_URL = os.environ.get(
    "SEND_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_send_bench"
)
RUN_LIMIT = 600  # seconds


def say(line=""):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_connection():
    import psycopg2

    name = SCRATCH_URL.rsplit("/", 1)[1]
    connection = psycopg2.connect(SCRATCH_URL.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    return connection, name


def recreate_database(drop_only=False):
    connection, name = admin_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def environment(smtp_port):
    env = {key: value for key, value in os.environ.items() if key not in ("TESTING", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=SCRATCH_URL,
        DEBUG="False",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="False",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    return env


def make_recipients(count):
    """A live release and `count` journalists on one list, written in bulk."""
    import datetime

    from django.utils import timezone

    from contacts.models import MediaContact, MediaList, Membership
    from press.models import Organization, Release

    byline = Organization.objects.create(name="Bench Organization", slug="bench-organization")
    release = Release.objects.create(
        title="Cities join forces on heat",
        slug="cities-join-forces-on-heat",
        byline=byline,
        status=Release.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=3),  # too old for an alert
        summary="Eleven cities share what works against extreme heat.",
        body="<p>Eleven cities share what works.</p>" * 20,
    )
    contacts = MediaContact.objects.bulk_create(
        (
            MediaContact(first_name="Reporter", last_name=f"{n:05d}", email=f"r{n:05d}@example.com")
            for n in range(count)
        ),
        batch_size=2000,
    )
    media_list = MediaList.objects.create(name="Everyone")
    Membership.objects.bulk_create(
        (Membership(media_list=media_list, contact=contact) for contact in contacts),
        batch_size=2000,
    )
    return release, media_list


def run(workers, release, media_list, env):
    """One send with `workers` db_worker processes; returns (emails/s, sending s, total s)."""
    from django.db.models import Max, Min

    from contacts.models import Mailing
    from contacts.tasks import enqueue_send

    processes = [
        subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval=0.1", "-v0"],
            cwd=ROOT,
            env=env,
        )
        for _ in range(workers)
    ]
    try:
        time.sleep(8)  # let them start: startup is not what we measure
        mailing = Mailing.objects.create(
            kind=Mailing.Kind.DISTRIBUTION, release=release, status=Mailing.Status.QUEUED
        )
        mailing.media_lists.set([media_list])
        queued_at = time.monotonic()
        enqueue_send(mailing)
        deadline = queued_at + RUN_LIMIT
        while True:
            done = mailing.deliveries.exclude(status__in=["queued", "sending"]).count()
            total = mailing.deliveries.count()
            if total and done == total:
                break
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                raise RuntimeError(f"Run with {workers} worker(s) stopped at {done} of {total}")
            time.sleep(0.2)
        total_seconds = time.monotonic() - queued_at
        rows = mailing.deliveries.aggregate(first=Min("claimed_at"), last=Max("sent_at"))
        sending_seconds = (rows["last"] - rows["first"]).total_seconds()
        sent = mailing.deliveries.filter(status="sent").count()
        assert sent == total, f"{total - sent} emails not sent"
        return sent, sent / sending_seconds, sending_seconds, total_seconds
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--workers", default="1,2")
    options = parser.parse_args()
    smtp_port = free_port()
    env = environment(smtp_port)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    sink = subprocess.Popen(
        [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c",
         "aiosmtpd.handlers.Sink"],
        cwd=ROOT,
    )  # fmt: skip
    recreate_database()
    try:
        say(f"Migrating the scratch database {SCRATCH_URL.rsplit('/', 1)[1]} ...")
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
        import django

        django.setup()
        release, media_list = make_recipients(options.recipients)
        say(f"{options.recipients} recipients, SMTP sink on 127.0.0.1:{smtp_port}")
        say()
        say(f"{'workers':>7}  {'emails':>6}  {'emails/s':>8}  {'sending s':>9}  {'total s':>7}")
        for workers in [int(n) for n in options.workers.split(",")]:
            sent, rate, sending, total = run(workers, release, media_list, env)
            say(f"{workers:>7}  {sent:>6}  {rate:>8.0f}  {sending:>9.1f}  {total:>7.1f}")
    finally:
        from django.db import connections

        connections.close_all()
        sink.terminate()
        sink.wait(10)
        recreate_database(drop_only=True)


if __name__ == "__main__":
    main()
