"""Webhooks on the task workers. Each turn of the dispatcher (core/turns.py) tells partners
what changed (api/announcing.py) and queues the messages whose attempt is due; a save of a
release queues a turn at once, so partners need not wait for the dispatcher's."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from api import announcing, sending
from api.models import Delivery, Endpoint
from core import workers

# A message queued is held this long by its task; if the task's worker dies, the message is
# due again after it (a post times out well before).
LEASE = datetime.timedelta(minutes=2)


def turn(now=None):
    """Tell partners what changed, and queue each message whose attempt is due."""
    now = now or timezone.now()
    announcing.announce(now)
    queue_due(now)


def queue_due(now):
    """Queue each message whose attempt is due, leased to its task until `now` + LEASE: a
    message waiting for a busy worker is not queued again each turn, and a task run twice
    posts once. Past the lease (its worker died), the message is due again."""
    lease = now + LEASE
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        if Delivery.objects.filter(pk=pk, next_attempt_at__lte=now).update(next_attempt_at=lease):
            deliver.enqueue(pk, lease.isoformat())


@task()
def announce_changes():
    turn()


@task()
def deliver(delivery_id, lease):
    """One attempt at one message, if it still holds the lease it was queued with."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id,
        status=Delivery.Status.PENDING,
        next_attempt_at=datetime.datetime.fromisoformat(lease),
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    if not delivery.endpoint.is_active:
        Delivery.objects.filter(pk=delivery_id).update(next_attempt_at=None)
        return None
    status, milliseconds, error = sending.post(delivery, now)
    delivery.record(status, milliseconds, error, now=now)
    return status


def release_saved(sender, instance, **kwargs):
    """Connected to saves of releases (ApiConfig.ready): a turn once the save commits."""
    transaction.on_commit(queue_turn)


def queue_turn():
    """A turn on a worker, when some partner listens (otherwise the dispatcher's turn keeps
    the record)."""
    if Endpoint.objects.filter(is_active=True).exists():
        announce_changes.enqueue()


# Both safe to run twice: turns write conditionally, messages are claimed.
workers.when_worker_dies(announce_changes, retry=True)
workers.when_worker_dies(deliver, retry=True)
