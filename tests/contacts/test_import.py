"""Importing media contacts from CSV and Excel files through the admin.

Upload (a dry run: nothing written) → the preview of new / updated / unchanged / invalid rows →
confirm → written, all or nothing unless "import the valid rows" was chosen. Every file is made
in the test. Large files go to the `run_import` task: the tests enqueue it on django-tasks'
DummyBackend and then run it as the worker would, or run it at once on the ImmediateBackend.
"""

import datetime

import pytest
from django.test import Client, override_settings

from contacts.imports import run_import
from contacts.models import (
    ContactEvent,
    ErasedAddress,
    ImportJob,
    MediaContact,
    Membership,
    Outlet,
)
from tests.contacts.importing import (
    DUMMY_TASKS,
    IMMEDIATE_TASKS,
    IMPORT_URL,
    confirm,
    counts,
    csv_file,
    names,
    upload,
)
from tests.factories import (
    make_media_contact,
    make_media_list,
    make_outlet,
    make_topic,
    make_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_a_temporary_folder")]


def test_every_kind_of_bad_row_is_listed_with_its_number_and_reason(officer_client):
    make_topic("Climate")
    file = csv_file(
        "good@example.org,Good,Row,,,Climate,,",
        "not-an-email,Bad,Email,,,,,",
        "no.name@example.org,Nameless,,,,,,",
        ",No,Address,,,,,",
        "beats@example.org,Un,Known,,,Knitting,,",
        "dnc@example.org,Dee,Nc,,,,,maybe",
        "cells@example.org,Too,Many,,,,,,extra",
    )

    job, page = upload(officer_client, file)

    assert counts(job) == (1, 0, 0, 6)
    assert job.invalid_rows == [
        {"row": 3, "reason": "invalid email “not-an-email”"},
        {"row": 4, "reason": "missing last name"},
        {"row": 5, "reason": "missing email"},
        {"row": 6, "reason": "unknown beat “Knitting”"},
        {"row": 7, "reason": "do not contact “maybe” should be yes or no"},
        {"row": 8, "reason": "more cells than columns (a value with a comma not in quotes?)"},
    ]
    assert "<td>3</td><td>invalid email “not-an-email”</td>" in page
    assert "<td>4</td><td>missing last name</td>" in page
    assert "Import 1 valid row, skip 6 invalid" in page


def test_a_file_with_invalid_rows_writes_nothing(officer_client):
    job, _ = upload(officer_client, csv_file("good@example.org,Good,Row,,,,,", "bad,Bad,Row,,,,,"))

    response = officer_client.post(f"/admin/contacts/mediacontact/import/{job.pk}/confirm/")

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.CHECKED
    assert MediaContact.objects.count() == 0
    assert ContactEvent.objects.count() == 0


def test_the_valid_rows_are_imported_when_chosen_and_the_skipped_ones_reported(officer_client):
    file = csv_file("good@example.org,Good,Row,,,,,", "bad,Bad,Row,,,,,")
    job, _ = upload(officer_client, file, import_valid_rows="on")

    job = confirm(officer_client, job)

    assert job.status == ImportJob.Status.DONE
    assert counts(job) == (1, 0, 0, 1)
    assert names() == [("Good", "Row", "good@example.org")]
    page = officer_client.get(f"/admin/contacts/mediacontact/import/{job.pk}/").content.decode()
    assert "Invalid rows, not imported" in page
    assert "<td>3</td><td>invalid email “bad”</td>" in page


def test_the_valid_rows_can_still_be_chosen_on_the_preview(officer_client):
    job, _ = upload(officer_client, csv_file("good@example.org,Good,Row,,,,,", "bad,Bad,Row,,,,,"))

    job = confirm(officer_client, job, import_valid_rows="on")

    assert job.status == ImportJob.Status.DONE
    assert names() == [("Good", "Row", "good@example.org")]


def test_an_email_already_known_in_another_case_updates_the_contact(officer_client):
    contact = make_media_contact("Anna", "Muller", email="anna@zeit.example", phone="+49 30 1")

    job, _ = upload(officer_client, csv_file(" Anna@ZEIT.example ,Anna,Müller,,Editor,,,"))
    assert counts(job) == (0, 1, 0, 0)
    confirm(officer_client, job)

    contact.refresh_from_db()
    assert MediaContact.objects.count() == 1
    assert (contact.last_name, contact.job_title) == ("Müller", "Editor")
    assert contact.phone == "+49 30 1"  # no Phone column: left alone
    assert list(contact.events.values_list("kind", "detail")) == [
        ("imported", "contacts.csv: updated last name, job title")
    ]


def test_an_empty_cell_never_erases_what_we_know(officer_client):
    contact = make_media_contact("Anna", "Muller", job_title="Editor", regions="Berlin")

    job, _ = upload(officer_client, csv_file(f"{contact.email},,Muller,,,,,"))

    assert counts(job) == (0, 0, 1, 0)
    confirm(officer_client, job)
    contact.refresh_from_db()
    assert (contact.first_name, contact.job_title, contact.regions) == ("Anna", "Editor", "Berlin")


def test_the_same_email_twice_in_a_file_makes_one_contact(officer_client):
    file = csv_file(
        "sam@example.org,Sam,Ray,,,,,", "SAM@example.org,,Ray,,Columnist,,,", "x@example.org,X,Y"
    )

    job, _ = upload(officer_client, file)
    confirm(officer_client, job)

    assert counts(job) == (2, 0, 0, 0)
    assert job.skipped_rows == [{"row": 3, "reason": "same email as row 2: merged into it"}]
    sam = MediaContact.objects.get(email="sam@example.org")
    assert (sam.first_name, sam.job_title) == ("Sam", "Columnist")


def test_an_import_never_takes_a_contact_off_do_not_contact(officer_client):
    contact = make_media_contact(do_not_contact=True, do_not_contact_reason="Asked us to stop")

    job, _ = upload(officer_client, csv_file(f"{contact.email},Lois,Lane,,Reporter,,,no"))
    confirm(officer_client, job)

    contact.refresh_from_db()
    assert contact.do_not_contact
    assert contact.do_not_contact_reason == "Asked us to stop"
    assert contact.job_title == "Reporter"


def test_an_import_can_mark_a_contact_do_not_contact(officer_client):
    contact = make_media_contact()

    job, _ = upload(officer_client, csv_file(f"{contact.email},Lois,Lane,,,,,yes"))
    confirm(officer_client, job)

    contact.refresh_from_db()
    assert contact.do_not_contact and contact.do_not_contact_since
    assert contact.events.filter(kind=ContactEvent.Kind.DO_NOT_CONTACT).count() == 1


def test_a_contact_erased_on_request_is_never_brought_back(officer_client):
    erased = make_media_contact("Gone", "Away", erased_at=datetime.datetime.now(datetime.UTC))
    ErasedAddress.objects.remember("Former.Person@Example.org")
    file = csv_file(f"{erased.email},Gone,Back,,,,,", "former.person@example.org,Former,Person")

    job, _ = upload(officer_client, file)
    confirm(officer_client, job)

    assert counts(job) == (0, 0, 0, 0)
    assert job.skipped_rows == [
        {"row": 2, "reason": "erased on request"},
        {"row": 3, "reason": "erased on request"},
    ]
    assert names() == [("Gone", "Away", erased.email)]


def test_every_contact_of_the_file_joins_the_chosen_list_with_its_history(officer_client, officer):
    media_list = make_media_list("Climate desks")
    member = make_media_contact("Already", "Member", email="member@example.org")
    Membership.objects.create(media_list=media_list, contact=member)
    known = make_media_contact("Known", "Contact", email="known@example.org")
    file = csv_file(
        "member@example.org,Already,Member,,,,,",
        "known@example.org,Known,Contact,,,,,",
        "new@example.org,New,Contact,,,,,",
    )

    job, page = upload(officer_client, file, media_list=media_list.pk)
    assert (job.joined_list_count, '<td id="count-joining">2</td>' in page) == (2, True)
    confirm(officer_client, job)

    new = MediaContact.objects.get(email="new@example.org")
    members = media_list.memberships.filter(left_at__isnull=True)
    assert sorted(members.values_list("contact__email", flat=True)) == [
        "known@example.org",
        "member@example.org",
        "new@example.org",
    ]
    assert list(new.events.values_list("kind", "detail", "user")) == [
        ("joined_list", "Climate desks", officer.pk),
        ("imported", "contacts.csv: new contact", officer.pk),
    ]
    assert list(known.events.values_list("kind", flat=True)) == ["joined_list"]
    assert list(member.events.values_list("kind", flat=True)) == []


def test_beats_and_outlets_are_matched_whatever_their_case(officer_client):
    climate, water = make_topic("Climate"), make_topic("Water")
    outlet = make_outlet("The Guardian")

    job, _ = upload(officer_client, csv_file("a@example.org,A,B,the guardian,,climate; WATER,,"))
    confirm(officer_client, job)

    contact = MediaContact.objects.get()
    assert contact.outlet == outlet and Outlet.objects.count() == 1
    assert set(contact.beats.all()) == {climate, water}


def test_an_import_replaces_the_beats_and_outlet_of_a_known_contact(officer_client):
    climate, water = make_topic("Climate"), make_topic("Water")
    contact = make_media_contact(outlet=make_outlet("Daily Planet"))
    contact.beats.add(climate)

    job, _ = upload(officer_client, csv_file(f"{contact.email},Lois,Lane,Planet Weekly,,Water,,"))
    confirm(officer_client, job)

    contact.refresh_from_db()
    assert (counts(job), job.new_outlet_count) == ((0, 1, 0, 0), 1)
    assert contact.outlet.name == "Planet Weekly"
    assert list(contact.beats.all()) == [water]
    assert list(contact.events.values_list("detail", flat=True)) == [
        "contacts.csv: updated outlet, beats"
    ]


def test_a_double_confirmation_imports_once(officer_client):
    job, _ = upload(officer_client, csv_file("a@example.org,A,B,,,,,"))

    confirm(officer_client, job)
    confirm(officer_client, job)

    assert MediaContact.objects.count() == 1
    assert ContactEvent.objects.count() == 1


@override_settings(CONTACTS_IMPORT_BACKGROUND_ROWS=2, TASKS=DUMMY_TASKS)
def test_a_large_file_is_checked_and_imported_by_the_task_with_a_progress_page(officer_client):
    file = csv_file(*[f"person{n}@example.org,Per,Son {n},,,,," for n in range(3)])

    job, page = upload(officer_client, file)

    # Enqueued, not run: the page shows the progress and reloads itself.
    assert job.status == ImportJob.Status.CHECKING
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="import-progress" max="3" value="0">' in page
    run_import.call(job.pk)  # what the worker does
    job.refresh_from_db()
    assert (job.status, counts(job)) == (ImportJob.Status.CHECKED, (3, 0, 0, 0))
    assert MediaContact.objects.count() == 0

    job = confirm(officer_client, job)
    assert job.status == ImportJob.Status.IMPORTING
    run_import.call(job.pk)

    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows) == (ImportJob.Status.DONE, 3, 3)
    assert MediaContact.objects.count() == 3


@override_settings(CONTACTS_IMPORT_BACKGROUND_ROWS=2, TASKS=IMMEDIATE_TASKS)
def test_a_large_file_runs_through_the_task_backend(officer_client):
    file = csv_file(*[f"person{n}@example.org,Per,Son {n},,,,," for n in range(3)])

    job, page = upload(officer_client, file)
    job = confirm(officer_client, job)

    assert job.status == ImportJob.Status.DONE
    assert MediaContact.objects.count() == 3


def test_staff_without_the_contacts_permissions_cannot_import(officer_client):
    editor = Client()
    editor.force_login(make_user("editor", group_name="Editor"))
    job, _ = upload(officer_client, csv_file("secret.source@example.org,Secret,Source,,,,,"))

    responses = [
        editor.get(IMPORT_URL),
        editor.post(IMPORT_URL, {"file": csv_file("a@example.org,A,B"), "format": "auto"}),
        editor.get(f"/admin/contacts/mediacontact/import/{job.pk}/"),
        editor.get(f"/admin/contacts/mediacontact/import/{job.pk}/columns/"),
        editor.post(f"/admin/contacts/mediacontact/import/{job.pk}/columns/", {"header_row": 1}),
        editor.post(f"/admin/contacts/mediacontact/import/{job.pk}/confirm/"),
        editor.post(f"/admin/contacts/mediacontact/import/{job.pk}/discard/"),
    ]

    assert [response.status_code for response in responses] == [403] * 7
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert ImportJob.objects.count() == 1


def test_country_language_and_time_zone_are_read_into_codes_or_refused_by_row(officer_client):
    headings = "Email,Last name,Country,Language code,Time zone"
    file = csv_file(
        "kim@example.org,Kim,South Korea,Korean,Asia/Seoul",
        "sato@example.org,Sato,jp,ja,",
        "x@example.org,X,Atlantis,,",
        "y@example.org,Y,,Klingon,",
        "z@example.org,Z,,,Mars/Base",
        headings=headings,
    )

    job, _ = upload(officer_client, file, import_valid_rows="on")

    assert job.invalid_rows == [
        {
            "row": 4,
            "reason": "country “Atlantis” is not one we know: use its name in English or its "
            "code, such as KR",
        },
        {
            "row": 5,
            "reason": "language “Klingon” is not one we know: use its name or its code, such as ko",
        },
        {
            "row": 6,
            "reason": "time zone “Mars/Base” is not one we know: use a name such as Asia/Seoul",
        },
    ]
    confirm(officer_client, job)
    assert sorted(
        MediaContact.objects.values_list("email", "country", "language", "time_zone")
    ) == [
        ("kim@example.org", "KR", "ko", "Asia/Seoul"),
        ("sato@example.org", "JP", "ja", ""),
    ]
