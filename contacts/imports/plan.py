"""What an import of contact rows would do: the dry run behind the preview, and the plan the
write follows (contacts/imports/write.py).

`make_plan` reads every row, matches it to the contacts we have by normalized email and sorts
it into new, updated, unchanged, invalid or skipped, reading the database only, in batches.
contacts/imports/tasks.py runs it twice: to check the file, and again on confirmation, just
before writing, since contacts may have changed in between.

The rules a press office relies on:
- One contact per email, trimmed and lower-cased. A row repeating an email of the same file is
  merged into the first one (its non-empty cells win), never made a second contact.
- An empty cell never erases what we know, and an absent column leaves its field alone.
- An import only ever switches do-not-contact on, never off.
- A contact erased on request (or deleted while do-not-contact) is never re-created or updated.
"""

from dataclasses import dataclass, field

from django.db.models.functions import Lower

from contacts.imports.columns import written_fields
from contacts.imports.rows import RowCleaner, blank
from contacts.models import ErasedAddress, MediaContact, Membership, Outlet
from contacts.models.bulk import any_of, batches

BATCH = 2000


@dataclass
class Row:
    number: int
    values: dict


@dataclass
class Plan:
    new: list = field(default_factory=list)  # [Row]
    updated: list = field(default_factory=list)  # [(contact, Row, {field: value})]
    unchanged: list = field(default_factory=list)  # [(contact, Row)]
    invalid: list = field(default_factory=list)  # [(row number, reason)]
    skipped: list = field(default_factory=list)  # [(row number, reason)]
    outlets: dict = field(default_factory=dict)  # lower-cased name: id, None if new
    new_outlets: dict = field(default_factory=dict)  # lower-cased name: name as written
    members: set = field(default_factory=set)  # ids of contacts already on the list
    joining: int = 0
    rows: int = 0


def make_plan(job, rows, fields, progress):
    plan, valid = Plan(), {}
    clean = RowCleaner(fields)
    for number, cells in enumerate(rows, start=job.header_row + 1):  # numbered as in the file
        if blank(cells):
            continue
        plan.rows += 1
        values, errors = clean(cells)
        if errors:
            plan.invalid.append((number, "; ".join(errors)))
        elif values["email"] in valid:
            first = valid[values["email"]]
            merge(first.values, values)
            plan.skipped.append((number, f"same email as row {first.number}: merged into it"))
        else:
            valid[values["email"]] = Row(number, values)
        progress(plan.rows)
    spellings = {}
    for row in valid.values():
        if "outlet" in row.values:
            spellings.setdefault(row.values["outlet"].lower(), row.values["outlet"])
    plan.outlets = find_outlets(spellings)
    for batch in batches(list(valid.values()), BATCH):
        match(plan, batch, fields, job.media_list)
    # The outlets the import would create: those named by a row it writes and not found.
    updated = [row for _, row, changes in plan.updated if "outlet" in changes]
    for row in plan.new + updated:
        key = row.values.get("outlet", "").lower()
        if key and plan.outlets[key] is None:
            plan.new_outlets[key] = spellings[key]
    plan.skipped.sort()
    return plan


# What matching reads of a known contact, besides the fields the file has. Plain dicts, not
# model instances, which cost far more to build on a large file.
KNOWN = ["id", "email", "erased_at", "outlet_id", "do_not_contact", "do_not_contact_reason"]


def match(plan, batch, fields, media_list):
    """Sort a batch of valid rows into new, updated, unchanged and skipped."""
    emails = [row.values["email"] for row in batch]
    written = written_fields(fields)
    columns = KNOWN + [name for name in written if name not in KNOWN + ["outlet", "beats"]]
    known = MediaContact.objects.annotate(key=Lower("email")).filter(key__in=any_of(emails, "text"))
    found = {contact["key"]: contact for contact in known.values("key", *columns)}
    erased = ErasedAddress.objects.among(set(emails) - set(found))
    ids = [contact["id"] for contact in found.values()]
    beats = {}
    if "beats" in fields:
        for contact_id, topic_id in MediaContact.beats.through.objects.filter(
            mediacontact_id__in=any_of(ids, "bigint")
        ).values_list("mediacontact_id", "topic_id"):
            beats.setdefault(contact_id, set()).add(topic_id)
    if media_list:
        # By contact, not by list: a list an import just filled has no statistics yet, and
        # PostgreSQL would read all its members for every batch.
        current = Membership.objects.filter(
            contact_id__in=any_of(ids, "bigint"), left_at__isnull=True
        )
        for contact_id, list_id in current.values_list("contact_id", "media_list_id"):
            if list_id == media_list.pk:
                plan.members.add(contact_id)
    for row in batch:
        contact = found.get(row.values["email"])
        if contact and contact["erased_at"]:
            plan.skipped.append((row.number, "erased on request"))
            continue
        if contact is None and row.values["email"] in erased:
            plan.skipped.append((row.number, erased[row.values["email"]]))
            continue
        if contact is None:
            plan.new.append(row)
        else:
            changes = changes_for(
                contact, row.values, plan.outlets, beats.get(contact["id"], set())
            )
            if changes:
                plan.updated.append((contact, row, changes))
            else:
                plan.unchanged.append((contact, row))
        if media_list and (contact is None or contact["id"] not in plan.members):
            plan.joining += 1


def find_outlets(names):
    """{lower-cased name: outlet id, or None for an outlet we don't have}."""
    outlets = dict.fromkeys(name.lower() for name in names)
    for batch in batches(list(outlets), BATCH):
        outlets.update(
            Outlet.objects.annotate(key=Lower("name"))
            .filter(key__in=batch)
            .values_list("key", "pk")
        )
    return outlets


def changes_for(contact, values, outlets, beats):
    """{field: new value} for what the row would change of `contact` (a dict of KNOWN)."""
    changes = {}
    for name, value in values.items():
        if name == "email":
            continue
        if name == "outlet":
            outlet_id = outlets.get(value.lower())
            if outlet_id is None or outlet_id != contact["outlet_id"]:
                changes[name] = value
        elif name == "beats":
            if set(value) != beats:
                changes[name] = value
        elif name == "do_not_contact":
            if value and not contact["do_not_contact"]:  # never switched off by an import
                changes[name] = True
        elif name == "do_not_contact_reason":
            if (contact["do_not_contact"] or values.get("do_not_contact")) and (
                value != contact["do_not_contact_reason"]
            ):
                changes[name] = value
        elif contact[name] != value:
            changes[name] = value
    return changes


def merge(first, later):
    for name, value in later.items():
        first[name] = (first.get(name) or value) if name == "do_not_contact" else value
