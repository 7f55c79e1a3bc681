"""Trigram indexes behind the people and organizations of the site search. PostgreSQL only:
SQLite scans without them.

press/search.py matches each word with `icontains`, which Django writes on PostgreSQL as
`UPPER("col"::text) LIKE UPPER('%word%')`; a GIN index on the same expression with
`gin_trgm_ops` answers it without reading every person's biography (20,000 in the benchmark).
"""

from django.db import migrations

INDEXES = {
    "person_name_trgm_idx": ("press_person", "name"),
    "person_bio_trgm_idx": ("press_person", "bio"),
    "organization_name_trgm_idx": ("press_organization", "name"),
    "organization_short_name_trgm_idx": ("press_organization", "short_name"),
    "organization_boilerplate_trgm_idx": ("press_organization", "boilerplate"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("press", "0006_pinned_release_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
