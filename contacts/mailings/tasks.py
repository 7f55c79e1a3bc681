"""Background work of mailings, on django-tasks with its database backend.

Workers: `python manage.py db_worker` (as many as you like, on any machine sharing the database).
They run `send_mailing` tasks. django-tasks has no clock, so one more process,
`python manage.py run_dispatcher`, calls `dispatch()` every 30 seconds: it makes the topic alert of
each release that has become live (one for a release and its translations), starts the sends
whose time has come, and recovers what a dead worker left behind: its emails
(contacts/mailings/sending.py) and its tasks, of any kind (core/workers.py); once an hour it
applies the retention of delivery logs (contacts/privacy/retention.py), and what other apps
registered with core/turns.py. Scheduled alerts and sends therefore start within a minute.
Running two dispatchers is harmless: every step is idempotent (unique alert per translation
group, unique delivery per address, claims, conditional updates).

The tasks are stored under contacts.tasks (see contacts/task_paths.py).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from contacts.mailings import sending
from contacts.models import Delivery, Mailing
from contacts.privacy import retention
from contacts.task_paths import stored_at
from core import turns, workers
from press.models import ReleaseRead


@task()
@stored_at("contacts.tasks")
def send_mailing(mailing_id):
    """Start the mailing if it is due, then send up to a chunk of it; what is left goes back to
    the queue as another task, so other workers can join in and the dispatcher's turn comes."""
    mailing = Mailing.objects.select_related("release", "created_by").filter(pk=mailing_id).first()
    if mailing is None or mailing.status not in (Mailing.Status.QUEUED, Mailing.Status.SENDING):
        return {"sent": 0}
    if not mailing.is_due():
        return {"sent": 0}  # the dispatcher starts it on time
    mailing.start()
    queued = mailing.deliveries.filter(status=Delivery.Status.QUEUED)
    if shared_queue() and queued.count() > sending.BATCH_SIZE:
        enqueue_send(mailing)  # an idle worker may take part
    run = sending.deliver(mailing)
    now = timezone.now()
    # The server down: everything waits, not only the rows that were tried.
    following = now + sending.RETRY_AFTER[0] if run.unreachable else sending.next_run(mailing)
    if following is not None and mailing.may_send():
        enqueue_send(mailing, run_after=following if following > now else None)
    return {"sent": run.sent, "unreachable": run.unreachable}


# Safe to run twice: rows are claimed, sent rows are never sent again.
workers.when_worker_dies(send_mailing, retry=True)


def enqueue_send(mailing, run_after=None):
    """Queue `send_mailing` unless one is already waiting for this mailing; with `run_after`,
    the one waiting is put off until then (the server is down, or every row waits to retry)."""
    backend = send_mailing.get_backend()
    if shared_queue():
        waiting = DBTaskResult.objects.filter(
            status="READY", task_path=send_mailing.module_path, args_kwargs__args__0=mailing.pk
        )
        if waiting.update(run_after=run_after) if run_after else waiting.exists():
            return None
    if run_after is not None:
        if not backend.supports_defer:
            return None  # the dispatcher will come back to it
        return send_mailing.using(run_after=run_after).enqueue(mailing.pk)
    return send_mailing.enqueue(mailing.pk)


def shared_queue():
    """Tasks wait in the database for workers (not run at once, as in tests or development)."""
    return isinstance(send_mailing.get_backend(), DatabaseBackend)


def dispatch(now=None):
    """One turn of the dispatcher; returns how many sends it queued."""
    now = now or timezone.now()
    ReleaseRead.objects.move_waiting_when_due()
    Mailing.objects.create_alerts(now)
    sending.release_stale_claims()
    workers.recover(now)
    retention.forget_old_logs_when_due(now)
    turns.run_each_turn(now)  # what other apps registered (partners' webhooks, insights' rollups)
    waiting = Delivery.objects.filter(
        sending.due(now), mailing=OuterRef("pk"), status=Delivery.Status.QUEUED
    )
    mailings = Mailing.objects.filter(
        Q(status=Mailing.Status.QUEUED, send_at__isnull=True)
        | Q(status=Mailing.Status.QUEUED, send_at__lte=now)
        | Q(Exists(waiting), status=Mailing.Status.SENDING)
    ).order_by("pk")
    queued = 0
    for mailing in mailings:
        if mailing.may_send(now) and enqueue_send(mailing) is not None:
            queued += 1
    return queued


@task()
@stored_at("contacts.tasks")
def dispatch_due():
    """`dispatch()` as a task, for those who prefer to trigger it from cron or a worker."""
    return dispatch()


workers.when_worker_dies(dispatch_due, retry=True)
