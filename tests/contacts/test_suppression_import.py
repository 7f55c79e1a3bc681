"""Importing a suppression list through the contacts upload ("the file holds a suppression
list"): one column of addresses, mapped like any file, checked (invalid rows by number and
reason) and written all or nothing on confirmation."""

import pytest

from contacts.models import ImportJob, MediaContact, Suppression
from tests.contacts.importing import IMPORT_URL, confirm, counts, csv_file, upload
from tests.factories import make_media_list

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_a_temporary_folder")]

# The "Unsubscribed" file of a Mailchimp audience export.
UNSUBSCRIBED = "Email Address,First Name,Last Name,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_REASON"


def test_a_mailchimp_unsubscribed_file_becomes_the_suppression_list(officer_client, officer):
    Suppression.objects.suppress("known@example.org", Suppression.Reason.COMPLAINT, "Mailing 2")
    file = csv_file(
        "Gone@Example.org,Ann,Gone,2029-01-02 10:00:00,Spring news,NORMAL",
        "known@example.org,Kay,Known,2029-02-02 10:00:00,Spring news,NORMAL",
        "not-an-address,Bad,Row,,,",
        "GONE@example.org,Ann,Gone,2029-03-02 10:00:00,Summer news,NORMAL",
        headings=UNSUBSCRIBED,
        name="unsubscribed_members_export.csv",
    )

    job, page = upload(officer_client, file, kind="suppressions", suppression_reason="opted_out")

    assert job.kind == "suppressions"
    assert job.columns == ["email", "", "", "", "", ""]
    assert counts(job) == (1, 0, 1, 1)
    assert job.invalid_rows == [{"row": 4, "reason": "invalid email “not-an-address”"}]
    assert job.skipped_rows == [{"row": 5, "reason": "same email as row 2"}]
    assert "Newly suppressed addresses" in page
    assert "Import 1 valid row, skip 1 invalid" in page
    assert Suppression.objects.count() == 1  # the check writes nothing

    job = confirm(officer_client, job, import_valid_rows="on")

    assert job.status == ImportJob.Status.DONE
    assert sorted(Suppression.objects.values_list("email", "reason", "source", "created_by")) == [
        ("gone@example.org", "opted_out", "Import of unsubscribed_members_export.csv", officer.pk),
        ("known@example.org", "complaint", "Mailing 2", None),
    ]
    assert MediaContact.objects.count() == 0
    assert not job.file and job.head == []


def test_a_suppression_list_with_invalid_rows_suppresses_nothing_unless_told(officer_client):
    file = csv_file("a@example.org", "nonsense", headings="Email")

    job, page = upload(officer_client, file, kind="suppressions")
    response = officer_client.post(f"{IMPORT_URL}{job.pk}/confirm/")

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.CHECKED
    assert not Suppression.objects.exists()


def test_a_suppression_list_needs_its_email_column_and_offers_no_other(officer_client):
    file = csv_file("a@example.org,Adams", headings="Contact,Surname")
    response = officer_client.post(
        IMPORT_URL, {"file": file, "format": "auto", "kind": "suppressions"}, follow=True
    )
    job = ImportJob.objects.get()

    page = officer_client.post(
        f"{IMPORT_URL}{job.pk}/columns/",
        {"header_row": 1, "column_0": "", "column_1": "last_name"},
    ).content.decode()

    assert response.context["form"].suggested == ["", ""]
    assert "Choose the column of “Email”: rows need it." in page
    assert "Select a valid choice. last_name is not one of the available choices." in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING


def test_a_suppression_list_joins_no_media_list(officer_client):
    media_list = make_media_list()
    file = csv_file("a@example.org", headings="Email")

    response = officer_client.post(
        IMPORT_URL,
        {"file": file, "format": "auto", "kind": "suppressions", "media_list": media_list.pk},
    )

    assert "A suppression list joins no media list: choose no list for it." in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()
