"""Related Articles and "You may also be interested in" at scale, for releases quoting the
busiest speakers (issue 16: quoted speakers count as a release's people) and for releases
picked at random, with the speakers counted and, for comparison, with the people named alone.

    .venv/bin/python -m bench.suggestions              (bench_newsroom, only read)
    .venv/bin/python -m bench.suggestions --database-url postgres://postgres@127.0.0.1:5432/other

The database is filled by `python -m bench.generate_data` (bench/README.md); nothing is
written to it. Each list is timed in-process for 20 releases, once to warm up and once
measured; the median and the slowest are printed, in milliseconds.
"""

import argparse
import os
import statistics
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_newsroom"
    )
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ.pop("TESTING", None)
    import django

    django.setup()
    from django.db.models import Count

    from press import suggestions
    from press.models import Quote, Release

    busiest = (
        Quote.objects.values("person").annotate(n=Count("id")).order_by("-n")[:5]
    ).values_list("person", flat=True)
    live = Release.objects.live().order_by("-published_at")
    releases = [live.filter(quotes__person=person).first() for person in busiest]
    releases += list(live.order_by("?")[:15])

    def timed(suggest):
        times = []
        for release in releases:
            start = time.perf_counter()
            list(suggest(release))
            times.append((time.perf_counter() - start) * 1000)
        return f"median {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms"

    def named_alone(link, template, params):
        names = dict(zip(("table", "release", "key"), suggestions._names(*link), strict=True))
        return template.format(**names), params

    counted = suggestions._union
    for label, union in (("speakers counted", counted), ("people named alone", named_alone)):
        suggestions._union = union
        for _ in range(2):  # warm up, then measured
            related = timed(suggestions.related_articles)
            interesting = timed(lambda release: suggestions.also_interesting(release, []))
        print(f"{label}: Related Articles {related}; also interesting {interesting}")  # noqa: T201
    suggestions._union = counted


if __name__ == "__main__":
    main()
