"""Trigram indexes behind the organizations of the site search, on the columns it reads.

Since organizations' names and boilerplates are translated (0019), search reads each in the
reader's language's column and in English (`name_es`, `name_en`, ...), never the original
column that 0007 indexed: every search read all organizations. One GIN index per language's
column, on `UPPER(col)` as `icontains` writes it, and 0007's three dropped. PostgreSQL only.
"""

from django.db import migrations

COLUMNS = ("name", "short_name", "boilerplate")
# The languages whose columns 0019 added (settings.LANGUAGES then), as they end the names.
LANGUAGES = ("en", "es", "pt_br", "fr", "ko", "ar")
FORMER = {f"organization_{column}_trgm_idx": column for column in COLUMNS}


def per_language():
    return {
        f"organization_{column}_{language}_trgm_idx": f"{column}_{language}"
        for language in LANGUAGES
        for column in COLUMNS
    }


def create(schema_editor, indexes):
    for name, column in indexes.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON press_organization "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(schema_editor, indexes):
    for name in indexes:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        create(schema_editor, per_language())
        drop(schema_editor, FORMER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        create(schema_editor, FORMER)
        drop(schema_editor, per_language())


class Migration(migrations.Migration):
    dependencies = [("press", "0022_release_expiry_index")]

    operations = [migrations.RunPython(forwards, backwards)]
