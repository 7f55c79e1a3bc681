"""Running the tasks a test queued, as `manage.py db_worker --batch` runs them.

from tests.tasks import run_queued_tasks

client.post("/subscribe/", ...)   # queues a task on the database backend, as in production
[result] = run_queued_tasks()     # what the worker does
"""

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def batch_worker(worker_id="test-worker"):
    """The worker `db_worker --batch` runs, to run a claimed task with `.run_task(result)`."""
    return Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
    )


def run_queued_tasks():
    """Claim and run every task that is ready, in the worker's order, recording each outcome
    as the worker does; the results, refreshed. The command itself cannot run in a test: it
    closes the database connection between tasks, and with it the test's transaction."""
    worker = batch_worker()
    results = []
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return results
            result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        results.append(result)
