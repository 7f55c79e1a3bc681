"""How long the delivery and event logs are kept (GDPR article 5(1)(e), storage limitation).

- NEWSROOM_EVENT_LOG_DAYS (730 by default): what happened after an email left (provider events,
  opens, clicks, opt-outs) and embargo link opens older than this are deleted.
- NEWSROOM_DELIVERY_LOG_DAYS (730 by default): an email sent, failed or skipped longer ago than
  this is made anonymous: its address becomes a placeholder, its error is emptied, and it no
  longer points at the contact or subscriber; the row stays, so each mailing's counts stay
  right. The contact's "Release sent" history lines of that age are deleted with it.

0 keeps a log for ever. `python manage.py forget_old_logs` applies both; the dispatcher
(`run_dispatcher`) does it at most once an hour, a bounded amount each time.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from contacts.models import ContactEvent, Delivery, DeliveryEvent, EmbargoOpen

DEFAULT_DAYS = 730
# Rows are gone through in windows of this many ids.
WINDOW = 10_000
# The dispatcher's share each turn: at most this many windows of each log.
DISPATCHER_BATCHES = 20
DUE_KEY = "contacts:retention:ran"
EVERY = datetime.timedelta(hours=1)
EXPIRED_PREFIX = "expired-"
FINAL = [Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.SKIPPED]


def kept_days(name):
    """The days a log is kept (setting `name`), None for ever."""
    days = getattr(settings, name, DEFAULT_DAYS)
    return days if days and days > 0 else None


def cutoff(name, now):
    days = kept_days(name)
    return None if days is None else now - datetime.timedelta(days=days)


def old_events(now):
    before = cutoff("NEWSROOM_EVENT_LOG_DAYS", now)
    if before is None:
        return DeliveryEvent.objects.none(), EmbargoOpen.objects.none()
    return (
        DeliveryEvent.objects.filter(at__lt=before),
        EmbargoOpen.objects.filter(opened_at__lt=before),
    )


def old_deliveries(now):
    """Deliveries past their time, not made anonymous yet: their time is when they were sent,
    else tried, else when their mailing was made."""
    before = cutoff("NEWSROOM_DELIVERY_LOG_DAYS", now)
    if before is None:
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(status__in=FINAL)
        .alias(when=Coalesce("sent_at", "attempted_at", "mailing__created_at"))
        .filter(when__lt=before)
        .exclude(Q(email__startswith=EXPIRED_PREFIX, contact__isnull=True, subscriber__isnull=True))
    )


def old_history(now):
    before = cutoff("NEWSROOM_DELIVERY_LOG_DAYS", now)
    if before is None:
        return ContactEvent.objects.none()
    return ContactEvent.objects.filter(kind=ContactEvent.Kind.SENT, created_at__lt=before)


def forget_old_logs(now=None, max_batches=None):
    """Apply the retention settings; {log: rows deleted or made anonymous}. With
    `max_batches`, stops after that many windows of ids of each log (the rest waits for next
    time, which starts from the first row still due)."""
    now = now or timezone.now()
    events, opens = old_events(now)
    return {
        "events": _in_batches(events, _delete, max_batches),
        "embargo_opens": _in_batches(opens, _delete, max_batches),
        "deliveries": _in_batches(old_deliveries(now), _anonymise, max_batches),
        "history": _in_batches(old_history(now), _delete, max_batches),
    }


def forget_old_logs_when_due(now=None):
    """`forget_old_logs`, a bounded share, if no dispatcher did it in the last hour (the cache
    is shared through Redis, so over every machine); None when not due."""
    if not cache.add(DUE_KEY, True, timeout=EVERY.total_seconds()):
        return None
    return forget_old_logs(now, max_batches=DISPATCHER_BATCHES)


def _in_batches(queryset, action, max_batches):
    """`action` on the rows of `queryset`, a window of WINDOW ids at a time from the first of
    them (one statement each, on the primary key's index, however the rows are spread); at most
    `max_batches` windows."""
    first = queryset.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        return 0
    last = queryset.model.objects.order_by("-pk").values_list("pk", flat=True).first()
    done, batches, start = 0, 0, first
    while start <= last and (max_batches is None or batches < max_batches):
        done += action(queryset.filter(pk__gte=start, pk__lt=start + WINDOW))
        batches, start = batches + 1, start + WINDOW
    return done


def _delete(rows):
    return rows.delete()[0]


def _anonymise(rows):
    # A placeholder unique to the row: an address is unique within its mailing.
    placeholder = Concat(Value(EXPIRED_PREFIX), Cast("pk", CharField()), Value("@erased.invalid"))
    return rows.update(email=placeholder, error="", contact=None, subscriber=None, claimed_by="")
