"""Writing a checked import: new contacts, changes, beats, list memberships and history, inside
the caller's transaction.

A 100,000-row import writes some 600,000 rows (contacts, beats, memberships, two history
lines each). Django's bulk_create and bulk_update spend most of their time preparing each
value of each field in Python, and bulk_update writes a CASE per field. On PostgreSQL new rows
go through COPY instead (new contacts' ids taken from the sequence first), and changes through
one UPDATE ... FROM (VALUES ...) per batch of BATCH. Each COPY reads its rows from a generator
as the database asks for them, so making the rows here and writing them there (the table, its
indexes) overlap on two cores. Other databases use bulk_create and bulk_update, in batches.

History lines keep the order they always had for each contact: imported (and do-not-contact)
before joining the list.
"""

import datetime
import functools
import itertools

from django.db import connections
from django.utils import timezone
from psycopg2.extras import execute_values

from contacts.imports.plan import BATCH, find_outlets
from contacts.imports.rows import shorten
from contacts.models import ContactEvent, MediaContact, Membership, Outlet
from contacts.models.bulk import batches
from core.ids import next_ids

Event = ContactEvent.Kind
Beat = MediaContact.beats.through
CONTACT_FIELDS = [f for f in MediaContact._meta.concrete_fields if not f.primary_key]
DEFAULTS = {f.attname: f.get_default() for f in CONTACT_FIELDS}
EVENT_COLUMNS = ["contact_id", "kind", "detail", "user_id", "created_at"]
# How often (in rows) the progress bar hears of the contacts being written.
PROGRESS_EVERY = 500


def write(job, plan, progress):
    now = timezone.now()
    file_name = shorten(job.file_name, 150)
    Outlet.objects.bulk_create(
        [Outlet(name=name) for name in plan.new_outlets.values()], ignore_conflicts=True
    )
    outlets = find_outlets(plan.outlets) if plan.new_outlets else plan.outlets

    def new_rows():
        for written, row in enumerate(plan.new, start=1):
            yield contact_row(row.values, outlets, file_name, now)
            if written % PROGRESS_EVERY == 0:
                progress(written)

    columns = [f.attname for f in CONTACT_FIELDS]
    ids = insert(MediaContact, columns, new_rows(), returning=len(plan.new)) if plan.new else []
    new = list(zip(ids, [row.values for row in plan.new], strict=True))
    beats = [(pk, topic) for pk, values in new for topic in values.get("beats", ())]
    insert(Beat, ["mediacontact_id", "topic_id"], beats)
    written = len(new)
    progress(written)

    updated_events = []
    for batch in batches(plan.updated, BATCH):
        names = {"updated_at"}
        for contact, _row, changes in batch:
            names |= apply_changes(contact, changes, outlets, now)
            labels = [str(MediaContact._meta.get_field(name).verbose_name) for name in changes]
            detail = f"{file_name}: updated {', '.join(labels)}"
            updated_events.append((contact["id"], Event.IMPORTED, detail))
            if "do_not_contact" in changes:
                updated_events.append(
                    (contact["id"], Event.DO_NOT_CONTACT, contact["do_not_contact_reason"])
                )
        update(MediaContact, sorted(names), [contact for contact, _, _ in batch])
        new_beats = [(c["id"], changes["beats"]) for c, _, changes in batch if "beats" in changes]
        Beat.objects.filter(mediacontact_id__in=[pk for pk, _ in new_beats]).delete()
        insert(Beat, ["mediacontact_id", "topic_id"], [(pk, t) for pk, ts in new_beats for t in ts])
        written += len(batch)
        progress(written)

    joining = []
    if job.media_list is not None:
        joining = [pk for pk, _ in new]
        joining += [c["id"] for c, _, _ in plan.updated if c["id"] not in plan.members]
        joining += [c["id"] for c, _ in plan.unchanged if c["id"] not in plan.members]
        insert(
            Membership,
            ["media_list_id", "contact_id", "joined_at"],
            [(job.media_list.pk, pk, now) for pk in joining],
        )
    events = history(job, file_name, new, updated_events, joining)
    insert(ContactEvent, EVENT_COLUMNS, ((*event, job.created_by_id, now) for event in events))
    progress(plan.rows)


def history(job, file_name, new, updated_events, joining):
    """(contact id, kind, detail) of every history line the import adds."""
    new_contact = shorten(f"{file_name}: new contact", 300)
    for pk, values in new:
        yield pk, Event.IMPORTED, new_contact
        if values.get("do_not_contact"):
            reason = values.get("do_not_contact_reason", "marked do-not-contact")
            yield pk, Event.DO_NOT_CONTACT, shorten(f"{file_name}: {reason}", 300)
    for pk, kind, detail in updated_events:
        yield pk, kind, shorten(detail, 300)
    if joining:
        detail = shorten(job.media_list.name, 300)
        for pk in joining:
            yield pk, Event.JOINED_LIST, detail


def contact_row(values, outlets, file_name, now):
    """A new contact as a tuple of CONTACT_FIELDS' values, as MediaContact.save() would
    store it."""
    fields = {name: value for name, value in values.items() if name not in ("outlet", "beats")}
    if fields.get("do_not_contact"):
        fields["do_not_contact_since"] = now
        fields.setdefault("do_not_contact_reason", f"{file_name}: marked do-not-contact")
    else:
        fields.pop("do_not_contact_reason", None)
    fields.setdefault("source", f"Import of {file_name}")
    if "outlet" in values:
        fields["outlet_id"] = outlets[values["outlet"].lower()]
    fields["created_at"] = fields["updated_at"] = now
    return tuple(fields.get(f.attname, DEFAULTS[f.attname]) for f in CONTACT_FIELDS)


def apply_changes(contact, changes, outlets, now):
    """Set `changes` on `contact` (a dict of field attnames); the names of the fields to write."""
    names = set()
    for name, value in changes.items():
        if name == "outlet":
            contact["outlet_id"] = outlets[value.lower()]
        elif name == "do_not_contact":
            contact["do_not_contact"], contact["do_not_contact_since"] = True, now
            if not changes.get("do_not_contact_reason"):
                contact["do_not_contact_reason"] = "marked do-not-contact in an import"
            names |= {"do_not_contact_since", "do_not_contact_reason"}
        elif name != "beats":
            contact[name] = value
        if name != "beats":
            names.add(name)
    contact["updated_at"] = now
    return names


def _fast(model):
    connection = connections[model.objects.db]
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"


def insert(model, columns, rows, returning=0):
    """Insert `rows`, an iterable of tuples of `columns`' values (attnames). With `returning`,
    the number of rows, their new ids."""
    if isinstance(rows, list) and not rows:
        return []
    if not _fast(model):
        ids = []
        rows = iter(rows)
        while batch := list(itertools.islice(rows, BATCH)):
            objects = [model(**dict(zip(columns, row, strict=True))) for row in batch]
            model.objects.bulk_create(objects)
            ids += [obj.pk for obj in objects]
        return ids if returning else []
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    ids = []
    with connection.cursor() as cursor:
        if returning:
            ids = next_ids(model, returning)
            rows = ((pk_value, *row) for pk_value, row in zip(ids, rows, strict=True))
            columns = [model._meta.pk.attname, *columns]
        names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
        stream = CopyStream(rows)
        cursor.cursor.copy_expert(
            f"COPY {quote(table)} ({names}) FROM STDIN", stream, size=COPY_CHUNK
        )
    return ids


# What COPY asks for at a time: small enough for the database to start early, large enough
# for few round trips.
COPY_CHUNK = 64 * 1024
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class CopyStream:
    """The file COPY reads: the lines of `rows`, in COPY's text format, made as it reads."""

    def __init__(self, rows):
        self.lines = ("\t".join(map(_copy_text, row)) + "\n" for row in rows)
        self.rest = ""

    def read(self, size=-1):
        parts, length = [self.rest], len(self.rest)
        for line in self.lines:
            parts.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        data = "".join(parts)
        if size < 0:
            self.rest = ""
            return data
        self.rest = data[size:]
        return data[:size]


def _copy_text(value):
    """A value in COPY's text format."""
    if value.__class__ is str:
        return value.translate(COPY_ESCAPES)
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return _date_text(value)
    return str(value).translate(COPY_ESCAPES)


@functools.lru_cache(maxsize=64)
def _date_text(value):
    # Every row of an import has the same few times: its `now`, consent dates.
    return value.isoformat()


def update(model, names, rows):
    """Write the fields `names` of `rows`, dicts of attnames with the primary key's, one
    statement per batch."""
    if not rows:
        return
    fields = [model._meta.pk, *[model._meta.get_field(name) for name in names]]
    if not _fast(model):
        objects = [model(**{f.attname: row[f.attname] for f in fields}) for row in rows]
        model.objects.bulk_update(objects, names, batch_size=BATCH)
        return
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in fields]
    # VALUES has no column types of its own: each value is cast to its column's.
    template = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in fields) + ")"
    assignments = ", ".join(f"{column} = v.{column}" for column in columns[1:])
    table = quote(model._meta.db_table)
    sql = (
        f"UPDATE {table} SET {assignments} FROM (VALUES %s) AS v ({', '.join(columns)}) "
        f"WHERE {table}.{columns[0]} = v.{columns[0]}"
    )
    values = [tuple(row[field.attname] for field in fields) for row in rows]
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, values, template=template, page_size=BATCH)
