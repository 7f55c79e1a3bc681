"""The GIN index behind release search. PostgreSQL only: SQLite searches without it."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS release_search_idx ON press_release USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS release_search_idx")


class Migration(migrations.Migration):
    dependencies = [("press", "0003_discovery")]

    operations = [migrations.RunPython(create_index, drop_index)]
