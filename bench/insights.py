"""The insights pages at scale: 100,000 releases, 10,000,000 daily read counts, 1,000,000 media
contacts (and subscribers, mailings, emails, their events, coverage), made by PostgreSQL itself
with generate_series (minutes, not the hour a row-by-row load would take); then the full and
the incremental rollup, and each page's time, against the 300 ms target.

    .venv/bin/python -m bench.insights                   # the full volume, into bench_insights
    .venv/bin/python -m bench.insights --releases 10000 --contacts 100000   # a smaller one
    .venv/bin/python -m bench.insights --keep            # the data already there (migrated)

It drops and fills the database `bench_insights` (BENCH_DATABASE_URL names another), migrated
first. Pages are asked for in this process through Django's test client, signed in as a
superuser, with production settings (DEBUG off, no Redis: every figure from the database): the
times are the server's, without a network, the median of five requests after one to warm up.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_insights"
TARGET_MS = 300


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--days-read", type=int, default=100, help="Days each release is read.")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--subscribers", type=int, default=300_000)
    parser.add_argument("--mailings", type=int, default=2_000)
    parser.add_argument("--recipients", type=int, default=500, help="Emails per mailing.")
    parser.add_argument("--keep", action="store_true", help="Use the data already there.")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="With --keep: time the pages on the figures already rolled up, no rollup.",
    )
    return parser.parse_args()


def main():
    options = arguments()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    name = url.rsplit("/", 1)[1]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "False",
    }
    env.pop("REDIS_URL", None)
    env.pop("TESTING", None)
    static = tempfile.mkdtemp(prefix="insights-static-")
    env["STATIC_ROOT"] = static  # the hashed static files, as production serves them
    if not options.keep:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from bench.insights_data import fill

    if not options.keep:
        fill(options, report)
    if not (options.keep and options.pages_only):
        time_rollups()
    time_pages()


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def report(what, seconds):
    say(f"{what:<58} {seconds:8.1f} s")


def time_rollups():
    from django.db import connection
    from django.utils import timezone

    from insights.rollups import rollup

    started = time.perf_counter()
    rollup(full=True)
    report("full rollup", time.perf_counter() - started)
    with connection.cursor() as cursor:
        # As autovacuum soon would after a million rows written: statistics, and the
        # visibility map that lets the pages' index-only scans skip the table.
        cursor.execute("VACUUM (ANALYZE)")
    started = time.perf_counter()
    rollup(timezone.now() + timezone.timedelta(minutes=5))
    report("incremental rollup (5 minutes later)", time.perf_counter() - started)


def time_pages():
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from press.models import Release

    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.org", None
    )
    client = Client()
    client.force_login(user)
    busiest = Release.objects.order_by("-published_at").values_list("pk", flat=True)[200]
    pages = [
        (f"{page} {period}", f"/admin/insights/{path}/?{query}")
        for page, path in (
            ("overview", "overview"),
            ("topics", "topicinsights"),
            ("subscribers", "subscriberinsights"),
            ("journalists", "journalistinsights"),
        )
        for period, query in (
            ("7 days", "period=7"),
            ("30 days", "period=30"),
            ("90 days", "period=90"),
            ("2 years", "period=custom&start=2024-12-01&end=2026-11-30"),
        )
    ] + [("a release (published ~4 days ago)", f"/admin/insights/overview/release/{busiest}/")]
    say(f"\n{'page':<42} {'median ms':>10} {'slowest':>8} {'queries':>8}")
    for label, url in pages:
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        verdict = "" if statistics.median(times) < TARGET_MS else "  over target"
        say(
            f"{label:<42} {statistics.median(times):10.0f} {max(times):8.0f} "
            f"{len(queries):8d}{verdict}"
        )


if __name__ == "__main__":
    main()
