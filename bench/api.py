"""The read API at scale: p50, p95 and the slowest answer of /api/v1/releases/ (first page, a
page deep in the list, each filter), a release's detail and its ninjs, timed in-process
through the whole middleware stack (rate limit, CORS, ETag), with the queries each costs.
Target: list p95 < 50 ms at 100,000 releases.

    .venv/bin/python -m bench.api                   (bench_newsroom, only read)
    .venv/bin/python -m bench.api --requests 500 \
        --database-url postgres://postgres@127.0.0.1:5432/other

The database is filled by `python -m bench.generate_data` (bench/README.md); nothing is
written to it. With REDIS_URL set, the rate limit counts in that Redis under a key prefix of
the run's own, as on the app servers; without it, in local memory.
"""

import argparse
import datetime
import os
import statistics
import time
import uuid

TARGET_MS = 50


def say(line):
    print(line)  # noqa: T201


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_newsroom"
    )
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per address.")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["CACHE_KEY_PREFIX"] = f"bench-api-{uuid.uuid4().hex}"
    os.environ["API_ANONYMOUS_PER_MINUTE"] = str(10**9)  # measured, never refused
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "False"
    os.environ.pop("TESTING", None)
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # No static file is served here: plain storage spares a collectstatic for the manifest.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        measure(args)


def measure(args):
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from api.releases import cursor_after
    from press.models import Organization, Release, Topic

    live = Release.objects.live()
    day_ago = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    total = live.count()
    newest = live.order_by("-published_at", "-pk").first()
    middle = live.order_by("-published_at", "-pk").values_list("published_at", "pk")
    deep = cursor_after(*middle[total // 2])
    topic = Topic.objects.annotate(n=Count("tagged_releases")).order_by("-n").first()
    byline = Organization.objects.annotate(n=Count("bylined_releases")).order_by("-n").first()
    addresses = {
        "releases, first page": "/api/v1/releases/",
        f"releases, page at {total // 2:,}": f"/api/v1/releases/?cursor={deep}",
        "releases, page of 100": "/api/v1/releases/?page_size=100",
        f"releases, topic {topic.slug}": f"/api/v1/releases/?topic={topic.slug}",
        f"releases, organization {byline.slug}": f"/api/v1/releases/?organization={byline.slug}",
        "releases, language en": "/api/v1/releases/?language=en",
        "releases, language ko (rare)": "/api/v1/releases/?language=ko",
        "releases, updated in the last day": f"/api/v1/releases/?updated_since={day_ago}",
        "release detail": f"/api/v1/releases/{newest.pk}/",
        "release ninjs": f"/api/v1/releases/{newest.pk}/ninjs",
    }
    client = Client()
    say(f"{total:,} live releases ({Release.objects.count():,} in all)")
    # cpu: this process's own time (Django, the API), without PostgreSQL's or waiting for a
    # core: on a busy machine it says what the code costs when the wall times cannot.
    say(f"{'address':<44}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'cpu p50':>9}")
    missed = []
    for label, address in addresses.items():
        client.get(address)  # warm up
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        # Counted now: each request empties the connection's log of queries.
        count = len(queries)
        assert response.status_code == 200, (address, response.status_code)
        times, cpu = [], []
        for _ in range(args.requests):
            start, started_cpu = time.perf_counter(), time.process_time()
            client.get(address)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        say(
            f"{label:<44}{count:>8}{statistics.median(times):>9.1f}{p95:>9.1f}"
            f"{max(times):>9.1f}{statistics.median(cpu):>9.1f}"
        )
        if label.startswith("releases") and "100" not in label and p95 > TARGET_MS:
            missed.append(label)
    say(
        f"target list p95 < {TARGET_MS} ms: {'MISSED by ' + ', '.join(missed) if missed else 'met'}"
    )
    say(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
