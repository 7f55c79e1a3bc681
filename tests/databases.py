"""Marks for tests that need what only a database server gives."""

import pytest
from django.db import connection

# Threads or processes each holding a connection at once: SQLite's in-memory test database
# (a fresh clone's `make test`) locks a table for the others, and leaves it locked for the
# tests after. CI runs them on PostgreSQL.
several_connections = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="Needs several connections at once: PostgreSQL (DATABASE_URL).",
)
