"""Send one release to 10,000 journalists through a local SMTP sink, with 1 and then 2 workers;
or, with --kill, SIGKILL a worker mid-send and measure what it costs.

    .venv/bin/python -m bench.send_bench [--recipients 10000] [--workers 1,2]
    .venv/bin/python -m bench.send_bench --kill [--recipients 2000] [--workers 2] [--rounds 3]

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

--kill: each round starts the workers and one `run_dispatcher` (every 30 s, as in production),
queues a send, and once a quarter of it is out SIGKILLs the worker holding claims, as the
kernel's out-of-memory killer would. It waits until every email is recorded and the killed
worker's task has been recovered, then prints: the rows the dead worker held (stranded) and
how many of them it had begun (its attempt recorded before the SMTP transaction: 0 or 1), the
recipients who got the email twice (counted from what the sink received: it prints each
message's recipients to a file), the seconds from the kill until the last stranded email went
out, and what became of the dead worker's task. With the default WORKER_TIMEOUT_SECONDS (20)
recovery takes 20 to 50 seconds: the lease, then the dispatcher's next turn.
"""

import argparse
import collections
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from bench.server import (
    PYTHON,
    ROOT,
    database_name,
    drop_database,
    free_port,
    recreate_database,
    say,
)

SCRATCH_URL = os.environ.get(
    "SEND_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_send_bench"
)
RUN_LIMIT = 600  # seconds


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

    from contacts.mailings.tasks import enqueue_send
    from contacts.models import Mailing

    processes = start_workers(workers, env)
    try:
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
        rows = mailing.deliveries.aggregate(first=Min("attempted_at"), last=Max("sent_at"))
        sending_seconds = (rows["last"] - rows["first"]).total_seconds()
        sent = mailing.deliveries.filter(status="sent").count()
        assert sent == total, f"{total - sent} emails not sent"
        return sent, sent / sending_seconds, sending_seconds, total_seconds
    finally:
        stop(processes)


def start_workers(count, env, dispatcher=False):
    """`count` db_worker processes, and a run_dispatcher if asked, given time to start:
    startup is not what we measure."""
    command = [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval=0.1", "-v0"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(count)]
    if dispatcher:
        command = [PYTHON, "manage.py", "run_dispatcher", "-v0"]
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env))
    time.sleep(8)
    return processes


class RecipientLog:
    """The sink of --kill (`aiosmtpd -c bench.send_bench.RecipientLog`): accepts every message
    and prints its recipients, one a line."""

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            print(address, flush=True)  # noqa: T201 (the sink's output is its record)
        return "250 OK"


def received_since(sink_log, offset):
    """{recipient: messages} the sink printed after `offset` in its log, and the new offset."""
    with open(sink_log, "rb") as log:
        log.seek(offset)
        text = log.read()
    return collections.Counter(text.decode().split()), offset + len(text)


def kill_run(workers, release, media_list, env, sink_log, offset):
    """One send during which the worker holding claims is SIGKILLed; returns the figures."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from contacts.mailings.tasks import enqueue_send
    from contacts.models import Mailing

    processes = start_workers(workers, env, dispatcher=True)
    try:
        mailing = Mailing.objects.create(
            kind=Mailing.Kind.DISTRIBUTION, release=release, status=Mailing.Status.QUEUED
        )
        mailing.media_lists.set([media_list])
        enqueue_send(mailing)
        deadline = time.monotonic() + RUN_LIMIT
        pids = {str(process.pid) for process in processes}
        while True:
            if time.monotonic() > deadline:
                raise RuntimeError("the send never reached a quarter")
            total = mailing.deliveries.count()
            if total and mailing.deliveries.filter(status="sent").count() >= total // 4:
                holders = mailing.deliveries.filter(status="sending").values_list(
                    "claimed_by", flat=True
                )
                holder = next((h for h in holders if h.split(":")[1] in pids), None)
                if holder:
                    break
            time.sleep(0.01)
        os.kill(int(holder.split(":")[1]), signal.SIGKILL)
        killed_at = timezone.now()
        stranded = mailing.deliveries.filter(claimed_by=holder, status="sending")
        stranded = list(stranded.values_list("pk", "attempted_at"))
        # The dead worker's task is among these: queued again, then run by the live worker.
        running = DBTaskResult.objects.filter(
            pk__in=list(DBTaskResult.objects.filter(status="RUNNING").values_list("pk", flat=True))
        )
        while mailing.deliveries.filter(status__in=["queued", "sending"]).exists() or (
            running.filter(status__in=["READY", "RUNNING"]).exists()
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("the send was not recovered in time")
            time.sleep(0.2)
        last = max(
            mailing.deliveries.filter(pk__in=[pk for pk, _ in stranded]).values_list(
                "sent_at", flat=True
            )
        )
        time.sleep(2)  # the sink prints what it received
        counts, offset = received_since(sink_log, offset)
        return {
            "stranded": len(stranded),
            "begun": sum(1 for _, attempted in stranded if attempted),
            "received": sum(counts.values()),
            "twice": sum(1 for count in counts.values() if count > 1),
            "recovery": (last - killed_at).total_seconds(),
            "task": ", ".join(
                f"{status} after {len(runs)} runs"
                for status, runs in running.values_list("status", "worker_ids")
                if len(runs) > 1
            ),
            "sent": mailing.deliveries.filter(status="sent").count(),
        }, offset
    finally:
        stop(processes)


def stop(processes):
    """SIGTERM: a worker finishes its task first (a killed one is already gone)."""
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


def kill_rounds(options, release, media_list, env, sink_log):
    say(
        f"{'round':>5}  {'sent':>5}  {'received':>8}  {'twice':>5}  {'stranded':>8}  "
        f"{'begun':>5}  {'recovery s':>10}  dead worker's task"
    )
    offset = 0
    for number in range(1, options.rounds + 1):
        row, offset = kill_run(options.workers, release, media_list, env, sink_log, offset)
        say(
            f"{number:>5}  {row['sent']:>5}  {row['received']:>8}  {row['twice']:>5}  "
            f"{row['stranded']:>8}  {row['begun']:>5}  {row['recovery']:>10.1f}  {row['task']}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int)
    parser.add_argument("--workers")
    parser.add_argument("--kill", action="store_true", help="SIGKILL a worker mid-send.")
    parser.add_argument("--rounds", type=int, default=3, help="Sends with a kill (--kill).")
    options = parser.parse_args()
    options.recipients = options.recipients or (2000 if options.kill else 10_000)
    options.workers = options.workers or ("2" if options.kill else "1,2")
    if options.kill:
        options.workers = int(options.workers)
    smtp_port = free_port()
    env = environment(smtp_port)
    os.environ.update(env)
    sink_log = Path(tempfile.mkdtemp()) / "sink.log"
    handler = "bench.send_bench.RecipientLog" if options.kill else "aiosmtpd.handlers.Sink"
    with open(sink_log, "wb") as log:
        sink = subprocess.Popen(
            [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c", handler],
            cwd=ROOT,
            stdout=log,
        )
    recreate_database(SCRATCH_URL)
    try:
        say(f"Migrating the scratch database {database_name(SCRATCH_URL)} ...")
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
        if options.kill:
            kill_rounds(options, release, media_list, env, sink_log)
            return
        say(f"{'workers':>7}  {'emails':>6}  {'emails/s':>8}  {'sending s':>9}  {'total s':>7}")
        for workers in [int(n) for n in options.workers.split(",")]:
            sent, rate, sending, total = run(workers, release, media_list, env)
            say(f"{workers:>7}  {sent:>6}  {rate:>8.0f}  {sending:>9.1f}  {total:>7.1f}")
    finally:
        from django.db import connections

        connections.close_all()
        sink.terminate()
        sink.wait(10)
        shutil.rmtree(sink_log.parent)
        drop_database(SCRATCH_URL)


if __name__ == "__main__":
    main()
