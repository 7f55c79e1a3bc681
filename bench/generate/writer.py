"""Writing generated rows in bulk: COPY on PostgreSQL (keys taken from the sequences first, so
links can point at them), bulk_create elsewhere; and the load's indexes, dropped and built again
once."""

import csv
import io
import time

from django.conf import settings
from django.db import connection
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from core.ids import next_ids


class Writer:
    """Writes plain rows ({attribute name: value}, missing fields take their defaults) of a
    model in bulk, and returns their primary keys when asked."""

    def __init__(self, batch_size, now):
        self.batch_size = batch_size
        self.now = now
        self.copy = connection.vendor == "postgresql"
        self.index_seconds = 0.0

    def insert(self, model, rows, keys=False):
        if not rows:
            return []
        in_default_language(model, rows)
        if not self.copy:
            objects = model.objects.bulk_create(
                [model(**row) for row in rows], batch_size=self.batch_size
            )
            return [obj.pk for obj in objects] if keys else None
        fields = [field for field in model._meta.concrete_fields if keys or not field.primary_key]
        pk = model._meta.pk.attname
        columns_and_defaults = [(field.attname, self.default(field)) for field in fields]
        with connection.cursor() as cursor:
            pks = None
            if keys:
                pks = next_ids(model, len(rows))
                for row, value in zip(rows, pks, strict=True):
                    row[pk] = value
            # CSV through the csv module's C writer: every non-number quoted, so an empty
            # string stays "" and only the nullable columns read "" as NULL. (Text fields are
            # never nullable here, so no text loses an empty string.)
            buffer = io.StringIO()
            write = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerow
            per_row = {name: make for name, make in columns_and_defaults if callable(make)}
            for row in rows:
                for name, make in per_row.items():
                    if name not in row:
                        row[name] = make()
                get = row.get
                write([get(name, default) for name, default in columns_and_defaults])
            buffer.seek(0)
            quote = connection.ops.quote_name
            columns = ", ".join(quote(field.column) for field in fields)
            nullable = ", ".join(quote(field.column) for field in fields if field.null)
            options = f"FORMAT csv, FORCE_NULL ({nullable})" if nullable else "FORMAT csv"
            cursor.copy_expert(
                f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN WITH ({options})",
                buffer,
            )
        return pks

    def default(self, field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if field.primary_key:
            return None
        if field.has_default() and callable(field.default):
            # Called for each row (insert()): a uuid4 key is each row's own, as
            # Model.save() would make it, not one value shared by a whole batch.
            return field.default
        return field.get_default()

    def indexes_dropped(self, models):
        return DroppedIndexes(self, models)


def in_default_language(model, rows):
    """Each translated field's value (django-modeltranslation) also in its default language's
    column, as the admin saves it: pages and search read that column."""
    try:
        translated = translator.get_options_for_model(model).fields
    except NotRegistered:
        return
    language = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    for field in translated:
        column = build_localized_fieldname(field, language)
        for row in rows:
            if field in row:
                row.setdefault(column, row[field])


class DroppedIndexes:
    """On PostgreSQL, drop the secondary indexes of the tables of `models`, unique ones and
    unique constraints included (not primary keys, nor what a foreign key refers to), and
    create them again on the way out, in the same transaction (a failed run rolls both back).
    Building a unique index checks every row at once: a duplicate still fails the run."""

    def __init__(self, writer, models):
        self.writer = writer
        self.tables = [model._meta.db_table for model in models]
        self.definitions = []
        self.constraints = []
        self.triggers_off = False

    def __enter__(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SHOW is_superuser")
            self.triggers_off = cursor.fetchone()[0] == "on"
            if self.triggers_off:
                # No foreign key triggers, as pg_restore --disable-triggers loads: every key
                # written is one this run has just taken from a sequence and written itself.
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                # Checked as rows arrive rather than millions of checks queued for the
                # commit, which would also forbid CREATE INDEX in this transaction.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, quote_ident(c.conname),
                       pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype = 'u'
                  AND NOT EXISTS (
                    SELECT FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
                  )
                ORDER BY 1, 2
                """,
                [self.tables],
            )
            self.constraints = cursor.fetchall()
            for table, name, _ in self.constraints:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            cursor.execute(
                """
                SELECT index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid)
                FROM pg_index index
                WHERE index.indrelid = ANY(%s::regclass[])
                  AND NOT index.indisprimary
                  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = index.indexrelid)
                ORDER BY 1
                """,
                [self.tables],
            )
            self.definitions = cursor.fetchall()
            for name, _ in self.definitions:
                cursor.execute(f"DROP INDEX {name}")

    def __exit__(self, kind, error, traceback):
        if error is not None or connection.vendor != "postgresql":
            return  # on an error the transaction rolls back the drops and settings too
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for table, name, definition in self.constraints:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            for _, definition in self.definitions:
                cursor.execute(definition)
            # Back to normal for whatever else the enclosing transaction does (tests); as
            # Django's own check_constraints() leaves them.
            if self.triggers_off:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.writer.index_seconds = time.monotonic() - started
