"""Segments evaluated at scale: the editor's count and sample, and the recipients a send takes
at its start, for segments of one to five conditions, on a database of 1,000,000 contacts.

    .venv/bin/python -m bench.segments                  (bench_newsroom, only read)
    .venv/bin/python -m bench.segments --database-url postgres://postgres@127.0.0.1:5432/other
    .venv/bin/python -m bench.segments --runs 7

The database is filled by `python -m bench.generate_data` (bench/README.md); nothing is
written to it. Each segment is built from what the data holds (the most common beat, the
"asia-desk" tag, ...), then timed in-process, once to warm up and `--runs` times:

- *count*: what the editor shows as conditions change (`members_summary`: both counts, one
  query, and a sample of ten, another);
- *recipients*: the ids and addresses of the reachable members, as `Mailing.build_deliveries`
  reads them when a send starts.

Target: each under 2 s (the median of the runs). The figures, with each query's plan, go to
bench/results/segments-<time>.json.
"""

import argparse
import os
import statistics
import sys
import time

TARGET_MS = 2000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_newsroom"
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ.pop("TESTING", None)
    import django

    django.setup()
    return measure(args)


def segments():
    """(label, rules) of segments a press officer builds, named from the data."""
    from django.db.models import Count

    from contacts.models import ContactTag
    from press.models import Topic

    beat = Topic.objects.annotate(n=Count("media_contacts")).order_by("-n").first()
    quiet = Topic.objects.annotate(n=Count("media_contacts")).order_by("n").first()
    tag = ContactTag.objects.filter(name="asia-desk").first() or ContactTag.objects.first()
    if not (beat and tag):
        sys.exit("The database has no beats or tags: fill it with bench.generate_data.")

    def condition(field, operator, *values):
        return {"field": field, "operator": operator, "values": list(values)}

    def one(*conditions, join="and"):
        return {"join": "or", "groups": [{"join": join, "conditions": list(conditions)}]}

    return [
        ("country is KR", one(condition("country", "is", "KR"))),
        ("language is ko", one(condition("language", "is", "ko"))),
        (
            f"(country any of KR, JP and beat {beat.name}) or tag {tag.name}",
            {
                "join": "or",
                "groups": [
                    {
                        "join": "and",
                        "conditions": [
                            condition("country", "any_of", "KR", "JP"),
                            condition("beat", "is", beat.pk),
                        ],
                    },
                    {"join": "and", "conditions": [condition("tag", "is", tag.pk)]},
                ],
            },
        ),
        (
            "outlet type broadcast and country is not US and time zone is not Asia/Seoul",
            one(
                condition("outlet_type", "is", "broadcast"),
                condition("country", "is_not", "US"),
                condition("time_zone", "is_not", "Asia/Seoul"),
            ),
        ),
        (
            "region contains Seoul or Tokyo, or a quiet beat",
            one(
                condition("region", "any_of", "Seoul", "Tokyo"),
                condition("beat", "is", quiet.pk),
                join="or",
            ),
        ),
        (
            "five conditions: (KR or JP) and (ko or ja) and not tag, or beat",
            {
                "join": "or",
                "groups": [
                    {
                        "join": "and",
                        "conditions": [
                            condition("country", "any_of", "KR", "JP"),
                            condition("language", "any_of", "ko", "ja"),
                            condition("tag", "is_not", tag.pk),
                            condition("outlet_type", "any_of", "newspaper", "online"),
                        ],
                    },
                    {"join": "and", "conditions": [condition("beat", "is", beat.pk)]},
                ],
            },
        ),
    ]


def timed(work, runs):
    work()  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return result, times


def measure(args):
    from django.db import connection

    from bench.server import print_checks, say, write_results
    from contacts.media.segments import members_summary
    from contacts.models import MediaContact
    from contacts.models.segments import check_rules, rules_q

    total = MediaContact.objects.count()
    say(f"{total:,} media contacts in {connection.settings_dict['NAME']}")
    say(f"{'segment':<80} {'count':>9} {'count ms':>9} {'recipients':>10} {'ms':>7}")
    rows, checks = [], []
    for label, rules in segments():
        rules = check_rules(rules)
        summary, count_ms = timed(lambda r=rules: members_summary(r), args.runs)
        reachable = MediaContact.objects.filter(rules_q(rules)).reachable()

        def recipients(q=reachable):
            return len(list(q.values_list("pk", "email")))

        sent, send_ms = timed(recipients, args.runs)
        with connection.cursor() as cursor:
            sql, params = reachable.values_list("pk", "email").query.sql_with_params()
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(line for (line,) in cursor.fetchall())
        row = {
            "segment": label,
            "rules": rules,
            "count": summary["count"],
            "reachable": summary["reachable"],
            "count_ms": count_ms,
            "recipients": sent,
            "recipients_ms": send_ms,
            "plan": plan,
        }
        rows.append(row)
        count_median, send_median = statistics.median(count_ms), statistics.median(send_ms)
        say(
            f"{label[:80]:<80} {summary['count']:>9,} {count_median:>9.0f} "
            f"{sent:>10,} {send_median:>7.0f}"
        )
        for what, median, times in (
            ("count", count_median, count_ms),
            ("recipients", send_median, send_ms),
        ):
            checks.append(
                {
                    "target": f"{what} of “{label[:50]}” < {TARGET_MS} ms",
                    "measured": f"{median:.0f} ms median",
                    "detail": f"max {max(times):.0f} ms",
                    "met": median < TARGET_MS,
                }
            )
    say()
    if total < 1_000_000:
        say(f"Note: {total:,} contacts, fewer than the 1,000,000 the targets are for.")
    print_checks(checks)
    load = os.getloadavg()
    path = write_results(
        f"segments-{time.strftime('%Y%m%d-%H%M%S')}",
        {"contacts": total, "runs": args.runs, "load_average": load, "segments": rows},
    )
    say(f"Load average {load[0]:.2f}; results in {path}")
    return 0 if all(check["met"] for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
