"""How big an uploaded contacts file may be, with the messages that name each limit.

Why: a 1.6 KB workbook whose only cell is XFD1048576 made the reader allocate the whole
16,384 × 1,048,576 rectangle and the process abort, web worker or db_worker alike (the task then
stayed RUNNING). So every file is checked against these limits before, or as, it is read:

- a workbook from its bytes, before a reader opens it (contacts/imports/workbook.py);
- a CSV file row by row as it is read (csv_rows below): rows, columns, cells, and how long one
  row may grow (a quote left open makes the rest of the file a single row).

Every limit is a field of UploadLimits; settings.CONTACTS_UPLOAD_LIMITS (a dict) overrides any.
"""

import csv
import dataclasses
import io

from django.conf import settings


class ImportFileError(Exception):
    """A problem with the whole file: nothing in it can be imported."""


@dataclasses.dataclass(frozen=True)
class UploadLimits:
    max_upload_bytes: int = 50 * 1024 * 1024
    # Rows of contacts, below the heading row.
    max_rows: int = 200_000
    max_columns: int = 100
    # The rectangle a reader lays out (rows × columns), and the cells a file may hold: a
    # 200,000-contact export (18 columns) fits.
    max_cells: int = 4_000_000
    # One CSV row, which may span lines when a cell holds line breaks.
    max_row_characters: int = 1_000_000
    max_parts: int = 1_000
    max_unpacked_bytes: int = 400 * 1024 * 1024
    # As Apache POI: a part that inflates more than 100 times is a zip bomb; small parts
    # (mostly repeated XML) may.
    max_compression_ratio: int = 100
    ratio_checked_above: int = 1024 * 1024


def limits():
    return dataclasses.replace(UploadLimits(), **getattr(settings, "CONTACTS_UPLOAD_LIMITS", {}))


NOT_A_WORKBOOK = "Could not read the file as an Excel workbook (.xlsx)."
SPLIT = "split it into several files."


def check_size(size):
    limit = limits()
    if size > limit.max_upload_bytes:
        raise ImportFileError(
            f"The file is larger than {limit.max_upload_bytes / 2**20:g} MB: {SPLIT}"
        )


def too_many_rows(limit):
    return ImportFileError(f"The file has more than {limit.max_rows:,} rows: {SPLIT}")


def too_many_cells(limit):
    return ImportFileError(f"The file has more than {limit.max_cells:,} cells: {SPLIT}")


def beyond_last_column(limit, where):
    last = column_letters(limit.max_columns)
    return ImportFileError(
        f"The file has a cell beyond column {limit.max_columns} ({last}), {where}: delete the "
        "columns the import doesn’t need and upload it again."
    )


def column_letters(number):
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# CSV


def csv_rows(text, delimiter):
    """The rows of a CSV text, heading row first, each refused past a limit before the next
    is read: at most max_rows rows below the heading, max_columns columns (empty cells past
    the last filled one are dropped, as a spreadsheet pads rows with them), max_cells in all."""
    limit = limits()
    lines = _Lines(io.StringIO(text, newline=""), limit)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    cells = 0
    try:
        for number, row in enumerate(reader):
            lines.used = 0
            if number > limit.max_rows:
                raise too_many_rows(limit)
            width = len(row)
            while width and not row[width - 1].strip():
                width -= 1
            if width > limit.max_columns:
                raise beyond_last_column(limit, f"on line {reader.line_num}")
            cells += width
            if cells > limit.max_cells:
                raise too_many_cells(limit)
            yield row[:width]
    except csv.Error as error:
        raise ImportFileError(
            f"Line {reader.line_num} can’t be read ({error}): is a quote left open?"
        ) from None


class _Lines:
    """A text's lines for csv.reader, refusing one row that grows past max_row_characters
    (its lines added up) before the reader builds it."""

    def __init__(self, stream, limit):
        self.stream, self.limit, self.used, self.number = stream, limit, 0, 0

    def __iter__(self):
        return self

    def __next__(self):
        line = self.stream.readline(self.limit.max_row_characters + 1)
        if not line:
            raise StopIteration
        self.number += 1
        self.used += len(line)
        if self.used > self.limit.max_row_characters:
            raise ImportFileError(
                f"Line {self.number} takes a row past {self.limit.max_row_characters:,} "
                "characters: is a quote left open?"
            )
        return line
