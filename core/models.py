from django.db import models
from django.utils import timezone


class WorkerProcess(models.Model):
    """A `db_worker` process, and when it last said it was alive (every few seconds while it
    runs a task, from a thread: see core/workers.py). A task left running by a worker not
    seen for a while is recovered by the dispatcher."""

    # django-tasks' id of the worker, as each task result lists it in `worker_ids`.
    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name_plural = "worker processes"

    def __str__(self):
        return f"{self.host}:{self.pid}"
