"""The mapping step of the contacts import, between the upload and the check: the row naming the
columns found (or chosen), each column's field suggested from a remembered mapping or from the
headings' synonyms (or chosen, or ignored), the first rows shown as they would be stored, and
the mapping remembered per source. Every file is made in the test."""

import pytest
from django.test import override_settings
from django.utils import timezone

from contacts.imports import presets
from contacts.models import ImportJob, ImportMapping, MediaContact
from tests.contacts.importing import (
    DUMMY_TASKS,
    IMPORT_URL,
    confirm,
    counts,
    csv_file,
    map_columns,
    names,
    upload,
)
from tests.factories import make_topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_a_temporary_folder")]

CISION_TITLE = "Cision Communications Cloud – media list “Regional desks”\r\nExported 2030-05-01,,,"


def columns_page(client, file, **fields):
    """Upload `file`; the mapping page it leads to."""
    response = client.post(IMPORT_URL, {"file": file, "format": "auto", **fields}, follow=True)
    assert response.redirect_chain[-1][0].endswith("/columns/")
    return response


def test_the_heading_row_below_a_title_is_found_and_rows_keep_the_files_numbers(officer_client):
    file = csv_file(
        "anna@zeit.example,Anna,Müller,Die Zeit,Germany",
        "not-an-email,Bad,Row,,",
        headings=f"{CISION_TITLE}\r\nEmail,First Name,Last Name,Outlet Name,Country",
    )

    page = columns_page(officer_client, file)

    assert page.context["header_row"] == 3
    assert page.context["form"].suggested == [
        "email",
        "first_name",
        "last_name",
        "outlet",
        "country",
    ]
    html = page.content.decode()
    row_3 = "Row 3: Email, First Name, Last Name, Outlet Name, Country"
    assert f'<option value="3" selected>{row_3}</option>' in html
    assert "anna@zeit.example · not-an-email" in html  # the first values of column A
    job = ImportJob.objects.get()
    map_columns(officer_client, job, page)
    job.refresh_from_db()
    assert (job.status, job.header_row, counts(job)) == ("checked", 3, (1, 0, 0, 1))
    assert job.invalid_rows == [{"row": 5, "reason": "invalid email “not-an-email”"}]


def test_another_heading_row_can_be_chosen(officer_client):
    file = csv_file("Email,Surname", "a@example.org,Adams", headings="Our contacts,")
    page = columns_page(officer_client, file)
    assert page.context["header_row"] == 2
    job = ImportJob.objects.get()

    page = officer_client.get(f"{IMPORT_URL}{job.pk}/columns/?row=1")

    assert page.context["header_row"] == 1
    assert [column.heading for column in page.context["form"].columns] == ["Our contacts"]


def test_headings_are_suggested_by_their_synonyms_whatever_their_case(officer_client):
    file = csv_file(
        "a@example.org,Ada,Adams,+44 1,Reporter,x",
        headings="E-MAIL ADDRESS,vorname, Family-Name ,Telefon,POSITION,Fax",
    )

    page = columns_page(officer_client, file)

    assert page.context["form"].suggested == [
        "email", "first_name", "last_name", "phone", "job_title", "",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("headings", "mapping", "fields"),
    [
        (
            "First Name,Last Name,Email,Job Title,Outlet Name,Media Type,Country,Subjects,"
            "Language",
            "Cision",
            ["first_name", "last_name", "email", "job_title", "outlet", "", "country", "beats",
             "languages"],
        ),
        (
            "Name,Title,Outlet,Email,Twitter Handle,Beats,Location",
            "Muck Rack",
            ["full_name", "job_title", "outlet", "email", "", "beats", "regions"],
        ),
        (
            "Email Address,First Name,Last Name,Address,Phone Number,MEMBER_RATING,OPTIN_TIME,"
            "CONFIRM_TIME,LATITUDE,LEID,EUID,TAGS",
            "Mailchimp audience",
            ["email", "first_name", "last_name", "", "phone", "", "", "", "", "", "", ""],
        ),
        (
            "Anrede,Vorname,Nachname,E-Mail,Medium,Ressort,Position,Straße,PLZ,Ort",
            "German press list",
            ["", "first_name", "last_name", "email", "outlet", "beats", "job_title", "", "",
             "regions"],
        ),
    ],
)  # fmt: skip
def test_the_shipped_presets_map_the_common_exports(officer_client, headings, mapping, fields):
    width = headings.count(",") + 1
    row = ",".join(["a@example.org"] + ["x"] * (width - 1))
    page = columns_page(officer_client, csv_file(row, headings=headings))

    assert page.context["remembered"].name == mapping
    assert page.context["form"].suggested == fields


def test_a_mapping_remembered_for_a_source_is_suggested_for_its_next_file(officer_client):
    first = csv_file("a@example.org,Adams,Planet", headings="Mail,Nom,Publikation")
    page = columns_page(officer_client, first)
    assert page.context["form"].suggested == ["email", "", ""]
    job = ImportJob.objects.get()
    map_columns(
        officer_client,
        job,
        page,
        {"column_1": "last_name", "column_2": "outlet"},
        remember_as="Agence locale",
    )
    remembered = ImportMapping.objects.get(name="Agence locale")
    assert remembered.columns == {"Mail": "email", "Nom": "last_name", "Publikation": "outlet"}

    # The same source next month: headings in another case and spacing, one more column.
    second = csv_file("b@example.org,Brown,Sun,1", headings="MAIL, nom ,PUBLIKATION,Fax")
    page = columns_page(officer_client, second)

    assert page.context["remembered"] == remembered
    assert page.context["form"].suggested == ["email", "last_name", "outlet", ""]


def test_the_preview_shows_the_first_rows_as_they_would_be_stored(officer_client):
    make_topic("Climate")
    make_topic("Water")
    file = csv_file(
        '"Müller, Anna Maria",ANNA@Zeit.example,"climate; WATER",yes',
        "Lars Sørensen,lars@politiken.example,,",
        "Nobody,no-address,,",
        headings="Name,Email,Ressorts,DNC",
    )
    page = columns_page(officer_client, file)
    job = ImportJob.objects.get()

    page = map_columns(officer_client, job, page, preview="Preview")

    labels, rows = page.context["preview"]
    assert labels == ["Email", "First name", "Last name", "Beats", "Do not contact"]
    assert rows == [
        (2, ["anna@zeit.example", "Anna Maria", "Müller", "Climate, Water", "yes"], ""),
        (3, ["lars@politiken.example", "Lars", "Sørensen", "", ""], ""),
        (4, ["", "", "Nobody", "", ""], "invalid email “no-address”"),
    ]
    assert "<td>Anna Maria</td><td>Müller</td><td>Climate, Water</td>" in page.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING  # a preview checks nothing


def test_a_full_name_column_makes_first_and_last_names(officer_client):
    file = csv_file("Anna Maria Müller,anna@zeit.example", headings="Full name,Email")

    job, _ = upload(officer_client, file)
    confirm(officer_client, job)

    assert names() == [("Anna Maria", "Müller", "anna@zeit.example")]


@pytest.mark.parametrize(
    ("columns", "error"),
    [
        (
            {"column_0": "email", "column_1": "email"},
            "Columns A and B both fill “Email”: choose one, and ignore the other.",
        ),
        ({"column_0": "", "column_1": "last_name"}, "Choose the column of “Email”: rows need it."),
        (
            {"column_1": "first_name"},
            "Choose the column of “Last name”: rows need it.",
        ),
    ],
)
def test_a_mapping_that_cannot_make_an_import_is_refused_and_checks_nothing(
    officer_client, columns, error
):
    page = columns_page(officer_client, csv_file("a@example.org,Adams", headings="Email,Surname"))
    job = ImportJob.objects.get()

    page = map_columns(officer_client, job, page, columns)

    assert error in page.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING


def test_an_import_waiting_for_its_mapping_can_be_discarded(officer_client):
    columns_page(officer_client, csv_file("a@example.org,Adams", headings="Email,Surname"))
    job = ImportJob.objects.get()

    officer_client.post(f"{IMPORT_URL}{job.pk}/discard/")

    job.refresh_from_db()
    assert (job.status, job.file.name, job.head) == ("failed", "", [])
    assert MediaContact.objects.count() == 0


def test_an_import_nobody_mapped_for_a_day_is_discarded(officer_client):
    columns_page(officer_client, csv_file("a@example.org,Adams", headings="Email,Surname"))
    ImportJob.objects.update(created_at=timezone.now() - timezone.timedelta(days=2))

    officer_client.get(IMPORT_URL)

    job = ImportJob.objects.get()
    assert (job.status, job.file.name, job.head) == ("failed", "", [])


@override_settings(CONTACTS_IMPORT_BACKGROUND_ROWS=2, TASKS=DUMMY_TASKS)
def test_a_large_file_is_mapped_first_and_counted_below_its_heading_row(officer_client):
    rows = [f"person{n}@example.org,Son {n}" for n in range(3)]
    file = csv_file(*rows, headings="Contacts of the desk\r\nEmail,Surname")

    job, page = upload(officer_client, file)

    assert (job.status, job.header_row, job.total_rows) == ("checking", 2, 3)
    assert '<progress id="import-progress" max="3" value="0">' in page


def test_a_preset_follows_the_code_until_someone_edits_it(officer_client):
    cision = ImportMapping.objects.get(preset="cision")
    cision.columns = {"Email": "email"}
    cision.save()
    presets.install()  # as after the next migrate
    cision.refresh_from_db()
    assert cision.columns == presets.PRESETS["cision"][2]

    response = officer_client.post(
        f"/admin/contacts/importmapping/{cision.pk}/change/",
        {
            "name": "Cision",
            "kind": "contacts",
            "columns": "E-mail = Email\nOutlet Name = outlet\nFax = ignore",
        },
    )
    presets.install()

    assert response.status_code == 302
    cision.refresh_from_db()
    assert (cision.columns, cision.edited) == (
        {"E-mail": "email", "Outlet Name": "outlet", "Fax": ""},
        True,
    )


def test_the_mapping_admin_names_a_field_it_does_not_know(officer_client):
    response = officer_client.post(
        "/admin/contacts/importmapping/add/",
        {"name": "Old CRM", "kind": "suppressions", "columns": "Mail = Email\nName = Last name"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 2: “Last name” is not a field of this kind of import" in page
    assert not ImportMapping.objects.filter(name="Old CRM").exists()


def test_a_workbook_whose_worker_stops_while_reading_it_fails_with_the_reason():
    job = ImportJob.objects.create(file_name="big.xlsx", format="xlsx")
    assert job.status == ImportJob.Status.READING

    job.stop()  # what the dispatcher does once the worker is found dead

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("The worker stopped while reading this file: nothing was")
