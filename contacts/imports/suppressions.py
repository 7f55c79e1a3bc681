"""Importing a suppression list (contacts/models/suppressions.py): one column of addresses,
opt-outs of an old system for instance, that no email may go to. Checked like contacts (every
invalid row with its number and reason, nothing written before confirmation) and written in
one transaction; an address already suppressed keeps its first reason and source."""

from dataclasses import dataclass, field

from django.utils import timezone

from contacts.imports.plan import BATCH
from contacts.imports.rows import RowCleaner, blank, shorten
from contacts.models import Suppression
from contacts.models.bulk import any_of, batches


@dataclass
class SuppressionPlan:
    """What the import would do, in the terms of the contacts' Plan (ImportJob.report)."""

    new: list = field(default_factory=list)  # [(row number, email)]
    updated: list = field(default_factory=list)  # always empty: nothing is changed
    unchanged: list = field(default_factory=list)  # already suppressed
    invalid: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    new_outlets: dict = field(default_factory=dict)
    joining: int = 0
    rows: int = 0


def make_suppression_plan(job, rows, fields, progress):
    plan, first = SuppressionPlan(), {}
    clean = RowCleaner(fields, required=("email",))
    for number, cells in enumerate(rows, start=job.header_row + 1):
        if blank(cells):
            continue
        plan.rows += 1
        values, errors = clean(cells)
        if errors:
            plan.invalid.append((number, "; ".join(errors)))
        elif values["email"] in first:
            plan.skipped.append((number, f"same email as row {first[values['email']]}"))
        else:
            first[values["email"]] = number
        progress(plan.rows)
    known = set()
    for batch in batches(list(first), BATCH):
        found = Suppression.objects.filter(email__in=any_of(batch, "text"))
        known.update(found.values_list("email", flat=True))
    for email, number in first.items():
        (plan.unchanged if email in known else plan.new).append((number, email))
    return plan


def write_suppressions(job, plan, progress):
    """Suppress the plan's new addresses, inside the caller's transaction."""
    now, source = timezone.now(), shorten(f"Import of {job.file_name}", 200)
    written = 0
    for batch in batches(plan.new, BATCH):
        Suppression.objects.bulk_create(
            [
                Suppression(
                    email=email,
                    reason=job.suppression_reason,
                    source=source,
                    created_by_id=job.created_by_id,
                    created_at=now,
                )
                for _, email in batch
            ],
            ignore_conflicts=True,  # suppressed meanwhile, by a bounce or an opt-out
        )
        written += len(batch)
        progress(written)
