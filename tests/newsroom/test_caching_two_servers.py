"""Two app servers sharing Redis: a change made through one is seen by the other at once."""

import os
import subprocess
import sys
import urllib.request

import pytest
from django.db import connection

from tests.factories import make_release
from tests.servers import database_url, free_port, wait_for_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or connection.vendor != "postgresql",
        reason="needs PostgreSQL and Redis shared between processes (CI sets both)",
    ),
]


@pytest.fixture
def other_server():
    """A gunicorn serving the test database with the page cache on, in its own process."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PAGE_CACHE_SECONDS": "60",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-control-socket",
        ],  # fmt: skip
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, server)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode(), response.headers


def test_a_change_made_here_is_seen_by_the_other_server_at_once(other_server, settings):
    settings.PAGE_CACHE_SECONDS = 60
    release = make_release("Cooling centres open")
    first, headers = fetch(other_server + "/")
    assert "Cooling centres open" in first
    assert headers["Cache-Control"] == "public, max-age=60"
    # A change that bypasses the models (no invalidation) is not seen: the page is cached.
    type(release).objects.filter(pk=release.pk).update(title="Quietly renamed")
    assert "Quietly renamed" not in fetch(other_server + "/")[0]

    release.title = "Cooling centres open all night"
    release.save()  # through this process: marks the pages stale in the shared Redis

    assert "Cooling centres open all night" in fetch(other_server + "/")[0]
