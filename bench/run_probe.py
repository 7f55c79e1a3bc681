"""The in-process half of `make bench` (bench/run.py starts it in a process with the pass's
environment): for each public page, the queries and bytes of one request after a first one, and
of a second object of the same kind; the release page's bytes, saved as the floor; and
sequential searches of mixed words, timed. Its findings go to a JSON file.

    python -m bench.run_probe OUTPUT [--write-floor FILE] [--time-searches] [--slow-limit S]
"""

import argparse
import json
import logging
import random
import statistics
import time
from pathlib import Path

from bench.server import set_up_as_a_worker

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


def probe(output, write_floor, time_searches, slow_limit):
    """Runs in a subprocess with the pass's environment; writes its findings as JSON."""
    set_up_as_a_worker()
    # The site's modules are imported once Django is set up.
    from django.db import connection
    from django.test import Client

    # A failing page is reported in the results; its traceback would only bury the output.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    from press.models import Organization, Person, Release, ReleaseRead, Topic

    # Reads reach the database at most once a minute, moved after the response of whichever
    # request comes first after that: moved now, so that no page below is counted with it.
    ReleaseRead.objects.move_waiting_when_due()
    live_count = Release.objects.live().count()
    pages = benchmarked_pages()
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


def benchmarked_pages():
    """Each public page type: the address benchmarked (the busiest object of its kind), and
    another of the same kind for the query count. Needs Django set up."""
    from django.db.models import Count, Q

    from press.models import Organization, Person, Release, Topic
    from press.views import RELEASES_PER_PAGE

    live = Release.objects.live()
    deep = min(DEEP_PAGE, max(1, -(-live.count() // RELEASES_PER_PAGE)))
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

    return {
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


def measure(client, connection, path, slow_limit):
    """One request to warm up, then one counted: status, bytes, queries, milliseconds; then,
    everything kept made stale as a publish makes it (content_changed()), the first request
    after it: its queries and milliseconds ("cold_"), what a worker that served the page
    before pays after a publish. The very first request also pays this process's first-use
    costs (templates compiled): reported apart ("first_"). A page slower than `slow_limit`
    seconds, or failing, gets an "error" instead and is not benchmarked."""
    from django.test.utils import CaptureQueriesContext

    from core.caching import content_changed

    def timed():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            milliseconds = round((time.perf_counter() - started) * 1000, 1)
        return response, len(queries), milliseconds

    try:
        _, first_queries, first_ms = timed()
        if first_ms > slow_limit * 1000:
            return {"path": path, "error": f"{first_ms / 1000:.1f} s for one request"}
        response, queries, in_process_ms = timed()
        content_changed()
        _, cold_queries, cold_ms = timed()
    except Exception as error:  # a timed-out statement, a template error: report, go on
        message = " ".join(str(error).split())
        return {"path": path, "error": f"{type(error).__name__}: {message}"[:300]}
    return {
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": queries,
        "in_process_ms": in_process_ms,
        "first_queries": first_queries,
        "first_ms": first_ms,
        "cold_queries": cold_queries,
        "cold_ms": cold_ms,
        "content": response.content,
    }


def search_timings(client, budget=SEARCH_SECONDS):
    """SEARCH_RUNS searches, one after another, of SEARCHES shuffled: milliseconds each. Cut
    short after `budget` seconds, when search is that slow (the count made is reported).
    Searches are kept a minute (press.search), so each search's first run is also reported
    on its own: what words never searched for before cost."""
    order = (SEARCHES * (SEARCH_RUNS // len(SEARCHES) + 1))[:SEARCH_RUNS]
    random.Random(0).shuffle(order)
    timings, first = [], {}
    deadline = time.monotonic() + budget
    for words in order:
        if time.monotonic() > deadline and len(timings) >= len(SEARCHES):
            break
        started = time.perf_counter()
        response = client.get("/search/", {"q": words})
        timings.append((time.perf_counter() - started) * 1000)
        first.setdefault(words, timings[-1])
        assert response.status_code == 200, (words, response.status_code)
    cuts = statistics.quantiles(timings, n=100)
    first_cuts = statistics.quantiles(first.values(), n=20)
    return {
        "runs": len(timings),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "max_ms": round(max(timings), 1),
        "first_p50_ms": round(statistics.median(first.values()), 1),
        "first_p95_ms": round(first_cuts[18], 1),
        "first_max_ms": round(max(first.values()), 1),
        "first_ms": {words: round(ms, 1) for words, ms in first.items()},
        "queries": SEARCHES,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", help="The JSON file to write.")
    parser.add_argument("--write-floor", help="Save the release page's bytes here.")
    parser.add_argument("--time-searches", action="store_true")
    parser.add_argument("--slow-limit", type=float, default=5.0)
    args = parser.parse_args()
    probe(args.output, args.write_floor, args.time_searches, args.slow_limit)


if __name__ == "__main__":
    main()
