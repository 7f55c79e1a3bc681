"""The suite runs in one process per core (pytest-xdist). What the processes would share and
each empties or rewrites between tests gets one of its own per process, before Django reads its
settings: the Redis database (every test starts on an empty cache) and the uploads folder.
PostgreSQL test databases are already one per process (pytest-django names them ..._gw0, _gw1).

Loaded with `-p tests.parallel` (pyproject addopts)."""

import os
import shutil
import tempfile
from urllib.parse import urlsplit, urlunsplit

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """Runs before pytest-django sets Django up: a wrapper goes first."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        number = int(worker.removeprefix("gw"))
        if os.environ.get("REDIS_URL"):
            os.environ["REDIS_URL"] = redis_database_for(os.environ["REDIS_URL"], number)
        os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"newsroom-media-{worker}-")
    return (yield)


def pytest_unconfigure(config):
    if os.environ.get("PYTEST_XDIST_WORKER") and "newsroom-media-" in os.environ["MEDIA_ROOT"]:
        shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)


def redis_database_for(url, number):
    """`url` moved `number` databases on: redis://host:6379/0 is redis://host:6379/1 for the
    second process. Redis has 16."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = base + number
    if database > 15:
        raise pytest.UsageError(f"REDIS_URL {url}: no Redis database {database} for {number}")
    return urlunsplit(parts._replace(path=f"/{database}"))
