"""Tasks of the dead-worker tests, run by real `db_worker` processes (which import them by
their path, as any task)."""

import threading
import time

from django_tasks import task

from core.workers import when_worker_dies


@task()
def nap(seconds):
    """Any task, declared nowhere: when its worker dies it is marked failed."""
    time.sleep(seconds)
    return "rested"


@task(takes_context=True)
def nap_on_first_run(context, seconds):
    """A task declared safe to run twice. It sleeps on its first run only, so that a test can
    kill that run and see the next one finish."""
    if len(context.task_result.worker_ids) == 1:
        time.sleep(seconds)
    return "rested"


when_worker_dies(nap_on_first_run, retry=True)


@task()
def heartbeats():
    """How many heartbeat threads run in this process while this task runs."""
    return sum(1 for thread in threading.enumerate() if thread.name == "heartbeat")
