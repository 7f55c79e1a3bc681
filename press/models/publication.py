"""When a release is public: the one rule, written once, as query conditions and as a reading
of one release.

A release is live when it is published, its publication time has come and its expiry time
(if any) has not. Published with a time still to come it is scheduled: hidden from the public,
and sent to journalists only under embargo. Past its expiry it is expired. Decided at query
time, so a release scheduled for 09:00 is public at 09:00 on every surface without a cron job.

Everything that asks comes here: public pages, feeds and sitemaps (`ReleaseQuerySet.live()`),
the editors' list of scheduled releases (`ReleaseQuerySet.scheduled()`),
the page cache's next change (`next_change()`), sends and embargoes (`distributable()`,
`Release.is_embargoed()`), and the status editors see (`Release.state`).
"""

from django.db import models
from django.db.models import Q, Subquery
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


SCHEDULED, EXPIRED = "scheduled", "expired"
# What editors read for each stage: "In review", never the stored "in_review".
STAGE_LABELS = {**dict(Status.choices), SCHEDULED: "Scheduled", EXPIRED: "Expired"}


def live_condition(path="", now=None):
    """Live releases, as a condition. `path` applies it through a relation ("release__" from a
    quote), as a join the database can walk in publication order, where `release__in=live()`
    would be a subquery checked release by release."""
    now = now or timezone.now()
    return distributable_condition(path, now) & Q(**{f"{path}published_at__lte": now})


def distributable_condition(path="", now=None):
    """Releases that may be sent to journalists: published and not expired, live or scheduled
    (then under embargo)."""
    now = now or timezone.now()
    return Q(
        Q(**{f"{path}expires_at__isnull": True}) | Q(**{f"{path}expires_at__gt": now}),
        **{f"{path}status": Status.PUBLISHED},
    )


def scheduled_condition(path="", now=None):
    """Releases under embargo, as a condition: published for a time still to come."""
    now = now or timezone.now()
    return Q(**{f"{path}status": Status.PUBLISHED, f"{path}published_at__gt": now})


def stage(status, published_at, expires_at, now=None):
    """The status as editors think of it: a published release whose time has not come is
    SCHEDULED, one whose expiry has passed EXPIRED; otherwise its status. The same rule as
    live_condition(), read for one release."""
    now = now or timezone.now()
    if status == Status.PUBLISHED and published_at is not None:
        if published_at > now:
            return SCHEDULED
        if expires_at is not None and expires_at <= now:
            return EXPIRED
    return status


def publication_time(typed, stored, now=None):
    """When a release being published goes live: the time typed in the workflow panel, else
    the publication time entered on the release (a past one backdates it, live at once; a
    future one schedules it), else now."""
    return typed or stored or now or timezone.now()


def next_change(releases, now=None):
    """The next moment one of `releases` goes live or expires by itself, or None. One query,
    each moment the first entry of an index (the live and the expiry index) rather than the
    smallest of every published release's times."""
    now = now or timezone.now()
    published = releases.filter(status=Status.PUBLISHED).order_by()
    publish = published.filter(published_at__gt=now).order_by("published_at")
    expire = published.filter(expires_at__gt=now).order_by("expires_at")
    times = (
        releases.model._default_manager.order_by()
        .annotate(
            publish=Subquery(publish.values("published_at")[:1]),
            expire=Subquery(expire.values("expires_at")[:1]),
        )
        .values_list("publish", "expire")
        .first()
    )
    return min((moment for moment in times or () if moment), default=None)
