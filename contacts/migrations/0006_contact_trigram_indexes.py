"""Trigram indexes behind the media contacts search. PostgreSQL only: SQLite scans without them.

The admin searches with `icontains`, which Django writes on PostgreSQL as
`UPPER("col"::text) LIKE UPPER('%term%')`; a GIN index on the same expression with
`gin_trgm_ops` answers that LIKE without reading the million rows. The expression must match
exactly, or the planner ignores the index.
"""

from django.db import migrations

INDEXES = {
    # The changelist search: every term against names and email.
    "contact_last_name_trgm_idx": "last_name",
    "contact_first_name_trgm_idx": "first_name",
    "contact_email_trgm_idx": "email",
    # The region and language filters, free text typed by the user.
    "contact_regions_trgm_idx": "regions",
    "contact_languages_trgm_idx": "languages",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON contacts_mediacontact "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )
    # The do-not-contact filter: a few rows among a million, found without a scan.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS contact_do_not_contact_idx "
        "ON contacts_mediacontact (last_name, first_name, id) WHERE do_not_contact"
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*INDEXES, "contact_do_not_contact_idx"]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0005_import_jobs")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
