"""A worker killed mid-send costs at most one duplicate (the email it was handing to the mail
server) and strands its batch for one lease: the attempt is recorded on the row before the SMTP
transaction, a live worker renews its claims however slow the server, and the dispatcher puts a
dead worker's rows back in the queue once their lease is over (two seconds here: see
tests/contacts/worker_settings.py; 20 by default).

Real `db_worker` processes killed with SIGKILL, and a real SMTP server on loopback."""

import datetime
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django_tasks_db.models import DBTaskResult

from contacts.mailings.outbox import Outbox
from contacts.mailings.sending import claim, release_stale_claims, send_one
from contacts.mailings.tasks import dispatch, enqueue_send
from contacts.models import Delivery
from tests.contacts.processes import (
    TIMEOUT,
    needs_postgresql,
    outlive_the_timeout,
    run_worker,
    start_worker,
)
from tests.contacts.test_exactly_once import addresses, kill_at, mailing_to, statuses
from tests.smtp_sink import Sink, use_sink, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def short_timeout(settings):
    settings.WORKER_TIMEOUT_SECONDS = TIMEOUT


def test_a_db_worker_killed_mid_send_leaves_its_batch_for_one_lease_and_no_duplicate(tmp_path):
    needs_postgresql()
    mailing = mailing_to(30)
    with Sink() as sink:
        sink.hold(8)  # killed while the server reads the 8th message, before it accepts it
        enqueue_send(mailing)
        kill_at(start_worker(tmp_path, sink), sink)

        # The batch of 20: 7 sent, the 8th begun (its attempt recorded before the SMTP
        # transaction), 12 claimed and never tried.
        assert statuses(mailing) == {"sent": 7, "sending": 13, "queued": 10}
        begun = mailing.deliveries.filter(status="sending", attempted_at__isnull=False)
        assert list(begun.values_list("email", "attempts")) == [("r007@example.com", 1)]
        untried = mailing.deliveries.filter(status="sending", attempted_at__isnull=True)
        assert list(untried.values_list("attempts", flat=True)) == [0] * 12
        dispatch()
        assert statuses(mailing)["sending"] == 13  # the lease is not over: it may be alive

        outlive_the_timeout()
        dispatch()
        assert statuses(mailing) == {"sent": 7, "queued": 23}
        again = mailing.deliveries.get(email="r007@example.com")
        assert (again.attempts, again.error) == (
            1,
            "Queued again: the worker sending it stopped, perhaps after the server took it.",
        )
        assert not mailing.deliveries.filter(status="queued", attempts__gt=0).exclude(pk=again.pk)
        run_worker(tmp_path, sink)

    assert sink.count_by_recipient() == addresses(30)
    assert statuses(mailing) == {"sent": 30}
    # The killed worker's task was queued again, and ran to the end like the others.
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_live_worker_keeps_its_claims_however_slow_the_mail_server(settings):
    """Each email takes longer than the lease; the worker's claims are renewed all along, so
    the dispatcher never takes them back (which would send them twice)."""
    needs_postgresql()
    mailing = mailing_to(2)
    lease = datetime.timedelta(seconds=1)
    with Sink(delay=1.5) as sink:
        command = [
            sys.executable,
            "manage.py",
            "send_mailing",
            str(mailing.pk),
            "--lease-seconds=1",
        ]
        worker = subprocess.Popen(command, cwd=django_settings.BASE_DIR, env=worker_env(sink))
        released = 0
        while worker.poll() is None:
            released += release_stale_claims(lease)
            time.sleep(0.1)
        assert worker.returncode == 0

    assert released == 0
    assert sink.count_by_recipient() == addresses(2)
    assert statuses(mailing) == {"sent": 2}


def test_a_worker_whose_claim_was_taken_over_does_not_send_the_email(settings):
    """Its lease ran out (a worker stalled longer than the timeout) and another took the row:
    the check made when the attempt is recorded stops it before the SMTP transaction."""
    mailing = mailing_to(1)
    mailing.start()
    [delivery] = claim(mailing, "stalled")
    Delivery.objects.filter(pk=delivery.pk).update(claimed_by="another")
    with Sink() as sink:
        use_sink(settings, sink)
        outbox = Outbox()
        try:
            assert send_one(outbox, mailing, mailing.release, delivery, "stalled") == 0
        finally:
            outbox.close()

    assert sink.received == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.claimed_by, delivery.attempts) == ("sending", "another", 0)
