"""Workers that die, and the tasks they were running.

A `db_worker` takes a task by marking it RUNNING. If the process is then killed (the kernel's
out-of-memory killer on a huge spreadsheet, a deploy, a lost machine), django-tasks leaves the
task RUNNING for ever and whatever waits on it waits for ever. So every worker process says it
is alive: while it runs a task, a thread writes its `WorkerProcess.last_seen` every quarter of
WORKER_TIMEOUT_SECONDS. Each turn of the dispatcher, `recover()` takes a RUNNING task whose
worker has not been seen for WORKER_TIMEOUT_SECONDS as orphaned and either queues it again (a
task declared safe to run twice, up to MAX_RUNS runs) or marks it failed with the reason and
tells whoever waits on it. All of it is in the database: workers and dispatchers may run on any
machines, and a second dispatcher does nothing twice.

What happens to a task when its worker dies is declared beside the task:

    when_worker_dies(send_mailing, retry=True)    # idempotent: run it again
    when_worker_dies(run_import, then=stopped)    # failed, and stopped(job_id) is called

A task nobody declared is marked failed.

A task hanging in a live worker (waiting for ever on a lock, say) is not recovered: the worker
is alive. Stop that worker (SIGKILL) and recovery takes over.
"""

import datetime
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from core.models import WorkerProcess

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20  # the default of the WORKER_TIMEOUT_SECONDS setting
MAX_RUNS = 3  # a retried task whose worker died this many times is failed: it may be the cause
FORGET_AFTER = datetime.timedelta(days=1)  # rows of workers gone this long are deleted


class WorkerLost(Exception):
    """The class a task failed by `recover()` records: its worker stopped."""


@dataclass(frozen=True)
class Recovery:
    retry: bool = False
    then: Callable | None = None  # called with the task's arguments once the task is marked failed


RECOVERY = {}  # task path -> Recovery


def when_worker_dies(task, retry=False, then=None):
    """Declare what `recover()` does with `task` when its worker dies: queue it again if it is
    safe to run twice (`retry`), else mark it failed and call `then(*args, **kwargs)`."""
    RECOVERY[task.module_path] = Recovery(retry, then)


def timeout():
    """How long a worker may go unseen before it is taken for dead; its claims on emails are
    leases of the same length (contacts/mailings/sending.py)."""
    return datetime.timedelta(seconds=getattr(settings, "WORKER_TIMEOUT_SECONDS", TIMEOUT_SECONDS))


class Heartbeat:
    """Calls `beat` every `every` seconds in a daemon thread until stopped. A thread, so that
    a long task or a slow mail server does not stop it; with its own database connection."""

    def __init__(self, beat, every):
        self.beat, self.every = beat, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, name="heartbeat", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopped.set()
        self.thread.join()

    def run(self):
        try:
            while not self.stopped.wait(self.every):
                try:
                    self.beat()
                except Exception:  # the database restarting, say: the next beat reconnects
                    logger.warning("A heartbeat could not be written", exc_info=True)
                    connection.close()
        finally:
            connection.close()


def seen(worker_id):
    """Record that the worker `worker_id` (this process) is alive."""
    now = timezone.now()
    if not WorkerProcess.objects.filter(worker_id=worker_id).update(last_seen=now):
        WorkerProcess.objects.update_or_create(
            worker_id=worker_id,
            defaults={"last_seen": now},
            create_defaults={"host": socket.gethostname()[:255], "pid": os.getpid()},
        )


_beating = {}  # worker id -> the Heartbeat of the task it runs in this process


def task_started(sender, task_result, **kwargs):
    """Connected to django-tasks' `task_started` (ContactsConfig.ready): while a `db_worker`
    runs a task, a thread says every quarter of the timeout that the worker is alive. (Until
    its first beat the worker is judged on the task's start.)"""
    worker_id = database_worker(sender, task_result)
    if worker_id:
        stop_beating(worker_id)  # the end of its last task was not signalled
        every = timeout().total_seconds() / 4
        _beating[worker_id] = Heartbeat(lambda: seen(worker_id), every).start()


def task_finished(sender, task_result, **kwargs):
    """Connected to django-tasks' `task_finished`: the task's heartbeat stops."""
    worker_id = database_worker(sender, task_result)
    if worker_id:
        stop_beating(worker_id)


def database_worker(sender, task_result):
    """The id of the worker running `task_result`, if it runs on the database backend."""
    backend = sender if isinstance(sender, type) else type(sender)
    if issubclass(backend, DatabaseBackend) and task_result.worker_ids:
        return task_result.worker_ids[-1]
    return None


def stop_beating(worker_id):
    heartbeat = _beating.pop(worker_id, None)
    if heartbeat is not None:
        heartbeat.stop()


def recover(now=None):
    """Queue again or fail each running task whose worker has not been seen within the
    timeout; returns how many. The dispatcher calls it every turn."""
    now = now or timezone.now()
    cutoff = now - timeout()
    running = list(DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff))
    workers = [result.worker_ids[-1] for result in running if result.worker_ids]
    last_seen = dict(
        WorkerProcess.objects.filter(worker_id__in=workers).values_list("worker_id", "last_seen")
    )
    recovered = 0
    for result in running:
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if max(last_seen.get(worker, result.started_at), result.started_at) < cutoff:
            recovered += orphaned(result, worker, last_seen.get(worker), now)
    WorkerProcess.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()
    return recovered


def orphaned(result, worker, last_seen, now):
    """Queue the task of a dead worker again, or fail it and tell its owner; 0 if another
    dispatcher was first."""
    recovery = recovery_of(result.task_path)
    # `started_at` too: once queued again the task may be running again, in a live worker.
    still = DBTaskResult.objects.filter(
        pk=result.pk, status="RUNNING", started_at=result.started_at
    )
    if recovery.retry and len(result.worker_ids) < MAX_RUNS:
        logger.warning(
            "Task %s (%s): its worker %s died; queued again", result.pk, result.task_path, worker
        )
        return still.update(status="READY", started_at=None)
    seen_at = f"last seen {last_seen:%Y-%m-%d %H:%M:%S %Z}" if last_seen else "never seen"
    reason = (
        f"The worker running this task ({worker or 'unknown'}, {seen_at}) stopped: it was "
        f"killed or crashed, perhaps out of memory. Runs: {len(result.worker_ids)}."
    )
    failed = still.update(
        status="FAILED",
        finished_at=now,
        return_value=None,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: {reason}\n",
    )
    logger.warning("Task %s (%s): %s", result.pk, result.task_path, reason)
    if failed and recovery.then is not None:
        args = result.args_kwargs
        try:
            recovery.then(*args.get("args", []), **args.get("kwargs", {}))
        except Exception:  # one owner's trouble must not stop the recovery of the others
            logger.exception("Could not tell the owner of task %s that it failed", result.pk)
    return failed


def recovery_of(task_path):
    """What to do with a task of `task_path`; importing the task's module runs its
    `when_worker_dies`."""
    try:
        import_string(task_path)
    except ImportError:
        return Recovery()
    return RECOVERY.get(task_path, Recovery())
