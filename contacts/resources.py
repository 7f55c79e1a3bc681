"""Media contacts as spreadsheet rows: the columns of an export, which are also the columns an
import understands, so an exported file imports back unchanged.

The django-import-export Resource names the columns and turns a contact into cells. Rows are
written one at a time (CSV streamed, XLSX through openpyxl's write-only mode), never gathered
into one in-memory dataset, so exporting a million contacts needs no more memory than a page.
"""

import csv
import datetime
import re
import tempfile

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from import_export import fields, resources, widgets

from contacts.formula_injection import neutralise, restore
from contacts.models import MediaContact, Outlet, normalize_email
from press.models import Topic

# Characters openpyxl refuses in a cell: control characters other than tab, LF and CR.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXPORT_BATCH = 2000

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class MediaContactResource(resources.ModelResource):
    email = fields.Field(attribute="email", column_name="Email")
    first_name = fields.Field(attribute="first_name", column_name="First name")
    last_name = fields.Field(attribute="last_name", column_name="Last name")
    phone = fields.Field(attribute="phone", column_name="Phone")
    outlet = fields.Field(
        attribute="outlet", column_name="Outlet", widget=widgets.ForeignKeyWidget(Outlet, "name")
    )
    job_title = fields.Field(attribute="job_title", column_name="Job title")
    beats = fields.Field(
        attribute="beats",
        column_name="Beats",
        widget=widgets.ManyToManyWidget(Topic, field="name", separator=", "),
    )
    regions = fields.Field(attribute="regions", column_name="Regions")
    languages = fields.Field(attribute="languages", column_name="Languages")
    notes = fields.Field(attribute="notes", column_name="Notes")
    source = fields.Field(attribute="source", column_name="Source")
    consent_basis = fields.Field(attribute="consent_basis", column_name="Consent basis")
    consent_date = fields.Field(
        attribute="consent_date", column_name="Consent date", widget=widgets.DateWidget("%Y-%m-%d")
    )
    do_not_contact = fields.Field(attribute="do_not_contact", column_name="Do not contact")
    do_not_contact_reason = fields.Field(
        attribute="do_not_contact_reason", column_name="Do-not-contact reason"
    )
    do_not_contact_since = fields.Field(
        attribute="do_not_contact_since", column_name="Do-not-contact since", readonly=True
    )
    created_at = fields.Field(attribute="created_at", column_name="Created", readonly=True)
    updated_at = fields.Field(attribute="updated_at", column_name="Updated", readonly=True)

    class Meta:
        model = MediaContact
        fields = [
            "email", "first_name", "last_name", "phone", "outlet", "job_title", "beats",
            "regions", "languages", "notes", "source", "consent_basis", "consent_date",
            "do_not_contact", "do_not_contact_reason", "do_not_contact_since",
            "created_at", "updated_at",
        ]  # fmt: skip
        import_id_fields = ["email"]

    def dehydrate_do_not_contact(self, contact):
        return "yes" if contact.do_not_contact else ""

    def dehydrate_do_not_contact_since(self, contact):
        return _timestamp(contact.do_not_contact_since)

    def dehydrate_created_at(self, contact):
        return _timestamp(contact.created_at)

    def dehydrate_updated_at(self, contact):
        return _timestamp(contact.updated_at)


def _timestamp(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# The headings an import accepts for each field, besides the export's own (compared in lower
# case with spaces, hyphens and underscores alike).
ALIASES = {
    "email": ["e-mail", "email address", "e-mail address", "mail"],
    "first_name": ["firstname", "given name", "forename"],
    "last_name": ["lastname", "surname", "family name"],
    "phone": ["telephone", "phone number", "tel", "mobile"],
    "outlet": ["media outlet", "publication", "media", "organisation", "organization"],
    "job_title": ["title", "position", "role"],
    "beats": ["beat", "topics", "topic"],
    "regions": ["region", "regions or cities", "cities", "city"],
    "languages": ["language"],
    "notes": ["note", "comments"],
    "consent_basis": ["lawful basis", "legal basis"],
    "do_not_contact": ["dnc", "opted out", "opt out"],
    "do_not_contact_reason": ["dnc reason", "opt out reason"],
}


def normalize_heading(heading):
    return re.sub(r"[\s_\-]+", " ", str(heading or "")).strip().lower()


def import_columns():
    """{normalized heading: field name} for the columns an import writes, and the set of
    headings it reads past: those an export adds for information (created, updated)."""
    resource = MediaContactResource()
    columns, ignored = {}, {"id"}
    for name, field in resource.fields.items():
        heading = normalize_heading(field.column_name)
        if field.readonly:
            ignored.add(heading)
            continue
        columns[heading] = name
        columns[normalize_heading(name)] = name
        for alias in ALIASES.get(name, []):
            columns[normalize_heading(alias)] = name
    return columns, ignored


class FastEmailValidator(EmailValidator):
    """Django's validator with its patterns compiled up front: Django compiles them lazily,
    behind a proxy that costs more than the match on a 100,000-row import."""

    user_regex = re.compile(EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags)
    domain_regex = re.compile(
        EmailValidator.domain_regex.pattern, EmailValidator.domain_regex.flags
    )
    literal_regex = re.compile(
        EmailValidator.literal_regex.pattern, EmailValidator.literal_regex.flags
    )


validate_import_email = FastEmailValidator()
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RowCleaner:
    """Turns a row's cells into {field: value}, leaving out empty cells, and lists what is
    wrong with it in words an editor can act on. Called once per row of the file, so the
    work per column is decided once, here."""

    def __init__(self, fields):
        self.width = len(fields)
        limits = {
            f.name: (f.max_length, f.verbose_name)
            for f in MediaContact._meta.get_fields()
            if getattr(f, "max_length", None)
        }
        self.columns = []
        for index, name in enumerate(fields):
            if name is not None:
                clean = getattr(self, f"clean_{name}", self.clean_text)
                limit, label = limits.get(name, (None, name))
                self.columns.append((index, name, clean, limit, str(label)))
        self.topics, self.beats = {}, {}
        if "beats" in fields:
            for pk, name, slug in Topic.objects.values_list("pk", "name", "slug"):
                self.topics[name.lower()] = self.topics[slug.lower()] = pk

    def __call__(self, cells):
        values, errors = {}, []
        if len(cells) > self.width and any(text(c) for c in cells[self.width :]):
            errors.append("more cells than columns (a value with a comma not in quotes?)")
        count = len(cells)
        for index, name, clean, limit, label in self.columns:
            if index >= count:
                continue
            cell = cells[index]
            if cell.__class__ is datetime.datetime or cell.__class__ is datetime.date:
                if name == "consent_date":
                    values[name] = cell.date() if isinstance(cell, datetime.datetime) else cell
                    continue
            value = text(cell)
            if not value:
                continue
            if limit and len(value) > limit and name != "email":
                errors.append(f"{label} is longer than {limit} characters")
                continue
            try:
                cleaned = clean(name, value)
            except ValidationError as error:
                errors.append(error.message)
                continue
            if cleaned is not None:
                values[name] = cleaned
        if "email" not in values and not any("email" in e for e in errors):
            errors.append("missing email")
        if "last_name" not in values and not any("last name" in e for e in errors):
            errors.append("missing last name")
        return values, errors

    def clean_text(self, name, value):
        return value

    def clean_email(self, name, value):
        email = normalize_email(value)
        try:
            if len(email) > 254 or CONTROL.search(email):
                raise ValidationError("")
            validate_import_email(email)
        except ValidationError:
            raise ValidationError(f"invalid email “{shorten(value)}”") from None
        return email

    def clean_consent_date(self, name, value):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            raise ValidationError(
                f"consent date “{shorten(value)}” is not a date like 2024-03-31"
            ) from None

    def clean_do_not_contact(self, name, value):
        answer = value.lower()
        if answer in ("yes", "y", "true", "1", "x", "dnc", "opted out"):
            return True
        if answer in ("no", "n", "false", "0"):
            return None  # not a change: an import never switches do-not-contact off
        raise ValidationError(f"do not contact “{shorten(value)}” should be yes or no")

    def clean_beats(self, name, value):
        if value not in self.beats:  # a file repeats the same few beats on many rows
            wanted = [beat.strip() for beat in re.split(r"[,;]", value) if beat.strip()]
            unknown = [beat for beat in wanted if beat.lower() not in self.topics]
            if unknown:
                plural = "s" if len(unknown) > 1 else ""
                self.beats[value] = f"unknown beat{plural} “{'”, “'.join(unknown)}”"
            else:
                self.beats[value] = sorted({self.topics[beat.lower()] for beat in wanted})
        if isinstance(self.beats[value], str):
            raise ValidationError(self.beats[value])
        return self.beats[value]


def blank(cells):
    """Whether a row has nothing in it (spreadsheets leave such rows behind)."""
    for cell in cells:
        if cell is None:
            continue
        if cell.__class__ is not str or cell.strip():
            return False
    return True


def text(cell):
    """A cell as trimmed text; an export's formula escaping (contacts.formula_injection)
    undone."""
    if cell.__class__ is str:
        value = cell.strip()
    elif cell is None:
        return ""
    elif isinstance(cell, bool):
        return "yes" if cell else "no"
    elif isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a phone number typed into a spreadsheet becomes a number
    elif isinstance(cell, datetime.date):
        return cell.isoformat()
    else:
        value = str(cell).strip()
    return restore(value).strip()


def shorten(value, length=60):
    return value if len(value) <= length else value[: length - 1] + "…"


def import_headings():
    """The headings of the columns an import writes, as an export names them."""
    return [f.column_name for f in MediaContactResource().get_export_fields() if not f.readonly]


def export_rows(queryset):
    """The heading row, then one row of text cells per contact, read in batches."""
    resource = MediaContactResource()
    yield resource.get_export_headers()
    contacts = queryset.select_related("outlet").prefetch_related("beats")
    for contact in contacts.iterator(chunk_size=EXPORT_BATCH):
        yield [_cell(value) for value in resource.export_resource(contact)]


def _cell(value):
    return "" if value is None else str(value)


def export_response(queryset, file_format, name):
    """A download of `queryset` as `name`.csv or `name`.xlsx. Contacts erased on request are
    left out: nothing of them is left to export."""
    queryset = queryset.filter(erased_at__isnull=True)
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    if file_format == "xlsx":
        response = FileResponse(
            _xlsx_file(export_rows(queryset)),
            as_attachment=True,
            filename=filename,
            content_type=CONTENT_TYPES["xlsx"],
        )
    else:
        response = StreamingHttpResponse(
            _csv_lines(export_rows(queryset)), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Journalists' personal data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


class _Echo:
    def write(self, value):
        return value


def _csv_lines(rows):
    # The byte order mark makes Excel read the file as UTF-8, accents and all. Every cell in
    # quotes, as OWASP advises against formula injection.
    yield "\ufeff"
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def _xlsx_file(rows):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    for row in rows:
        cells = []
        for value in row:
            # Stripped before neutralising, so a stripped character can't uncover a formula.
            cell = WriteOnlyCell(sheet, neutralise(XLSX_ILLEGAL.sub("", value)))
            cell.data_type = "s"  # text, whatever it looks like ("#N/A" would be an error)
            cells.append(cell)
        sheet.append(cells)
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file
