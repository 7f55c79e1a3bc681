"""Real `db_worker` processes for the dead-worker tests, on the test database (PostgreSQL: one
other processes can open) with tests/contacts/worker_settings.py."""

import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from core.models import WorkerProcess
from tests.smtp_sink import Sink, worker_env

TIMEOUT = 2  # seconds: WORKER_TIMEOUT_SECONDS in worker_settings.py


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Worker processes need a database other processes can open: PostgreSQL.")


def start_worker(tmp_path, sink=None, *options):
    """A `db_worker` polling every tenth of a second; `sink` is its mail server (by default
    one never started: the task sends nothing). What it writes goes to files in `tmp_path`."""
    env = worker_env(sink or Sink())
    env.update(DJANGO_SETTINGS_MODULE="tests.contacts.worker_settings", MEDIA_ROOT=str(tmp_path))
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
    with open(tmp_path / "worker.log", "ab") as log:
        return subprocess.Popen(
            [*command, "--interval=0.1", *options],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def run_worker(tmp_path, sink=None):
    """A `db_worker --batch`: runs every task that is ready, then exits."""
    process = start_worker(tmp_path, sink, "--batch")
    assert process.wait(60) == 0, (tmp_path / "worker.log").read_text()


def wait_until_running(result_id, process, seconds=30):
    """The task's row once a worker runs it and has said it is alive."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the worker stopped by itself"
        row = DBTaskResult.objects.get(pk=result_id)
        if row.status == "RUNNING" and row.worker_ids:
            if WorkerProcess.objects.filter(worker_id=row.worker_ids[-1]).exists():
                return row
        time.sleep(0.05)
    raise AssertionError("no worker ran the task")


def kill(process):
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def outlive_the_timeout():
    """Let a killed worker's last beat (and claims) grow older than the timeout."""
    time.sleep(TIMEOUT + 0.3)
