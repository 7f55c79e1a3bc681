"""Tests of data migrations: the test database moved back to the state before a migration,
filled as it was then, moved forward, and read; then back at the latest migrations."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """The database migrated to `targets`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def latest_schema_after():
    """The test database back at the latest migrations for the tests after this one (autouse
    in the test modules that import it)."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
