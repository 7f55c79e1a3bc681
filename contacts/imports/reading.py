"""Reading the contact files people upload: their format, encoding, headings and rows.

How a CSV file is decoded: a UTF-8 byte order mark means UTF-8 (Excel's "CSV UTF-8"), a UTF-16
one UTF-16 (Excel's "Unicode text"). Without a mark the file is UTF-8 if it is valid UTF-8, and
otherwise Windows-1252: Latin-1 plus the printable characters Windows puts in 0x80-0x9F, which
is what Excel writes on Windows. Latin-1 decodes any bytes at all, so "could not read the file"
is judged by what comes out: NUL or other control characters (a binary file, UTF-16 without its
mark), a byte Windows-1252 leaves undefined, or UTF-8 read as Latin-1 ("MÃ¼ller"), which means
a file that mixes encodings or was converted twice. Guessing there would garble names, so the
whole file is refused with the line to look at.

The delimiter is whichever of comma, semicolon or tab one of the first lines has most of (the
headings may be below a title line or two).

A file's first HEAD_ROWS rows are kept with its import, for the mapping step to show (the row
naming the columns is one of them, chosen there), and each later read starts below that row
(`below_header`).

Files are read a row at a time within the limits of contacts/imports/limits.py (size, rows,
columns, cells; a workbook's archive and cells are checked first, by contacts/imports/workbook.py),
at the upload and again by the task, so no file can take a worker's memory.
"""

import codecs
import datetime
import io
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from openpyxl import load_workbook

from contacts.imports.limits import NOT_A_WORKBOOK, ImportFileError, check_size, csv_rows
from contacts.imports.rows import blank
from contacts.imports.workbook import check_workbook

try:
    from python_calamine import CalamineWorkbook
except ImportError:  # no wheel for this platform: openpyxl reads workbooks instead
    CalamineWorkbook = None

logger = logging.getLogger(__name__)

UNREADABLE = "Could not read the file as UTF-8 or Latin-1 text"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f\x7f]")
# A UTF-8 lead byte read as Latin-1 (Â to ô) followed by what its continuation bytes read as.
MOJIBAKE = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]{1,3}")
QUOTED = re.compile(r'"[^"]*"')
# Files above this many rows are checked and written by the `run_import` task, not in a request.
BACKGROUND_ROWS = 2000
# A workbook bigger than this (about 10,000 rows) is not read during the upload.
XLSX_READ_IN_REQUEST = 512 * 1024
# The rows of a file kept for the mapping step, and the longest cell kept of each.
HEAD_ROWS = 30
HEAD_CELL = 2000


@dataclass
class Table:
    """A file's heading row, and its other rows read one at a time (each checked against the
    limits of contacts/imports/limits.py as it is read), to be gone through once."""

    headings: list
    rows: Iterator
    encoding: str = ""
    delimiter: str = ""
    # Rows below the heading, blank ones too, when known before reading them.
    row_count: int | None = None


@dataclass
class Upload:
    """What the upload form learns from a quick look at a file: its first rows among it, or
    None when the background task is to read them (a big workbook)."""

    format: str
    row_count: int
    encoding: str = ""
    delimiter: str = ""
    head: list | None = None


def detect_format(name, data, chosen="auto"):
    if data[:4] == b"\xd0\xcf\x11\xe0" or Path(name).suffix.lower() == ".xls":
        raise ImportFileError("Old Excel files (.xls) can’t be read: save it as .xlsx or CSV.")
    if chosen in ("csv", "xlsx"):
        return chosen
    return "xlsx" if data[:4] == b"PK\x03\x04" else "csv"


def decode(data):
    """(text, the name of the encoding it was read in); see the module docstring."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8"), "UTF-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(data, "utf-16"), "UTF-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding = _strict(data, "cp1252"), "Latin-1 (Windows-1252)"
    text = text.removesuffix("\x1a")  # the end-of-file mark of old DOS programs
    control = CONTROL_CHARACTERS.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise ImportFileError(f"{UNREADABLE}: line {line} has binary content.")
    garbled = find_mojibake(text)
    if garbled:
        line = text.count("\n", 0, garbled.start()) + 1
        raise ImportFileError(
            f"{UNREADABLE}: line {line} has garbled text (“{garbled.group()}”), the sign of a "
            "file that mixes encodings or was converted twice. Save it again as UTF-8."
        )
    return text, encoding


def _strict(data, encoding):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(f"{UNREADABLE}: line {line} has bytes that are not text.") from None


def find_mojibake(text):
    """The first place where UTF-8 was read as Latin-1, or None."""
    for match in MOJIBAKE.finditer(text):
        candidate = match.group()
        length = 2 if candidate[0] < "\u00e0" else 3 if candidate[0] < "\u00f0" else 4
        try:
            candidate[:length].encode("cp1252").decode("utf-8")
        except UnicodeError:
            continue
        return match
    return None


def read_csv(data):
    check_size(len(data))
    text, encoding = decode(data)
    text = text.removeprefix("\ufeff")
    # Quoted cells left out: "Climate; Water" in a cell says nothing of the delimiter.
    first_lines = QUOTED.sub("", text[: 64 * 1024]).split("\n", HEAD_ROWS)[:HEAD_ROWS]
    delimiter = max([",", ";", "\t"], key=lambda d: max(line.count(d) for line in first_lines))
    rows = csv_rows(text, delimiter)
    headings = next(rows, None)
    if headings is None:
        raise ImportFileError("The file is empty.")
    return Table(headings, rows, encoding, delimiter)


def read_xlsx(data):
    """The first sheet of a workbook, read by python-calamine when it is installed (much faster
    than openpyxl on a large sheet), else by openpyxl; either only once the workbook is known
    to be within the limits (the reader lays it out whole)."""
    if CalamineWorkbook is None:
        return read_xlsx_with_openpyxl(data)
    height, _ = check_workbook(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception as error:  # calamine raises several kinds for a damaged or foreign file
        logger.info("Unreadable workbook: %r", error)
        raise ImportFileError(NOT_A_WORKBOOK) from None
    rows = calamine_rows(sheet)
    return Table(list(next(rows, [])), rows, row_count=max(height - 1, 0))


def calamine_rows(sheet):
    """The sheet's rows numbered from its first, as Excel shows them: calamine starts at the
    first filled cell."""
    if sheet.start is None:
        return
    top, left = sheet.start
    for _ in range(top):
        yield []
    for row in sheet.iter_rows():
        yield [""] * left + row if left else row


def read_xlsx_with_openpyxl(data):
    height, width = check_workbook(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        logger.info("Unreadable workbook: %r", error)
        raise ImportFileError(NOT_A_WORKBOOK) from None
    rows = openpyxl_rows(workbook, height, width)
    return Table(list(next(rows, None) or []), rows, row_count=max(height - 1, 0))


def openpyxl_rows(workbook, height, width):
    """Rows no longer nor wider than the cells found (openpyxl would pad them to the
    sheet's declared dimension)."""
    try:
        if height and width:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(max_row=height, max_col=width, values_only=True):
                yield list(row)
    finally:
        workbook.close()


def read_table(data, file_format):
    return read_xlsx(data) if file_format == "xlsx" else read_csv(data)


def inspect_upload(name, data, chosen_format="auto"):
    """Read enough of an upload to refuse a bad file at once: its format, encoding, first rows
    and number of rows, each row within the limits. A big workbook is only read by the
    background task (that takes seconds): here only what is quick to check (its archive, the
    dimension its sheets declare), and its row count is a guess that sends it there."""
    file_format = detect_format(name, data, chosen_format)
    if file_format == "xlsx" and len(data) > XLSX_READ_IN_REQUEST:
        check_workbook(data, cells=False)  # a zip bomb, a declared dimension past the limits
        return Upload(file_format, background_rows() + 1)
    table = read_table(data, file_format)
    head, rows = [table.headings], 0
    for row in table.rows:
        if len(head) < HEAD_ROWS:
            head.append(row)
        if not blank(row):
            rows += 1
    if not rows and blank(table.headings):
        raise ImportFileError("The file is empty.")
    return Upload(file_format, rows, table.encoding, table.delimiter, stored(head))


def head_of(table):
    """The first HEAD_ROWS rows of a table just read, as the import keeps them."""
    return stored([table.headings, *itertools.islice(table.rows, HEAD_ROWS - 1)])


def stored(rows):
    """Rows as JSON keeps them: text, numbers, booleans and empty cells as they are, dates in
    ISO format; long cells cut, and empty cells after the last filled one dropped."""
    kept = []
    for row in rows:
        cells = [_stored(cell) for cell in row]
        while cells and cells[-1] in (None, ""):
            cells.pop()
        kept.append(cells)
    return kept


def _stored(cell):
    if cell is None or isinstance(cell, bool | int | float):
        return cell
    if isinstance(cell, datetime.date | datetime.time):
        return cell.isoformat()
    return str(cell)[:HEAD_CELL]


def below_header(table, header_row):
    """The table from the row naming its columns (`header_row`, numbered from 1) on: rows
    above it are read past."""
    if header_row > 1:
        for _ in range(header_row - 2):
            next(table.rows, None)
        table.headings = next(table.rows, None) or []
        if table.row_count is not None:
            table.row_count = max(table.row_count - (header_row - 1), 0)
    return table


def background_rows():
    return getattr(settings, "CONTACTS_IMPORT_BACKGROUND_ROWS", BACKGROUND_ROWS)
