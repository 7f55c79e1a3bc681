"""Reading what people upload: UTF-8 with or without a byte order mark, Latin-1, commas or
semicolons, Excel workbooks; refusing, before anything is stored, a file that is not text; and
reading past a column the import doesn't know. Every file is made in the test."""

import codecs
import datetime
from importlib.util import find_spec

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from contacts.imports import run_import
from contacts.imports.reading import read_xlsx, read_xlsx_with_openpyxl
from contacts.imports.rows import text
from contacts.models import ImportJob, MediaContact
from tests.contacts.importing import (
    DUMMY_TASKS,
    IMPORT_URL,
    confirm,
    counts,
    csv_file,
    map_columns,
    names,
    upload,
    xlsx_file,
)
from tests.factories import make_media_contact, make_topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_a_temporary_folder")]


def test_a_utf8_file_with_a_byte_order_mark_is_checked_then_imported(officer_client):
    file = csv_file(
        "anna.muller@zeit.example,Anna,Müller,Die Zeit,Editor,,Berlin,",
        "Lars.Sorensen@Politiken.example,Lars,Sørensen,Politiken,Reporter,,Copenhagen,",
        encoding="utf-8-sig",
    )

    job, page = upload(officer_client, file)

    assert job.status == ImportJob.Status.CHECKED
    assert counts(job) == (2, 0, 0, 0)
    assert job.new_outlet_count == 2
    assert '<td id="count-new">2</td>' in page
    assert "Import 2 contacts" in page
    assert MediaContact.objects.count() == 0  # the check writes nothing

    job = confirm(officer_client, job)

    assert job.status == ImportJob.Status.DONE
    assert names() == [
        ("Anna", "Müller", "anna.muller@zeit.example"),
        ("Lars", "Sørensen", "lars.sorensen@politiken.example"),
    ]
    anna = MediaContact.objects.get(last_name="Müller")
    assert (anna.outlet.name, anna.job_title, anna.regions) == ("Die Zeit", "Editor", "Berlin")
    assert anna.source == "Import of contacts.csv"
    assert not job.file  # the upload is deleted once imported


def test_a_latin1_file_with_semicolons_is_read(officer_client):
    file = csv_file(
        "anna.muller@zeit.example;Anna;Müller",
        "lars@politiken.example;Lars;Sørensen",
        encoding="latin-1",
        headings="Email;First name;Last name",
    )

    job, _ = upload(officer_client, file)
    confirm(officer_client, job)

    assert names() == [
        ("Anna", "Müller", "anna.muller@zeit.example"),
        ("Lars", "Sørensen", "lars@politiken.example"),
    ]


def test_a_column_the_import_does_not_know_is_ignored_not_a_reason_to_refuse(officer_client):
    file = csv_file("a@example.org,A,B,+44 20", headings="Email,First name,Last name,Fax")

    response = officer_client.post(IMPORT_URL, {"file": file, "format": "auto"}, follow=True)

    job = ImportJob.objects.get()
    assert response.context["form"].suggested == ["email", "first_name", "last_name", ""]
    assert '<option value="" selected>Ignore this column</option>' in response.content.decode()
    map_columns(officer_client, job, response)
    confirm(officer_client, job)
    assert names() == [("A", "B", "a@example.org")]
    assert MediaContact.objects.get().phone == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Email,Last name\r\n\x00\x01\x02binary\r\n", "line 2 has binary content"),
        ("Email,Last name\r\nmüller@example.org,MÃ¼ller\r\n".encode(), "garbled text"),
        # UTF-8 with one Windows-1252 byte: read as Latin-1, the UTF-8 part comes out garbled.
        ("Email,Last name\r\na@example.org,Müller\r\n".encode() + b"b@example.org,G\x9arz\r\n",
         "garbled text"),
        (codecs.BOM_UTF8 + b"Email,Last name\r\na@example.org,M\xfcller\r\n", "line 2 has bytes"),
        (b"Email,Last name\r\na@example.org,\x81\r\n", "line 2 has bytes that are not text"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_text_is_refused_with_the_line_to_look_at(
    officer_client, content, message
):
    file = SimpleUploadedFile("contacts.csv", content)

    response = officer_client.post(IMPORT_URL, {"file": file, "format": "auto"})

    page = response.content.decode()
    assert "Could not read the file as UTF-8 or Latin-1 text" in page
    assert message in page
    assert ImportJob.objects.count() == 0


def test_an_excel_workbook_is_imported(officer_client):
    file = xlsx_file(
        [
            ["Email", "First name", "Last name", "Phone", "Consent date"],
            ["anna@zeit.example", "Anna", "Müller", 4930123456, datetime.datetime(2024, 3, 1)],
            [None, None, None, None, None],
            ["bad", "Bad", "Row", None, None],
        ]
    )

    job, _ = upload(officer_client, file, import_valid_rows="on")
    confirm(officer_client, job)

    assert counts(job) == (1, 0, 0, 1)
    assert job.invalid_rows == [{"row": 4, "reason": "invalid email “bad”"}]
    anna = MediaContact.objects.get()
    assert (anna.phone, anna.consent_date) == ("4930123456", datetime.date(2024, 3, 1))


READERS = [
    pytest.param(read_xlsx_with_openpyxl, id="openpyxl"),
    pytest.param(
        read_xlsx,
        id="calamine",
        marks=pytest.mark.skipif(not find_spec("python_calamine"), reason="not installed"),
    ),
]


def plain(cell):
    if isinstance(cell, datetime.date):  # a date, or a datetime at midnight: the import takes both
        return cell.isoformat()[:10]
    return text(cell)


@pytest.mark.parametrize("read", READERS)
def test_both_workbook_readers_give_the_same_cells(read):
    file = xlsx_file(
        [
            ["Email", "Last name", "Phone", "Consent date"],
            ["anna@zeit.example", "Müller", 4930123456, datetime.datetime(2024, 3, 1)],
            [None, None, None, None],
            ["lars@politiken.example", "Sørensen", "+45 1", None],
        ]
    )

    table = read(file.read())

    rows = [[plain(cell) for cell in row] for row in table.rows]
    assert table.headings == ["Email", "Last name", "Phone", "Consent date"]
    assert rows == [
        ["anna@zeit.example", "Müller", "4930123456", "2024-03-01"],
        ["", "", "", ""],
        ["lars@politiken.example", "Sørensen", "+45 1", ""],
    ]


@override_settings(TASKS=DUMMY_TASKS)
def test_a_big_workbook_is_only_opened_by_the_background_task(officer_client, monkeypatch):
    monkeypatch.setattr("contacts.imports.reading.XLSX_READ_IN_REQUEST", 0)
    file = xlsx_file([["Email", "Last name", "Fax"], ["anna@zeit.example", "Müller", "1"]])

    job, page = upload(officer_client, file)
    assert job.status == ImportJob.Status.READING
    assert "Reading the first rows" in page and 'http-equiv="refresh"' in page
    run_import.call(job.pk)  # what the worker does: reads the first rows
    job.refresh_from_db()
    assert (job.status, job.head) == (
        ImportJob.Status.MAPPING,
        [["Email", "Last name", "Fax"], ["anna@zeit.example", "Müller", "1"]],
    )

    response = officer_client.get(f"{IMPORT_URL}{job.pk}/", follow=True)
    assert response.context["form"].suggested == ["email", "last_name", ""]
    map_columns(officer_client, job, response)
    run_import.call(job.pk)  # the check
    job.refresh_from_db()
    assert (job.status, counts(job)) == (ImportJob.Status.CHECKED, (1, 0, 0, 0))


def test_a_file_exported_from_the_admin_imports_back_unchanged(officer_client):
    make_topic("Climate")
    make_media_contact("Anna", "Müller", phone="+49 30 1", notes="=HYPERLINK(x)")
    make_media_contact("Lars", "Sørensen", do_not_contact=True, do_not_contact_reason="Left")
    # Quoted after each separator and line break on export, unquoted again on import.
    make_media_contact("Ines", "Ruiz", notes="Mobile; +44 7700 900000\n- not on Fridays")
    ids = list(MediaContact.objects.values_list("pk", flat=True))
    exported = officer_client.post(
        "/admin/contacts/mediacontact/",
        {"action": "export_csv", "_selected_action": ids, "index": 0},
    )
    content = b"".join(exported.streaming_content)

    job, _ = upload(officer_client, SimpleUploadedFile("export.csv", content))

    assert counts(job) == (0, 0, 3, 0)
