"""Media contacts exported as a CSV or Excel file. Rows are written one at a time (CSV streamed,
XLSX through openpyxl's write-only mode), never gathered into one in-memory dataset, so
exporting a million contacts needs no more memory than a page. Every cell is neutralised
against formula injection (contacts/imports/formula_injection.py)."""

import csv
import re
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from contacts.imports.columns import MediaContactResource
from contacts.imports.formula_injection import neutralise

# Characters openpyxl refuses in a cell: control characters other than tab, LF and CR.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXPORT_BATCH = 2000

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
