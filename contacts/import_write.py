"""Writing a checked import: new contacts, changes, beats, list memberships and history, in
batches of BATCH rows, inside the caller's transaction.

A 100,000-row import writes some 600,000 rows (contacts, beats, memberships, two history
lines each). Django's bulk_create and bulk_update spend most of their time preparing each
value of each field in Python, and bulk_update writes a CASE per field. On PostgreSQL new rows
go through COPY instead (new contacts' ids taken from the sequence first), and changes through
one UPDATE ... FROM (VALUES ...) per batch. Other databases use bulk_create and bulk_update.
"""

import datetime
import io

from django.db import connections
from django.utils import timezone

from contacts.import_plan import BATCH, batches, find_outlets
from contacts.models import ContactEvent, MediaContact, Membership, Outlet
from contacts.resources import shorten

Event = ContactEvent.Kind
Beat = MediaContact.beats.through
CONTACT_FIELDS = [f for f in MediaContact._meta.concrete_fields if not f.primary_key]
DEFAULTS = {f.attname: f.get_default() for f in CONTACT_FIELDS}


def write(job, plan, progress):
    now = timezone.now()
    file_name = shorten(job.file_name, 150)
    history = History(job, now)
    Outlet.objects.bulk_create(
        [Outlet(name=name) for name in plan.new_outlets.values()], ignore_conflicts=True
    )
    outlets = find_outlets(plan.outlets) if plan.new_outlets else plan.outlets
    written = 0
    for batch in batches(plan.new, BATCH):
        rows = [contact_row(row.values, outlets, file_name, now) for row in batch]
        ids = insert(MediaContact, [f.attname for f in CONTACT_FIELDS], rows, returning=True)
        beats = []
        for pk, row in zip(ids, batch, strict=True):
            beats += [(pk, topic) for topic in row.values.get("beats", ())]
            history.add(pk, Event.IMPORTED, f"{file_name}: new contact")
            if row.values.get("do_not_contact"):
                reason = row.values.get("do_not_contact_reason", "marked do-not-contact")
                history.add(pk, Event.DO_NOT_CONTACT, f"{file_name}: {reason}")
        insert(Beat, ["mediacontact_id", "topic_id"], beats)
        history.join(ids)
        written += len(batch)
        progress(written)
    for batch in batches(plan.updated, BATCH):
        names = {"updated_at"}
        for contact, _row, changes in batch:
            names |= apply_changes(contact, changes, outlets, now)
            labels = [str(MediaContact._meta.get_field(name).verbose_name) for name in changes]
            history.add(contact["id"], Event.IMPORTED, f"{file_name}: updated {', '.join(labels)}")
            if "do_not_contact" in changes:
                history.add(contact["id"], Event.DO_NOT_CONTACT, contact["do_not_contact_reason"])
        update(MediaContact, sorted(names), [contact for contact, _, _ in batch])
        new_beats = [(c["id"], changes["beats"]) for c, _, changes in batch if "beats" in changes]
        Beat.objects.filter(mediacontact_id__in=[pk for pk, _ in new_beats]).delete()
        insert(Beat, ["mediacontact_id", "topic_id"], [(pk, t) for pk, ts in new_beats for t in ts])
        history.join(c["id"] for c, _, _ in batch if c["id"] not in plan.members)
        written += len(batch)
        progress(written)
    history.join(c["id"] for c, _ in plan.unchanged if c["id"] not in plan.members)
    history.save()
    progress(plan.rows)


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


class History:
    """The history lines and list memberships an import adds, written in batches."""

    def __init__(self, job, now):
        self.media_list, self.user_id, self.now = job.media_list, job.created_by_id, now
        self.events, self.memberships = [], []

    def add(self, contact_id, kind, detail):
        self.events.append((contact_id, kind, shorten(detail, 300), self.user_id, self.now))
        if len(self.events) >= BATCH:
            self.save()

    def join(self, contact_ids):
        if self.media_list is None:
            return
        for contact_id in contact_ids:
            self.memberships.append((self.media_list.pk, contact_id, self.now))
            self.add(contact_id, Event.JOINED_LIST, self.media_list.name)

    def save(self):
        insert(Membership, ["media_list_id", "contact_id", "joined_at"], self.memberships)
        insert(ContactEvent, ["contact_id", "kind", "detail", "user_id", "created_at"], self.events)
        self.events, self.memberships = [], []


def _fast(model):
    connection = connections[model.objects.db]
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"


def insert(model, columns, rows, returning=False):
    """Insert `rows`, tuples of `columns`' values (attnames); the new ids if `returning`."""
    if not rows:
        return []
    if not _fast(model):
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=BATCH)
        return [obj.pk for obj in objects]
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    ids = []
    with connection.cursor() as cursor:
        if returning:
            # COPY returns nothing: the ids are taken from the table's sequence first.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            rows = [(pk_value, *row) for pk_value, row in zip(ids, rows, strict=True)]
            columns = [model._meta.pk.attname, *columns]
        names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
        data = io.StringIO("".join("\t".join(map(_copy_text, row)) + "\n" for row in rows))
        cursor.cursor.copy_expert(f"COPY {quote(table)} ({names}) FROM STDIN", data)
    return ids


def _copy_text(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


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
    from psycopg2.extras import execute_values

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
