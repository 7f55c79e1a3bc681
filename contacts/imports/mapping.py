"""The mapping step of an import, between the upload and the check: which row of the file names
the columns, which field each column fills (or none: a column nobody needs is read past, never a
reason to refuse the file), and the first rows as they would be stored.

Suggested, never imposed: the heading row is the one of the first HEADER_WITHIN rows that
looks most like headings (the most headings we know, then the most cells that read like
labels, not like addresses, numbers or dates); each column's field is the one a remembered
mapping (ImportMapping) gives its heading, when the file's headings match one, else the field
whose label or alias its heading is (contacts/imports/columns.py). Headings are compared by
`heading_key`: "E-Mail", "e-mail" and "EMAIL" are one.
"""

import re
from dataclasses import dataclass

from contacts.imports.columns import (
    field_choices,
    heading_key,
    importable,
    required_fields,
    synonyms,
    written_fields,
)
from contacts.imports.limits import column_letters
from contacts.imports.rows import RowCleaner, blank, text
from contacts.models import ImportMapping
from press.models import Topic

HEADER_WITHIN = 20
SAMPLES = 3
PREVIEW_ROWS = 5
# A remembered mapping is suggested when the file has this share of its headings (or it has
# half the file's).
MATCHING_SHARE = 0.6
NUMBER_OR_DATE = re.compile(r"[\d\s.,:/+()\-]+")


@dataclass
class Column:
    index: int
    heading: str
    samples: list

    @property
    def letter(self):
        return column_letters(self.index + 1)

    @property
    def key(self):
        return heading_key(self.heading)


def guess_header_row(head):
    """The row (from 1) of the first HEADER_WITHIN that most looks like the headings."""
    known, best, best_score = synonyms(), 1, 0
    for number, row in enumerate(head[:HEADER_WITHIN], start=1):
        cells = [text(cell) for cell in row]
        score = sum(3 * (heading_key(cell) in known) + looks_like_a_label(cell) for cell in cells)
        if score > best_score:
            best, best_score = number, score
    return best


def looks_like_a_label(cell):
    return bool(cell) and len(cell) <= 60 and "@" not in cell and not NUMBER_OR_DATE.fullmatch(cell)


def columns_of(head, header_row):
    """The file's columns, heading and first few values each: as many as the heading row has
    (a row with more cells is invalid, as a comma not in quotes makes one), or as the first
    rows have if it has none."""
    headings, rows = head[header_row - 1] if header_row <= len(head) else [], head[header_row:]
    width = len(headings) or max(map(len, rows), default=0)
    columns = []
    for index in range(width):
        values = (text(row[index]) for row in rows if index < len(row))
        samples = [value for value in values if value][:SAMPLES]
        heading = text(headings[index]) if index < len(headings) else ""
        columns.append(Column(index, heading, samples))
    return columns


def remembered_mapping(columns, kind):
    """The remembered mapping that knows the most of the file's headings, or None: it must
    know two at least, and half the file's headings or MATCHING_SHARE of its own (an export
    may leave out columns a preset knows, or add some)."""
    found = {column.key for column in columns if column.key}
    best, best_rank = None, None
    for mapping in ImportMapping.objects.filter(kind=kind):
        keys = {heading_key(heading) for heading in mapping.columns} - {""}
        shared = len(keys & found)
        if shared < 2 or (shared < len(found) / 2 and shared < len(keys) * MATCHING_SHARE):
            continue
        # Staff's own mappings before the shipped presets they resemble.
        rank = (shared, not mapping.preset or mapping.edited, shared / len(keys))
        if best_rank is None or rank > best_rank:
            best, best_rank = mapping, rank
    return best


def suggest(columns, kind, mapping=None):
    """The field of each column ("" to read it past): the remembered mapping's for the headings
    it knows, else the field the heading names. A field goes to its first column only."""
    allowed = dict(field_choices(kind))
    given = {
        heading_key(heading): name for heading, name in (mapping.columns if mapping else {}).items()
    }
    known, taken, fields = synonyms(), set(), []
    for column in columns:
        name = given[column.key] if column.key in given else known.get(column.key, "")
        if name not in allowed or name in taken:
            name = ""
        taken.add(name)
        fields.append(name)
    return fields


def problems(columns, fields, kind):
    """What keeps a mapping from making an import, in an editor's words; [] if nothing."""
    labels, errors, first = dict(field_choices(kind)), [], {}
    for column, name in zip(columns, fields, strict=True):
        if not name:
            continue
        if name in first:
            errors.append(
                f"Columns {first[name].letter} and {column.letter} both fill “{labels[name]}”: "
                "choose one, and ignore the other."
            )
        first.setdefault(name, column)
    written = written_fields(fields)
    missing = [labels[name] for name in required_fields(kind) if name not in written]
    if missing:
        errors.append(f"Choose the column of “{'” and of “'.join(missing)}”: rows need it.")
    return errors


def preview(head, header_row, fields, kind):
    """The first PREVIEW_ROWS rows below the headings as they would be stored: (the fields,
    [(row number, [value as text, one per field], problems)])."""
    required = required_fields(kind)
    clean = RowCleaner([name or None for name in fields], required=required)
    shown = written_fields(fields)
    rows = []
    for number, cells in enumerate(head[header_row:], start=header_row + 1):
        if blank(cells):
            continue
        values, errors = clean(cells)
        rows.append((number, values, "; ".join(errors)))
        if len(rows) == PREVIEW_ROWS:
            break
    topics = {}
    if "beats" in shown:
        ids = {pk for _, values, _ in rows for pk in values.get("beats", ())}
        topics = dict(Topic.objects.filter(pk__in=ids).values_list("pk", "name"))
    labels = [importable()[name].label for name in shown]
    return labels, [
        (number, [shown_value(values.get(name), topics) for name in shown], errors)
        for number, values, errors in rows
    ]


def shown_value(value, topics):
    if value is None:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, list):
        return ", ".join(topics.get(pk, "") for pk in value)
    return str(value)
