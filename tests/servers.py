"""What a test needs to run a server or a worker in a process of its own (SMTP, Redis, gunicorn,
an S3 store, db_worker): a free port on 127.0.0.1, waiting until it answers, and the address
of the test database, which other processes can open on PostgreSQL.

Loopback only: a test opens no connection to any other address.
"""

import socket
import time

from django.db import connection


def free_port():
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, seconds=20):
    """Return once something answers on `port` of 127.0.0.1; fail if `process` stops first or
    nothing answers within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped while starting"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing answers on port {port}")


def database_url():
    """DATABASE_URL of the test database, for a process the test starts (PostgreSQL: another
    process sees only what the test has committed, so such tests use transaction=True)."""
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
