"""What each insights page shows, as tables (each with its chart): a handful of queries on the
rollups, the same number whatever the period or the data."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone

from contacts.models import Coverage, MediaContact, Outlet
from insights.charts import Table, bar_chart, line_chart
from insights.models import (
    ContactDay,
    ContactStanding,
    DayFigures,
    MailingFigures,
    ReleaseMonth,
    TopicDay,
)
from insights.periods import week_of
from press.models import Release, ReleaseReadHour, ReleaseReferrer

TOP = 10
# Longer periods are shown per 7 days.
DAILY_UP_TO = 92
FUNNEL = [
    ("sent", "Emails sent"),
    ("delivered", "Delivered"),
    ("opened", "Opened"),
    ("clicked", "Clicked"),
    ("bounced", "Bounced"),
]
DAY_FIGURES = [
    ("releases", "Releases published"),
    ("reads", "Reads"),
    ("confirmed", "New subscribers"),
    ("unsubscribed", "Lost subscribers"),
]


def within(period):
    return Q(day__range=(period.start, period.end))


def release_link(pk):
    return reverse("admin:insights_overview_release", args=[pk])


def overview(period):
    previous = period.previous()
    names = [name for name, _ in DAY_FIGURES] + ["coverage"]
    days = DayFigures.objects.filter(within(period) | within(previous)).values_list("day", *names)
    now, before = Counter(), Counter()
    reads = {}
    for day, *figures in days:
        (now if period.start <= day <= period.end else before).update(
            dict(zip(names, figures, strict=True))
        )
        reads[day] = figures[1]
    mail = MailingFigures.objects.aggregate(
        **{
            f"{name}_{n}": Sum(name, filter=within(p), default=0)
            for name, _ in FUNNEL
            for n, p in enumerate((period, previous))
        },
        mailings_0=Count("pk", filter=within(period)),
        mailings_1=Count("pk", filter=within(previous)),
    )
    figures = Table(
        "figures",
        "The period and the one before",
        ["Figure", str(period), str(previous)],
        [(label, now[name], before[name]) for name, label in DAY_FIGURES]
        + [("Mailings sent", mail["mailings_0"], mail["mailings_1"])]
        + [(label, mail[f"{name}_0"], mail[f"{name}_1"]) for name, label in FUNNEL]
        + [("Coverage items", now["coverage"], before["coverage"])],
    )
    per_day = reads_over_time(period, previous, reads)
    per_day.chart = line_chart(per_day)
    funnel = Table(
        "mailing-funnel",
        "Emails of the period's mailings",
        ["Step", "Emails"],
        [(label, mail[f"{name}_0"]) for name, label in FUNNEL],
    )
    funnel.chart = bar_chart(funnel)
    return [figures, per_day, funnel, top_releases(period), top_topics(period)]


def reads_over_time(period, previous, reads):
    """Reads per day beside those of the period before; per 7 days (from the period's first
    day) over DAILY_UP_TO days, so that a long period stays a readable chart and table."""
    if period.length <= DAILY_UP_TO:
        return Table(
            "reads-per-day",
            "Reads per day",
            ["Day", "Reads", "Reads, the period before"],
            [
                (day.isoformat(), reads.get(day, 0), reads.get(earlier, 0))
                for day, earlier in zip(period.days, previous.days, strict=False)
            ],
        )
    weeks = range(0, period.length, 7)
    days, earlier = period.days, previous.days
    return Table(
        "reads-per-week",
        "Reads per 7 days, from the day shown",
        ["From", "Reads", "Reads, the period before"],
        [
            (
                days[start].isoformat(),
                sum(reads.get(day, 0) for day in days[start : start + 7]),
                sum(reads.get(day, 0) for day in earlier[start : start + 7]),
            )
            for start in weeks
        ],
    )


def top_releases(period):
    """The most read releases of the period."""
    ranked = ReleaseMonth.objects.most_read(period.start, period.end, TOP)
    titles = Release.objects.only("title").in_bulk([pk for pk, _ in ranked])
    table = Table(
        "top-releases",
        "Most read releases",
        ["Release", "Reads"],
        [(titles[pk].title, reads) for pk, reads in ranked if pk in titles],
    )
    table.links = [release_link(pk) for pk, _ in ranked if pk in titles]
    table.chart = bar_chart(table, horizontal=True)
    return table


def ranked_topics(period, limit=TOP):
    return list(
        TopicDay.objects.filter(within(period))
        .values_list("topic", "topic__name")
        .annotate(reads=Sum("reads"), releases=Sum("releases"))
        .order_by("-reads", "topic__name")[:limit]
    )


def top_topics(period):
    table = Table(
        "top-topics",
        "Most read topics",
        ["Topic", "Reads", "Releases published"],
        [(name, reads, releases) for _, name, reads, releases in ranked_topics(period)],
    )
    table.chart = bar_chart(table, horizontal=True)
    return table


def release_page(release):
    today = timezone.localdate()
    published = timezone.localdate(release.published_at) if release.published_at else today
    counts = dict(release.reads.values_list("day", "count"))
    days = [published + datetime.timedelta(days=n) for n in range((today - published).days + 1)]
    if len(days) <= DAILY_UP_TO:
        per_day = Table(
            "reads-per-day",
            "Reads per day since publication",
            ["Day", "Reads"],
            [(day.isoformat(), counts.get(day, 0)) for day in days],
        )
    else:
        per_day = Table(
            "reads-per-week",
            "Reads per 7 days since publication, from the day shown",
            ["From", "Reads"],
            [
                (
                    days[start].isoformat(),
                    sum(counts.get(day, 0) for day in days[start : start + 7]),
                )
                for start in range(0, len(days), 7)
            ],
        )
    per_day.chart = line_chart(per_day)
    hourly = dict(ReleaseReadHour.objects.filter(release=release).values_list("hour", "count"))
    first = (release.published_at or timezone.now()).replace(minute=0, second=0, microsecond=0)
    hours = [first + datetime.timedelta(hours=n) for n in range(48)]
    per_hour = Table(
        "reads-per-hour",
        "Reads in the first 48 hours, per hour",
        ["Hour", "Reads"],
        [(f"{timezone.localtime(hour):%a %H:00}", hourly.get(hour, 0)) for hour in hours],
    )
    per_hour.chart = bar_chart(per_hour)
    hosts = list(ReleaseReferrer.objects.filter(release=release)[:TOP])
    referrers = Table(
        "referrers",
        "Where readers came from (the site only)",
        ["Site", "Reads"],
        [(row.host, row.count) for row in hosts],
    )
    referrers.chart = bar_chart(referrers, horizontal=True)
    mailings = list(
        MailingFigures.objects.filter(release=release).select_related("mailing").order_by("day")
    )
    funnel = Table(
        "mailings",
        "Its mailings",
        ["Mailing", *[label for _, label in FUNNEL]],
        [
            (f"{row.day}: {row.mailing.get_kind_display()}", *[getattr(row, n) for n, _ in FUNNEL])
            for row in mailings
        ],
    )
    funnel.chart = bar_chart(Table("", "Its mailings", ["Step", "Emails"], funnel_totals(mailings)))
    coverage = Table(
        "coverage",
        "Its coverage",
        ["Published", "Outlet", "Headline", "Address"],
        [
            (row.published_on.isoformat(), row.outlet_label, row.title, row.url)
            for row in Coverage.objects.filter(release=release).select_related("outlet")
        ],
    )
    return [per_day, per_hour, referrers, funnel, coverage]


def funnel_totals(mailings):
    return [(label, sum(getattr(row, name) for row in mailings)) for name, label in FUNNEL]


def topics_page(period):
    ranked = ranked_topics(period, limit=None)
    latest = TopicDay.objects.filter(followers__isnull=False, day__lte=period.end).aggregate(
        day=Max("day")
    )["day"]
    followers = dict(
        TopicDay.objects.filter(day=latest, followers__isnull=False).values_list(
            "topic", "followers"
        )
    )
    topics = Table(
        "topics",
        "Topics in the period",
        ["Topic", "Reads", "Releases published", "Followers"],
        [(name, reads, releases, followers.get(pk, 0)) for pk, name, reads, releases in ranked],
    )
    topics.chart = bar_chart(
        Table(
            "", "Topics in the period", ["Topic", "Reads"], [row[:2] for row in topics.rows[:TOP]]
        ),
        horizontal=True,
    )
    leaders = ranked[:5]
    weekly = defaultdict(Counter)
    for topic, day, reads, releases in TopicDay.objects.filter(
        within(period), topic__in=[pk for pk, *_ in leaders]
    ).values_list("topic", "day", "reads", "releases"):
        weekly[week_of(day)][topic, "reads"] += reads
        weekly[week_of(day)][topic, "releases"] += releases
    weeks = sorted({week_of(day) for day in period.days})
    tables = [topics]
    for what, caption in (("reads", "Reads per week"), ("releases", "Releases per week")):
        table = Table(
            f"topics-{what}-per-week",
            f"{caption}, the five most read topics",
            ["Week of", *[name for _, name, *_ in leaders]],
            [(week.isoformat(), *[weekly[week][pk, what] for pk, *_ in leaders]) for week in weeks],
        )
        table.chart = line_chart(table)
        tables.append(table)
    return tables


def subscribers_page(period):
    weekly = defaultdict(Counter)
    for row in DayFigures.objects.filter(within(period)):
        weekly[week_of(row.day)].update(
            signups=row.signups, confirmed=row.confirmed, unsubscribed=row.unsubscribed
        )
    weeks = sorted({week_of(day) for day in period.days})
    growth = Table(
        "subscribers-per-week",
        "Subscribers per week",
        ["Week of", "Sign-ups", "Confirmed", "Unsubscribed", "Net"],
        [
            (
                week.isoformat(),
                weekly[week]["signups"],
                weekly[week]["confirmed"],
                weekly[week]["unsubscribed"],
                weekly[week]["confirmed"] - weekly[week]["unsubscribed"],
            )
            for week in weeks
        ],
    )
    growth.chart = line_chart(growth, columns=[2, 3, 4])
    signups = sum(row[1] for row in growth.rows)
    confirmed = sum(row[2] for row in growth.rows)
    rate = Table(
        "confirmation-rate",
        "Confirmation rate",
        ["Figure", "Value"],
        [
            ("Sign-ups", signups),
            ("Confirmations", confirmed),
            ("Confirmations per sign-up", f"{confirmed / signups:.0%}" if signups else "–"),
        ],
    )
    return [growth, rate]


def journalists_page(period):
    found = ContactDay.objects.engagement(period.start, period.end)
    never = ContactStanding.objects.never_opened()
    names = dict(
        Outlet.objects.filter(pk__in=[row[0] for row in found["outlets"]]).values_list("pk", "name")
    )
    outlets = [(names[pk], *figures) for pk, *figures in found["outlets"] if pk in names]
    people = MediaContact.objects.select_related("outlet").in_bulk(
        [row[0] for row in found["engaged"]] + [row.contact_id for row in never]
    )

    def person(pk):
        contact = people[pk]
        return f"{contact}" + (f" ({contact.outlet.name})" if contact.outlet else "")

    headers = ["Contact", "Emails", "Opened", "Clicked"]
    most = Table(
        "most-engaged-contacts",
        "Most engaged contacts",
        headers,
        [(person(pk), *figures) for pk, *figures in found["engaged"] if pk in people],
    )
    most.chart = bar_chart(most, column=2, horizontal=True)
    by_outlet = Table(
        "most-engaged-outlets", "Most engaged outlets", ["Outlet", *headers[1:]], outlets
    )
    by_outlet.chart = bar_chart(by_outlet, column=2, horizontal=True)
    silent = Table(
        "contacts-never-opening",
        "Contacts who have never opened any of our emails, whatever the period (candidates "
        "for a clean-up)",
        ["Contact", "Emails", "Last sent"],
        [
            (person(row.contact_id), row.sent, row.last_sent.isoformat())
            for row in never
            if row.contact_id in people
        ],
    )
    return [most, by_outlet, silent]
