"""A task whose worker died (killed, out of memory) does not stay "running" for ever: the
dispatcher finds it once the worker has not been seen for WORKER_TIMEOUT_SECONDS, and queues it
again if it is safe to run twice, or marks it failed with the reason and tells its owner. A
contact import then fails with a message and can be started again.

Real `db_worker` processes, killed with SIGKILL mid-task (tests/contacts/processes.py); the
timeout is two seconds here (tests/contacts/worker_settings.py)."""

import datetime
import errno
import os
import threading
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contacts.mailings.tasks import dispatch
from contacts.models import MediaContact
from core.models import WorkerProcess
from core.workers import recover
from tests.contacts.importing import IMPORT_URL, csv_file, upload
from tests.contacts.processes import (
    TIMEOUT,
    kill,
    needs_postgresql,
    outlive_the_timeout,
    run_worker,
    start_worker,
    wait_until_running,
)
from tests.contacts.worker_tasks import heartbeats, nap, nap_on_first_run
from tests.tasks import batch_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def short_timeout(settings):
    settings.WORKER_TIMEOUT_SECONDS = TIMEOUT


def test_a_task_whose_worker_is_killed_is_marked_failed_with_the_reason(tmp_path):
    needs_postgresql()
    result = nap.enqueue(60)
    worker = start_worker(tmp_path)
    wait_until_running(result.id, worker)
    kill(worker)
    assert recover() == 0  # seen less than the timeout ago: it may be alive

    outlive_the_timeout()
    assert recover() == 1

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.exception_class_path) == ("FAILED", "core.workers.WorkerLost")
    assert "stopped: it was killed or crashed, perhaps out of memory. Runs: 1." in row.traceback
    assert row.finished_at is not None
    assert recover() == 0  # once


def test_a_task_safe_to_run_twice_is_queued_again_when_its_worker_dies_and_finishes(tmp_path):
    needs_postgresql()
    result = nap_on_first_run.enqueue(60)
    worker = start_worker(tmp_path)
    wait_until_running(result.id, worker)
    kill(worker)
    outlive_the_timeout()

    assert dispatch() == 0  # the dispatcher's turn; it queues no send
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    run_worker(tmp_path)

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value, len(row.worker_ids)) == ("SUCCESSFUL", "rested", 2)


def test_a_live_worker_running_a_task_longer_than_the_timeout_is_left_alone(tmp_path):
    needs_postgresql()
    result = nap.enqueue(TIMEOUT * 2)
    worker = start_worker(tmp_path, None, "--batch")
    wait_until_running(result.id, worker)
    while worker.poll() is None:
        assert recover() == 0
        time.sleep(0.2)

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == ("SUCCESSFUL", "rested")


def test_a_worker_says_it_is_alive_only_while_it_runs_a_task():
    """The heartbeat thread lives as long as the task, so nothing is left running in a process
    that runs a task in-process (as a test may), and an idle worker writes nothing."""
    result = heartbeats.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("in-process")
    batch_worker("in-process").run_task(row)

    assert (row.status, row.return_value) == ("SUCCESSFUL", 1)
    assert [thread for thread in threading.enumerate() if thread.name == "heartbeat"] == []


def test_a_task_whose_worker_died_three_times_is_failed_not_queued_again():
    """Something in it may be what kills its workers."""
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    WorkerProcess.objects.create(worker_id="alive", host="worker-1", pid=7)
    tasks = {
        workers: nap_on_first_run.enqueue(60).id
        for workers in (("dead-1",), ("dead-1", "dead-2", "dead-3"), ("alive",))
    }
    for workers, pk in tasks.items():
        DBTaskResult.objects.filter(pk=pk).update(
            status="RUNNING", started_at=long_ago, worker_ids=list(workers)
        )

    assert recover() == 2

    status = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert [status[pk] for pk in tasks.values()] == ["READY", "FAILED", "RUNNING"]


def test_an_import_whose_worker_is_killed_fails_with_the_reason_and_can_be_started_again(
    settings, tmp_path, officer_client
):
    """The worker is killed mid-check, as the kernel kills one that runs out of memory on a
    huge spreadsheet."""
    needs_postgresql()
    settings.MEDIA_ROOT = tmp_path
    settings.CONTACTS_IMPORT_BACKGROUND_ROWS = 1
    rows = ("lois@example.com,Lois,Lane,,,,,", "clark@example.com,Clark,Kent,,,,,")
    job, page = upload(officer_client, csv_file(*rows))
    assert job.status == "checking" and "Checking the 2 rows" in page
    # The upload becomes a pipe, which stops the worker where it reads the file, mid-task.
    path = Path(job.file.path)
    path.unlink()
    os.mkfifo(path)
    worker = start_worker(tmp_path)
    writer = wait_for_the_reader(path, worker)
    kill(worker)
    os.close(writer)
    outlive_the_timeout()

    dispatch()

    job.refresh_from_db()
    message = (
        "The worker stopped while checking this file: nothing was imported. Upload it again; "
        "if it stops again, the file may be too big for the worker: split it."
    )
    assert (job.status, job.message, job.file.name) == ("failed", message, "")
    assert list(tmp_path.joinpath("contact-imports").iterdir()) == []  # personal data gone
    assert DBTaskResult.objects.get().status == "FAILED"
    page = officer_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert "Nothing imported" in page and message in page
    assert 'http-equiv="refresh"' not in page and f'href="{IMPORT_URL}">Upload a file</a>' in page

    again, _ = upload(officer_client, csv_file(*rows))
    run_worker(tmp_path)
    again.refresh_from_db()
    assert (again.status, again.new_count) == ("checked", 2)
    assert not MediaContact.objects.exists()  # checked, waiting for confirmation


def wait_for_the_reader(pipe, process, seconds=30):
    """Open `pipe` for writing once the worker has opened it for reading; the descriptor."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the worker stopped by itself"
        try:
            return os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:
            if error.errno != errno.ENXIO:  # ENXIO: nobody reads it yet
                raise
        time.sleep(0.05)
    raise AssertionError("the worker never read the file")
