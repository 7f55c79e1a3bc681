"""The daily rollups the insights pages read, kept up to date by the dispatcher (every few
minutes) and by `manage.py rollup_insights`.

Incremental: a run recomputes the days from the day before the last run (today's reads, sign-ups
and emails keep coming in until the day is over; a late move of reads lands a day later at most)
plus the days that rows entered since then belong to (coverage recorded days after the article,
a release backdated into the archive), and the mailings sent in the last MAILING_DAYS (opens,
clicks and bounces arrive for days after a send). A mailing's later events, rows deleted long
after, are counted again by a full run (`rollup_insights --full`). Days are the site's time
zone's, as a release's reads are counted (press.models.reads)."""

import datetime
from collections import Counter, defaultdict

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from contacts.models import Coverage, Delivery, DeliveryEvent, EmbargoOpen, Mailing, Subscriber
from insights.models import (
    ContactDay,
    ContactStanding,
    DayFigures,
    MailingFigures,
    ReleaseMonth,
    ReleaseWeek,
    RollupRun,
    TopicDay,
)
from insights.periods import week_of
from press.models import Release, ReleaseRead, TaggedRelease
from press.models.publication import Status

# Opens, clicks and bounces still arrive for a mailing this old.
MAILING_DAYS = 30
# The dispatcher rolls up at most this often (over every machine: the due flag is in the cache).
EVERY_SECONDS = 300
DUE_KEY = "insights:rollup-due"
DAY = datetime.timedelta(days=1)


def rollup_when_due(now=None):
    """For the dispatcher's turns: a rollup unless one was made in the last EVERY_SECONDS."""
    if cache.add(DUE_KEY, True, timeout=EVERY_SECONDS):
        rollup(now)


def rollup(now=None, full=False):
    """Recompute what changed since the last run (everything on the first run, or `full`);
    returns the first day recomputed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    last = RollupRun.objects.order_by("-started_at").first()
    if full or last is None:
        first = earliest_day() or today
        mailings_from = first
    else:
        first = min([timezone.localdate(last.started_at) - DAY, *late_days(last.started_at)])
        mailings_from = min(first, today - datetime.timedelta(days=MAILING_DAYS))
    with transaction.atomic():
        roll_days(first, today, now)
        roll_topics(first, today, now)
        roll_months(first, today)
        roll_mailings(mailings_from)
        RollupRun.objects.create(started_at=now, finished_at=timezone.now(), first_day=first)
    return first


def bounds(first, last):
    """The moments from the start of `first` to the end of `last`, in the site's time zone."""
    start = datetime.datetime.combine(first, datetime.time.min)
    end = datetime.datetime.combine(last + DAY, datetime.time.min)
    return timezone.make_aware(start), timezone.make_aware(end)


def published(start, end, path=""):
    """Releases published between two moments (archived ones were published too)."""
    return Q(
        **{
            f"{path}status__in": [Status.PUBLISHED, Status.ARCHIVED],
            f"{path}published_at__gte": start,
            f"{path}published_at__lt": end,
        }
    )


def earliest_day():
    days = [
        Release.objects.filter(published_at__isnull=False).aggregate(d=Min("published_at"))["d"],
        ReleaseRead.objects.aggregate(d=Min("day"))["d"],
        Subscriber.objects.aggregate(d=Min("created_at"))["d"],
        Coverage.objects.aggregate(d=Min("published_on"))["d"],
        Delivery.objects.aggregate(d=Min("sent_at"))["d"],
    ]
    days = [timezone.localdate(d) if isinstance(d, datetime.datetime) else d for d in days if d]
    return min(days, default=None)


def late_days(since):
    """The first day of rows entered since `since` that belong to an earlier day."""
    days = [
        Coverage.objects.filter(created_at__gte=since).aggregate(d=Min("published_on"))["d"],
        Release.objects.filter(updated_at__gte=since).aggregate(d=Min("published_at"))["d"],
    ]
    return [timezone.localdate(d) if isinstance(d, datetime.datetime) else d for d in days if d]


def by_day(queryset, moment):
    """{day: count} of the rows of `queryset`, by the local day of the field `moment`."""
    rows = queryset.annotate(on=TruncDate(moment)).values_list("on").annotate(n=Count("pk"))
    return dict(rows.order_by())


def roll_days(first, last, now):
    start, end = bounds(first, last)
    subscribers = Subscriber.objects.all()
    figures = {
        "releases": by_day(Release.objects.filter(published(start, end)), "published_at"),
        "reads": dict(
            ReleaseRead.objects.filter(day__range=(first, last))
            .values_list("day")
            .annotate(n=Sum("count"))
            .order_by()
        ),
        "signups": by_day(
            subscribers.filter(created_at__gte=start, created_at__lt=end), "created_at"
        ),
        "confirmed": by_day(
            subscribers.filter(confirmed_at__gte=start, confirmed_at__lt=end), "confirmed_at"
        ),
        "unsubscribed": by_day(
            subscribers.filter(unsubscribed_at__gte=start, unsubscribed_at__lt=end),
            "unsubscribed_at",
        ),
        "coverage": dict(
            Coverage.objects.filter(published_on__range=(first, last))
            .values_list("published_on")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    }
    DayFigures.objects.filter(day__range=(first, last)).delete()
    DayFigures.objects.bulk_create(
        DayFigures(day=day, **{name: counts.get(day, 0) for name, counts in figures.items()})
        for day in days_between(first, last)
    )


def days_between(first, last):
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def roll_topics(first, last, now):
    start, end = bounds(first, last)
    reads = (
        ReleaseRead.objects.filter(day__range=(first, last), release__tagged_items__isnull=False)
        .values_list("release__tagged_items__tag", "day")
        .annotate(n=Sum("count"))
        .order_by()
    )
    releases = (
        TaggedRelease.objects.filter(published(start, end, "content_object__"))
        .annotate(on=TruncDate("content_object__published_at"))
        .values_list("tag", "on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = defaultdict(Counter)
    for topic, day, n in reads:
        rows[topic, day]["reads"] = n
    for topic, day, n in releases:
        rows[topic, day]["releases"] = n
    # Followers are known for the day of each run only: earlier days keep theirs.
    old = TopicDay.objects.filter(day__range=(first, last), followers__isnull=False)
    followers = {(t, d): f for t, d, f in old.values_list("topic", "day", "followers")}
    today = timezone.localdate(now)
    following = Subscriber.topics.through.objects.filter(subscriber__status="confirmed")
    for topic, n in following.values_list("topic").annotate(n=Count("pk")).order_by():
        followers[topic, today] = n
    for key in followers:
        rows[key]  # a day with followers alone is a row too
    TopicDay.objects.filter(day__range=(first, last)).delete()
    TopicDay.objects.bulk_create(
        (
            TopicDay(
                topic_id=topic,
                day=day,
                reads=counts["reads"],
                releases=counts["releases"],
                followers=followers.get((topic, day)),
            )
            for (topic, day), counts in rows.items()
        ),
        batch_size=5000,
    )


def roll_months(first, last):
    """Each release's reads per month and per week, from the month and the week of `first` on."""
    for model, key, truncate, since in (
        (ReleaseMonth, "month", TruncMonth, first.replace(day=1)),
        (ReleaseWeek, "week", TruncWeek, week_of(first)),
    ):
        rows = (
            ReleaseRead.objects.filter(day__gte=since, day__lte=last)
            .annotate(on=truncate("day"))
            .values_list("release", "on")
            .annotate(n=Sum("count"))
            .order_by()
        )
        model.objects.filter(**{f"{key}__gte": since}).delete()
        model.objects.bulk_create(
            (model(release_id=release, **{key: on}, reads=n) for release, on, n in rows.iterator()),
            batch_size=5000,
        )


def roll_mailings(first):
    """The funnel of each mailing sent from `first` on, and what each media contact did."""
    start, _ = bounds(first, first)
    first_sent = (
        Delivery.objects.filter(mailing=OuterRef("pk"), sent_at__isnull=False)
        .order_by("sent_at")
        .values("sent_at")[:1]
    )
    mailings = (
        Mailing.objects.filter(status__in=[Mailing.Status.SENDING, Mailing.Status.DONE])
        # Those not rolled up yet and those of the last days: not every mailing ever sent.
        .filter(Q(insight_figures__isnull=True) | Q(insight_figures__day__gte=first))
        .annotate(first_sent=Subquery(first_sent))
        .filter(first_sent__gte=start)
        .with_figures()
        .order_by()
    )
    figures = [
        MailingFigures(
            mailing_id=mailing.pk,
            release_id=mailing.release_id,
            day=timezone.localdate(mailing.first_sent),
            kind=mailing.kind,
            **{name: getattr(mailing, name) for name in FUNNEL},
        )
        for mailing in mailings
    ]
    MailingFigures.objects.filter(day__gte=first).delete()
    MailingFigures.objects.bulk_create(figures)
    roll_contacts(first, {row.mailing_id: row.day for row in figures})


FUNNEL = ["sent", "delivered", "opened", "clicked", "bounced"]


def roll_contacts(first, mailing_days):
    opened = Q(
        Exists(
            DeliveryEvent.objects.filter(delivery=OuterRef("pk"), kind__in=["opened", "clicked"])
        )
    ) | Q(Exists(EmbargoOpen.objects.filter(delivery=OuterRef("pk"))))
    clicked = Q(Exists(DeliveryEvent.objects.filter(delivery=OuterRef("pk"), kind="clicked")))
    rows = (
        Delivery.objects.filter(
            mailing__in=list(mailing_days),
            contact__isnull=False,
            status=Delivery.Status.SENT,
        )
        .values_list("contact", "contact__outlet", "mailing")
        .annotate(
            sent=Count("pk"),
            opened=Count("pk", filter=opened),
            clicked=Count("pk", filter=clicked),
        )
        .order_by()
    )
    totals = defaultdict(Counter)
    for contact, outlet, mailing, sent, did_open, did_click in rows:
        day = mailing_days[mailing]
        totals[contact, outlet, day].update(sent=sent, opened=did_open, clicked=did_click)
    redone = ContactDay.objects.filter(day__gte=first)
    touched = {contact for contact, _, _ in totals}
    touched.update(redone.values_list("contact", flat=True).distinct())
    redone.delete()
    ContactDay.objects.bulk_create(
        (
            ContactDay(contact_id=contact, outlet_id=outlet, day=day, **counts)
            for (contact, outlet, day), counts in totals.items()
        ),
        batch_size=5000,
    )
    refresh_standing(touched)


def refresh_standing(contacts, batch=5000):
    """Each of `contacts`' all-told figures summed again from its days (the contacts whose
    days a rollup rewrote)."""
    contacts = sorted(contacts)
    for start in range(0, len(contacts), batch):
        some = contacts[start : start + batch]
        ContactStanding.objects.filter(contact__in=some).delete()
        ContactStanding.objects.bulk_create(
            ContactStanding(contact_id=row.pop("contact"), **row)
            for row in ContactDay.objects.filter(contact__in=some)
            .values("contact")
            .annotate(
                sent=Sum("sent"), opened=Sum("opened"), clicked=Sum("clicked"), last_sent=Max("day")
            )
            .order_by()
        )
