"""Uploads past a limit (contacts.upload_limits) are refused with a message naming the limit,
before a reader lays them out in memory: at the upload, and again by the worker's check.

The workbooks are made in the test: openpyxl writes a plain one, whose sheet is then replaced
by the XML under test. Without the checks, the first ones abort the test process itself
(python-calamine allocating 16,384 × 1,048,576 cells).
"""

import io
import re
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from contacts.imports import run_import
from contacts.imports.limits import ImportFileError
from contacts.imports.reading import read_xlsx, read_xlsx_with_openpyxl
from contacts.models import ImportJob
from tests.contacts.importing import DUMMY_TASKS, IMPORT_URL, csv_file, upload, xlsx_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_a_temporary_folder")]

SHEET = "xl/worksheets/sheet1.xml"
HEAD = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEADINGS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Last name</t></is></c></row>'
)
ANNA_EMAIL = "anna@zeit.example"
ANNA = (
    f'<row r="2"><c r="A2" t="inlineStr"><is><t>{ANNA_EMAIL}</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>Müller</t></is></c></row>'
)
COLUMN_LIMIT = "The file has a cell beyond column 100 (CV), at XFD1048576"
NOT_A_WORKBOOK = "Could not read the file as an Excel workbook (.xlsx)."


def workbook(rows="", dimension="", parts=None, name="contacts.xlsx"):
    """A workbook whose first sheet is `rows` (XML) after `dimension` (a range), with
    `parts` ({name: bytes}) added or replaced."""
    plain = xlsx_file([["Email", "Last name"]]).read()
    sheet = f"{HEAD}<dimension ref='{dimension}'/>" if dimension else HEAD
    parts = {SHEET: f"{sheet}<sheetData>{rows}</sheetData></worksheet>".encode(), **(parts or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info), zipfile.ZIP_DEFLATED)
        for part, content in parts.items():
            target.writestr(part, content, zipfile.ZIP_DEFLATED)
    return SimpleUploadedFile(name, buffer.getvalue())


def refusal(client, file):
    response = client.post(IMPORT_URL, {"file": file, "format": "auto"})
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0
    return response.content.decode()


def test_the_upload_page_tells_the_limits(officer_client):
    page = officer_client.get(IMPORT_URL).content.decode()

    assert "At most 200,000 rows, 100 columns and 50 MB." in page


def test_a_workbook_whose_only_cell_is_xfd1048576_is_refused_at_the_upload(officer_client):
    file = workbook('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "XFD1048576")

    assert COLUMN_LIMIT in refusal(officer_client, file)


def test_a_workbook_with_a_cell_at_cv200000_is_refused_for_its_cells(officer_client):
    file = workbook(HEADINGS + '<row r="200000"><c r="CV200000"><v>1</v></c></row>')

    assert "The file has more than 4,000,000 cells" in refusal(officer_client, file)


def test_a_workbook_past_the_last_row_is_refused(officer_client):
    file = workbook(HEADINGS + '<row r="200002"><c r="A200002"><v>1</v></c></row>')

    assert "The file has more than 200,000 rows" in refusal(officer_client, file)


@override_settings(TASKS=DUMMY_TASKS)
def test_the_worker_refuses_a_big_workbook_whose_dimension_lies(officer_client, monkeypatch):
    monkeypatch.setattr("contacts.imports.reading.XLSX_READ_IN_REQUEST", 0)  # checked by the worker
    cell = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    job, _ = upload(officer_client, workbook(HEADINGS + ANNA + cell, dimension="A1:B2"))
    assert job.status == ImportJob.Status.READING

    run_import.call(job.pk)  # what the worker does: without the check, the process aborts

    job.refresh_from_db()
    assert (job.status, job.file) == (ImportJob.Status.FAILED, "")
    assert job.message.startswith(COLUMN_LIMIT)


def test_a_big_workbook_whose_dimension_is_past_the_limits_is_refused_at_once(
    officer_client, monkeypatch
):
    monkeypatch.setattr("contacts.imports.reading.XLSX_READ_IN_REQUEST", 0)

    page = refusal(officer_client, workbook(HEADINGS, dimension="A1:XFD1048576"))

    assert COLUMN_LIMIT in page


def test_cells_without_a_reference_are_placed_one_after_another(officer_client):
    cells = "<c><v>1</v></c>" * 101

    page = refusal(officer_client, workbook(f"{HEADINGS}<row>{cells}</row>"))

    assert "The file has a cell beyond column 100 (CV), at CW2" in page


def test_a_cell_without_a_reference_is_placed_in_its_row_however_far_down(officer_client):
    plain = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 40_000))
    # Spaces put the cell in another piece than its row, as the check reads a sheet.
    far = '<row r="1048576">' + " " * 2_000_000 + "<c><v>1</v></c></row>"

    page = refusal(officer_client, workbook(HEADINGS + plain + far))

    assert "The file has more than 200,000 rows" in page


def test_a_zip_bomb_is_refused_before_it_is_inflated(officer_client):
    bomb = HEAD.encode() + b" " * 50_000_000 + b"<sheetData/></worksheet>"

    page = refusal(officer_client, workbook(parts={SHEET: bomb}))

    assert f"{SHEET} in the workbook is compressed more than 100 times" in page


def test_a_part_bigger_than_it_says_is_refused(officer_client):
    data = understated(workbook(HEADINGS + ANNA).read(), SHEET)

    page = refusal(officer_client, SimpleUploadedFile("contacts.xlsx", data))

    assert f"{SHEET} in the workbook is bigger than it says" in page


def understated(data, part):
    """`data` with the size of `part` halved in its local header and in the directory."""
    data, name = bytearray(data), part.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while data[start + name_at : start + name_at + len(name)] != name:
            start = data.find(signature, start + 1)
        size = struct.unpack_from("<L", data, start + size_at)[0]
        struct.pack_into("<L", data, start + size_at, size // 2)
    return bytes(data)


@override_settings(CONTACTS_UPLOAD_LIMITS={"max_unpacked_bytes": 2**20})
def test_a_workbook_that_unpacks_past_the_limit_is_refused(officer_client):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 40_000))

    page = refusal(officer_client, workbook(HEADINGS + rows))

    assert "The workbook unpacks to more than 1 MB: split it into several files." in page


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(
            f'<?xml version="1.0" encoding="UTF-16"?>{HEAD}'.encode("utf-16"), id="utf-16"
        ),
        pytest.param(b'<!DOCTYPE x [<!ENTITY e "XFD">]>' + HEAD.encode(), id="entities"),
        pytest.param((HEAD + '<sheetData><row><c r="&#88;FD1"/></row>').encode(), id="entity"),
        pytest.param((HEAD + '<sheetData><row><c r="A1" t=">"/></row>').encode(), id="quoted >"),
        pytest.param((HEAD + "<sheetData><row><c r=A1/></row>").encode(), id="no quotes"),
    ],
)
def test_a_sheet_the_checks_cannot_read_exactly_is_refused(officer_client, sheet):
    assert NOT_A_WORKBOOK in refusal(officer_client, workbook(parts={SHEET: sheet}))


def test_a_row_number_of_five_thousand_digits_is_past_the_last_row(officer_client):
    file = workbook(HEADINGS + f'<row r="{"9" * 5000}"><c><v>1</v></c></row>')

    assert "The file has more than 200,000 rows" in refusal(officer_client, file)


def test_a_prefixed_cell_past_the_limits_is_refused(officer_client):
    sheet = HEAD.replace("<worksheet xmlns", "<x:worksheet xmlns:x") + (
        '<x:sheetData><x:row r="1"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )

    assert COLUMN_LIMIT in refusal(officer_client, workbook(parts={SHEET: sheet.encode()}))


@pytest.mark.parametrize("read", [read_xlsx, read_xlsx_with_openpyxl])
def test_a_workbook_with_pictures_and_printer_settings_is_read(read):
    # Binary parts whose bytes happen to hold "<c": no reader takes them for XML.
    file = workbook(
        HEADINGS + ANNA,
        dimension="A1:B2",
        parts={
            "xl/media/image1.png": b'\x89PNG\r\n\x1a\n\x00\x00<c r="XFD1"><v>1</v></c>\xff',
            "xl/printerSettings/printerSettings1.bin": "HP LaserJet<c".encode("utf-16-le"),
        },
    )

    table = read(file.read())

    assert (table.headings, list(table.rows)) == (["Email", "Last name"], [[ANNA_EMAIL, "Müller"]])


def test_a_sheet_starting_in_column_b_keeps_excels_row_numbers(officer_client):
    cell = '<c r="{}" t="inlineStr"><is><t>{}</t></is></c>'
    file = workbook(
        f'<row r="1">{cell.format("B1", "Email")}{cell.format("C1", "Last name")}</row>'
        f'<row r="2">{cell.format("B2", ANNA_EMAIL)}{cell.format("C2", "Müller")}</row>'
        f'<row r="4">{cell.format("B4", "not-an-email")}{cell.format("C4", "Bad")}</row>'
    )

    job, _ = upload(officer_client, file, import_valid_rows="on")

    assert (job.new_count, job.invalid_rows) == (
        1,
        [{"row": 4, "reason": "invalid email “not-an-email”"}],
    )


def test_a_csv_file_past_the_last_row_is_refused(officer_client):
    lines = "\r\n".join(["Email,Last name", *["a@example.org,A"] * 200_001])
    file = SimpleUploadedFile("contacts.csv", lines.encode())

    assert "The file has more than 200,000 rows" in refusal(officer_client, file)


def test_a_csv_row_with_a_cell_past_the_last_column_is_refused(officer_client):
    lines = ["Email,Last name", "a@example.org,A" + ",x" * 99, "b@example.org,B" + "," * 500]
    file = SimpleUploadedFile("contacts.csv", "\r\n".join(lines).encode())

    page = refusal(officer_client, file)

    assert "The file has a cell beyond column 100 (CV), on line 2" in page


def test_empty_cells_past_the_last_column_of_a_csv_file_are_read_past(officer_client):
    lines = ["Email,Last name" + "," * 500, "b@example.org,B" + "," * 500]
    file = SimpleUploadedFile("contacts.csv", "\r\n".join(lines).encode())

    job, _ = upload(officer_client, file)

    assert (job.status, job.new_count) == (ImportJob.Status.CHECKED, 1)


def test_a_csv_row_of_a_million_characters_is_refused(officer_client):
    file = SimpleUploadedFile("contacts.csv", b"Email,Last name\r\n" + b"," * 1_000_001)

    page = refusal(officer_client, file)

    assert "Line 2 takes a row past 1,000,000 characters: is a quote left open?" in page


@override_settings(CONTACTS_UPLOAD_LIMITS={"max_cells": 5})
def test_a_csv_file_past_the_cell_limit_is_refused(officer_client):
    file = SimpleUploadedFile("contacts.csv", b"Email,Last name\r\na@example.org,A\r\nb,B\r\n")

    assert "The file has more than 5 cells: split it into several files." in refusal(
        officer_client, file
    )


@override_settings(CONTACTS_UPLOAD_LIMITS={"max_upload_bytes": 2**20})
def test_a_file_past_the_size_limit_is_refused(officer_client):
    file = SimpleUploadedFile(
        "contacts.csv", b"Email,Last name\r\n" + b"a@example.org,A\r\n" * 70_000
    )

    page = refusal(officer_client, file)

    assert "The file is larger than 1 MB: split it into several files." in page


@override_settings(CONTACTS_IMPORT_BACKGROUND_ROWS=0, TASKS=DUMMY_TASKS)
def test_the_worker_checks_a_csv_file_against_the_limits_too(officer_client, settings):
    job, _ = upload(officer_client, csv_file("a@example.org,A", "b@example.org,B", "c@a.org,C"))
    settings.CONTACTS_UPLOAD_LIMITS = {"max_rows": 2}  # lowered once the file is stored

    run_import.call(job.pk)

    job.refresh_from_db()
    assert (job.status, job.message) == (
        ImportJob.Status.FAILED,
        "The file has more than 2 rows: split it into several files.",
    )


@pytest.mark.parametrize("read", [read_xlsx, read_xlsx_with_openpyxl])
def test_both_workbook_readers_refuse_a_cell_past_the_limits(read):
    bomb = workbook('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>').read()

    with pytest.raises(ImportFileError, match=re.escape(COLUMN_LIMIT)):
        read(bomb)
