"""Sending a mailing: claiming its deliveries and sending each email (composed by
contacts/mailings/emails.py). The only writer of a delivery's status while it is sent; who
receives a mailing, and the mailing's own status, are the model's (contacts/models/mailings.py).

Exactly once. Every (mailing, address) pair is one Delivery row under a unique constraint, made
once by `Mailing.build_deliveries` (building twice adds nothing). A worker *claims* a batch
before any SMTP call: one short transaction locks queued rows with SELECT ... FOR UPDATE SKIP
LOCKED (other workers skip them instead of waiting) and marks them `sending` with the worker's
id and the time. It then sends them one by one. Before each SMTP transaction it records the
attempt on the row (`attempted_at`, `attempts`), in an UPDATE that also checks the claim is
still its own (if not, the row is left alone); as soon as the server has accepted the email, it
marks the row `sent` in its own transaction. Two workers never hold the same row.

A claim is a lease: while a worker sends, a thread renews its claims every quarter of the
lease (WORKER_TIMEOUT_SECONDS, 20 s by default), however slow the mail server. A worker that
dies stops renewing them; once their lease is over, the dispatcher (every 30 s) or the next
worker on the mailing puts them back in the queue (`release_stale_claims`): the rows it had not
begun as they were, without counting an attempt, and the one it was handing to the server as
possibly sent. That row is the only possible duplicate: a kill between the server's acceptance
and the `sent` commit (a window of a reply on loopback and a commit) sends it again, at most one
email per killed worker. The resent email keeps its Message-ID, so mail clients that group by it
show one.

SMTP errors. A temporary failure (server down, 4xx, a dropped session) puts the row back in the
queue with a growing delay (RETRY_AFTER); after MAX_ATTEMPTS it is `failed` with the reason. A
permanent refusal (5xx, an address the server cannot take) fails at once. "Retry failed" queues
failed rows again (`Mailing.retry_failed`).

An address suppressed after its row was made (an opt-out, a bounce; contacts/models/
suppressions.py) is skipped when its turn comes, with the reason: the suppressions of a batch
are read in one query when it is claimed.
"""

import datetime
import logging
import os
import secrets
import socket
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from contacts.mailings.emails import compose
from contacts.mailings.outbox import Outbox, Refused, Retry, Unreachable
from contacts.mailings.translations import sendable_translations, translation_for
from contacts.models import ContactEvent, Delivery, Mailing, Subscriber, Suppression
from core import workers
from press.models import Release

logger = logging.getLogger(__name__)

BATCH_SIZE = 20  # claimed at once: small, so a dead worker strands few rows
CHUNK = 500  # sent by one task before it hands the rest back to the queue
CHUNK_SECONDS = 60
# The wait after the 1st, 2nd, ... failed attempt; the attempt after the last one is final.
RETRY_AFTER = [datetime.timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 120, 240)]
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
Status = Delivery.Status


def worker_id():
    """Who holds a claim: the machine and the process, so an operator can tell a dead one, and
    a random part, so that a restarted worker given the same process id (as in a container)
    never takes a dead one's claims for its own."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


# Claims


def due(now):
    """Queued rows whose turn has come: never tried, handed back, or waited long enough."""
    condition = Q(attempts=0) | Q(claimed_at__isnull=True)
    for attempts, wait in enumerate(RETRY_AFTER, start=1):
        condition |= Q(attempts=attempts, claimed_at__lte=now - wait)
    return condition | Q(attempts__gt=len(RETRY_AFTER), claimed_at__lte=now - RETRY_AFTER[-1])


def claim(mailing, worker, size=BATCH_SIZE):
    """Take up to `size` due rows for `worker`, in one short transaction."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            mailing.deliveries.filter(due(now), status=Status.QUEUED)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        # `status=queued` again: SQLite has no row locks, so a row another worker took between
        # our SELECT and this UPDATE is left to it.
        Delivery.objects.filter(pk__in=ids, status=Status.QUEUED).update(
            status=Status.SENDING, claimed_by=worker, claimed_at=now, attempted_at=None
        )
    claimed = Delivery.objects.filter(pk__in=ids, status=Status.SENDING, claimed_by=worker)
    return list(claimed.select_related("subscriber", "contact").order_by("pk"))


def renew(mailing, worker):
    """`worker` is alive: its claims on `mailing` start a new lease (from its Heartbeat)."""
    Delivery.objects.filter(mailing=mailing, status=Status.SENDING, claimed_by=worker).update(
        claimed_at=timezone.now()
    )


def begin(delivery, worker, translation=None):
    """Record the attempt on the row before its SMTP transaction, with the translation it
    sends (None: the mailing's release); False if the claim is no longer `worker`'s (its lease
    ran out and the row went back to the queue)."""
    delivery.release = translation
    return bool(
        Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING, claimed_by=worker).update(
            attempted_at=timezone.now(), attempts=F("attempts") + 1, release=translation
        )
    )


def release_stale_claims(lease=None, mailing=None):
    """Rows whose worker stopped renewing its claim (it died) go back to the queue; returns how
    many. Those it had not begun go back as they were. The one it was handing to the mail
    server may have been accepted: it is queued again, the reader perhaps getting it twice, or
    failed if that has happened MAX_ATTEMPTS times (an email that kills its worker must not
    kill them all)."""
    cutoff = timezone.now() - (lease or workers.timeout())
    stale = Delivery.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    if mailing is not None:
        stale = stale.filter(mailing=mailing)
    begun = stale.filter(attempted_at__isnull=False)
    for pk, email in begun.values_list("pk", "email"):
        logger.warning("Delivery %s to %s: its worker stopped mid-send; it may go twice", pk, email)
    begun.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED, claimed_by="", error="The worker stopped while sending it, each time."
    )
    requeued = begun.update(
        status=Status.QUEUED,
        claimed_by="",
        claimed_at=None,
        attempted_at=None,
        error="Queued again: the worker sending it stopped, perhaps after the server took it.",
    )
    return requeued + stale.update(status=Status.QUEUED, claimed_by="", claimed_at=None)


def next_run(mailing):
    """When `mailing` next has due rows: now, a later time (rows waiting to retry), or None."""
    now = timezone.now()
    queued = mailing.deliveries.filter(status=Status.QUEUED)
    if queued.filter(due(now)).exists():
        return now
    waits = queued.values("attempts").annotate(first=Min("claimed_at"))
    times = [
        row["first"] + RETRY_AFTER[min(row["attempts"], len(RETRY_AFTER)) - 1] for row in waits
    ]
    return min(times, default=None)


# Sending


@dataclass
class Run:
    sent: int = 0
    unreachable: str = ""


def deliver(mailing, worker=None, limit=CHUNK, seconds=CHUNK_SECONDS, lease=None, size=BATCH_SIZE):
    """Send due emails of `mailing`, a batch at a time, until none is due, `limit` emails or
    `seconds` have gone by, the release may no longer be sent, or the server is unreachable.
    Its claims are renewed all along by a Heartbeat thread."""
    worker = worker or worker_id()
    lease = lease or workers.timeout()
    release_stale_claims(lease, mailing)
    release = (
        Release.objects.select_related("byline")
        .prefetch_related("topics")
        .get(pk=mailing.release_id)
    )
    mailing.release = release
    translations = sendable_translations(mailing)
    run, stop_at = Run(), time.monotonic() + seconds
    outbox = Outbox()
    heartbeat = workers.Heartbeat(lambda: renew(mailing, worker), lease.total_seconds() / 4)
    try:
        heartbeat.start()
        while run.sent < limit and time.monotonic() < stop_at and mailing.may_send():
            batch = claim(mailing, worker, size)
            if not batch:
                break
            suppressed = Suppression.objects.among(delivery.email for delivery in batch)
            for index, delivery in enumerate(batch):
                try:
                    sent = translation_for(delivery, release, translations)
                    run.sent += send_one(outbox, mailing, sent, delivery, worker, suppressed)
                except Unreachable as error:
                    retry_later(batch[index:], str(error))
                    run.unreachable = str(error)
                    return run
    finally:
        heartbeat.stop()
        outbox.close()
    mailing.finish()
    return run


def send_one(outbox, mailing, release, delivery, worker, suppressed=None):
    """Send one claimed row and record the outcome; 1 if it went out. Unreachable propagates.
    `release`: the mailing's, or the translation sent in its place (contacts.mailings.
    translations). `suppressed`: the suppressions of the batch's addresses, looked up once for
    the batch."""
    if suppressed is None:
        suppressed = Suppression.objects.among([delivery.email])
    reason = skip_reason(mailing, delivery, suppressed)
    if reason:
        return record(delivery, worker, Status.SKIPPED, reason)
    translation = release if release.pk != mailing.release_id else None
    if not begin(delivery, worker, translation):
        logger.warning("Claim of delivery %s was lost before it was sent", delivery.pk)
        return 0
    detail = f"Mailing {mailing.pk}: {release.title}"
    try:
        message = compose(mailing, release, delivery)
        outbox.send(message, delivery.email)
    except Unreachable:
        raise
    except Retry as error:
        retry_later([delivery], str(error))
        return 0
    except Refused as error:
        return record(delivery, worker, Status.FAILED, str(error))
    except Exception as error:  # one bad row never stops the batch
        logger.exception("Could not send delivery %s", delivery.pk)
        return record(delivery, worker, Status.FAILED, f"Could not send: {error!r}")
    return record(delivery, worker, Status.SENT, detail=detail, message_id=sent_id(message))


def sent_id(message):
    """What a provider's reports on this email will name it by: the id an Anymail backend got
    back from the provider's API, else the Message-ID header we gave it."""
    status = getattr(message, "anymail_status", None)
    provided = status.message_id if status is not None else None
    return provided if isinstance(provided, str) else message.extra_headers["Message-ID"]


def skip_reason(mailing, delivery, suppressed):
    """Whoever left since the rows were made is not written to, nor an address suppressed
    meanwhile (an opt-out, a bounce)."""
    if delivery.email in suppressed:
        return suppressed[delivery.email].explanation
    if mailing.kind == Mailing.Kind.ALERT:
        subscriber = delivery.subscriber
        if subscriber is None or subscriber.status != Subscriber.Status.CONFIRMED:
            return "No longer subscribed when the email was due."
    elif delivery.contact is None or delivery.contact.erased_at:
        return "The contact was removed."
    elif delivery.contact.do_not_contact:
        return "Marked do-not-contact before the email was due."
    return ""


def record(delivery, worker, status, error="", detail="", message_id=""):
    """The outcome of one row, in its own short transaction, only if our claim still holds; a
    media contact's history gets a line for each release sent (`detail`)."""
    now = timezone.now()
    with transaction.atomic():
        changed = Delivery.objects.filter(
            pk=delivery.pk, status=Status.SENDING, claimed_by=worker
        ).update(
            status=status,
            error=error[:500],
            sent_at=now if status == Status.SENT else None,
            message_id=message_id[:255],
        )
        if changed and status == Status.SENT and delivery.contact_id:
            ContactEvent.objects.create(
                contact_id=delivery.contact_id,
                kind=ContactEvent.Kind.SENT,
                detail=detail[:300],
            )
    if not changed:
        logger.warning("Claim of delivery %s was lost before it was recorded", delivery.pk)
    return int(changed and status == Status.SENT)


def retry_later(deliveries, reason):
    """Back to the queue, to be tried after a wait; failed for good after MAX_ATTEMPTS. With
    the server unreachable the rows not begun count the attempt too: they all wait."""
    rows = Delivery.objects.filter(pk__in=[d.pk for d in deliveries], status=Status.SENDING)
    rows.filter(attempted_at__isnull=True).update(attempts=F("attempts") + 1)
    rows.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED,
        claimed_by="",
        error=f"Gave up after {MAX_ATTEMPTS} attempts: {reason}"[:500],
    )
    rows.update(
        status=Status.QUEUED,
        claimed_by="",
        claimed_at=timezone.now(),
        attempted_at=None,
        error=reason[:500],
    )
