"""Exporting media contacts to CSV and Excel: a filtered set from the changelist, or a list.

Only staff with the "Can export media contacts" permission may; every cell a spreadsheet could
run as a formula is escaped.
"""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from contacts.models import Membership
from tests.factories import (
    make_media_contact,
    make_media_list,
    make_outlet,
    make_topic,
    make_user,
)
from tests.pages import logged_in

pytestmark = pytest.mark.django_db

CHANGELIST_URL = "/admin/contacts/mediacontact/"
HEADINGS = [
    "Email", "First name", "Last name", "Phone", "Outlet", "Job title", "Beats", "Regions",
    "Languages", "Country", "Time zone", "Language code", "Tags", "Notes", "Source",
    "Consent basis", "Consent date", "Do not contact",
    "Do-not-contact reason", "Do-not-contact since", "Created", "Updated",
]  # fmt: skip
PAYLOADS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def officer_client():
    return logged_in(make_user("press", group_name="Press officer"))


def export(client, action, contacts, **filters):
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    data = {"action": action, "index": 0, "_selected_action": [c.pk for c in contacts]}
    return client.post(f"{CHANGELIST_URL}?{query}", data)


def csv_rows(response):
    content = b"".join(response.streaming_content).decode()
    assert content.startswith("\ufeff")  # so Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


def test_the_selected_contacts_are_exported_to_csv(officer_client):
    climate = make_topic("Climate")
    anna = make_media_contact(
        "Anna", "Müller", outlet=make_outlet("Die Zeit"), regions="Berlin", consent_basis="Asked",
        country="DE", time_zone="Europe/Berlin", language="de",
    )  # fmt: skip
    anna.beats.add(climate)
    anna.tags.add("climate-pool", "germany")
    make_media_contact("Not", "Selected")

    response = export(officer_client, "export_csv", [anna])

    rows = csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="media-contacts-')
    assert "private, no-store" in response["Cache-Control"]
    assert rows[0] == HEADINGS
    assert [row[:19] for row in rows[1:]] == [
        [
            "anna.muller@example.com", "Anna", "Müller", "", "Die Zeit", "", "Climate",
            "Berlin", "", "DE", "Europe/Berlin", "de", "climate-pool, germany", "", "", "Asked",
            "", "", "",
        ]
    ]  # fmt: skip


def test_select_all_exports_the_whole_filtered_set(officer_client):
    anna = make_media_contact("Anna", "Müller", do_not_contact=True)
    make_media_contact("Lars", "Sørensen", do_not_contact=True)
    make_media_contact("Reach", "Able")

    # As the browser sends it: the boxes ticked on the page, and "select all".
    response = officer_client.post(
        f"{CHANGELIST_URL}?do_not_contact__exact=1",
        {"action": "export_csv", "index": 0, "select_across": 1, "_selected_action": [anna.pk]},
    )

    assert [row[2] for row in csv_rows(response)[1:]] == ["Müller", "Sørensen"]


def test_contacts_erased_on_request_are_left_out(officer_client):
    kept = make_media_contact("Anna", "Müller")
    erased = make_media_contact("Erased", "", email="erased-9@erased.invalid", erased_at=NOW)

    rows = csv_rows(export(officer_client, "export_csv", [kept, erased]))

    assert [row[0] for row in rows[1:]] == [kept.email]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cell_a_spreadsheet_would_run_is_escaped_in_csv(officer_client, payload):
    contact = make_media_contact(notes=payload, job_title=payload)

    rows = csv_rows(export(officer_client, "export_csv", [contact]))

    assert rows[1][HEADINGS.index("Notes")] == "'" + payload
    assert rows[1][HEADINGS.index("Job title")] == "'" + payload


def test_no_cell_of_an_excel_export_is_a_formula(officer_client):
    contacts = [make_media_contact("N", f"Payload {n}", notes=p) for n, p in enumerate(PAYLOADS)]

    response = export(officer_client, "export_xlsx", contacts)

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows())
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert [cell.value for cell in rows[0]] == HEADINGS
    assert all(cell.data_type != "f" for row in rows for cell in row)
    notes = [row[HEADINGS.index("Notes")].value for row in rows[1:]]
    # XML reads a stored CR back as LF; the apostrophe before it is what matters.
    assert notes == ["'" + payload.replace("\r", "\n") for payload in PAYLOADS]


def test_a_list_exports_its_current_members_only(officer_client):
    current = make_media_contact("Current", "Member")
    former = make_media_contact("Former", "Member")
    media_list = make_media_list("Climate desks", contacts=[current])
    Membership.objects.create(media_list=media_list, contact=former, left_at="2024-01-01T00:00Z")

    response = officer_client.get(f"/admin/contacts/medialist/{media_list.pk}/export/csv/")

    assert [row[1] for row in csv_rows(response)[1:]] == ["Current"]
    assert 'filename="climate-desks-' in response["Content-Disposition"]


def test_the_list_page_offers_the_export_to_those_allowed(officer_client):
    media_list = make_media_list("Climate desks")

    page = officer_client.get(f"/admin/contacts/medialist/{media_list.pk}/change/")

    assert f'href="/admin/contacts/medialist/{media_list.pk}/export/csv/"' in page.content.decode()


def test_staff_without_the_export_permission_cannot_export(officer_client):
    # Every contacts permission but the export one.
    user = make_user("clerk", group_name="Editor")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="contacts").exclude(
            codename="export_mediacontact"
        )
    )
    client = logged_in(user)
    contact = make_media_contact("Secret", "Source", email="secret.source@example.org")
    media_list = make_media_list("Climate desks", contacts=[contact])

    changelist = client.get(CHANGELIST_URL).content.decode()
    action = export(client, "export_csv", [contact])
    list_page = client.get(f"/admin/contacts/medialist/{media_list.pk}/change/").content.decode()
    list_export = client.get(f"/admin/contacts/medialist/{media_list.pk}/export/xlsx/")

    assert "export_csv" not in changelist and "Export to CSV" not in changelist
    assert action.status_code == 302  # back to the changelist: "No action selected"
    assert not action.has_header("Content-Disposition")
    assert "/export/" not in list_page
    assert list_export.status_code == 403
