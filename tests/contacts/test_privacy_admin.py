"""Data protection requests in the admin: a person's data exported as JSON or CSV from their
page, erased after a confirmation page, and deleted (one or many) with the same erasure; for
media contacts and subscribers alike. Only those with the contacts permissions may."""

import csv
import io
import json

import pytest
from django.contrib.admin.models import LogEntry

from contacts.models import (
    ContactEvent,
    Delivery,
    ErasedAddress,
    MediaContact,
    Subscriber,
    Suppression,
)
from tests.factories import (
    make_delivery,
    make_mailing,
    make_media_contact,
    make_media_list,
    make_release,
    make_subscriber,
    make_user,
)

pytestmark = pytest.mark.django_db

EMAIL = "lois.lane@planet.example"
CONTACTS = "/admin/contacts/mediacontact/"
SUBSCRIBERS = "/admin/contacts/subscriber/"


@pytest.fixture
def lois():
    contact = make_media_contact("Lois", "Lane", email=EMAIL, phone="+1 555 0100")
    make_delivery(make_mailing(make_release("Heat plan")), contact, status="sent")
    return contact


def test_a_contact_page_offers_the_export_and_the_erasure(officer_client, lois):
    page = officer_client.get(f"{CONTACTS}{lois.pk}/change/").content.decode()

    assert f'href="{CONTACTS}{lois.pk}/personal-data/json/">Export personal data (JSON)' in page
    assert f'href="{CONTACTS}{lois.pk}/personal-data/csv/">Export personal data (CSV)' in page
    assert f'href="{CONTACTS}{lois.pk}/erase/">Erase personal data…' in page


def test_the_json_export_downloads_everything_held_on_the_contact(officer_client, lois):
    response = officer_client.get(f"{CONTACTS}{lois.pk}/personal-data/json/")

    assert response["Content-Disposition"] == f'attachment; filename="contact-{lois.pk}.json"'
    data = json.loads(response.content)
    assert (data["contact"]["email"], data["contact"]["phone"]) == (EMAIL, "+1 555 0100")
    assert [(d["release"], d["status"]) for d in data["deliveries"]] == [("Heat plan", "sent")]
    # The export itself is in the record's admin history.
    assert LogEntry.objects.get().change_message == "Exported personal data (JSON)"


def test_the_csv_export_of_a_subscriber_holds_their_subscription_and_alerts(officer_client):
    reader = make_subscriber("reader@example.org", status="confirmed", source="/subscribe/")
    alert = make_mailing(make_release("Heat plan"), kind="alert")
    Delivery.objects.create(mailing=alert, subscriber=reader, email=reader.email, status="sent")

    response = officer_client.get(f"{SUBSCRIBERS}{reader.pk}/personal-data/csv/")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["subscription", "", "email", "reader@example.org"] in lines
    assert ["subscription", "", "source", "/subscribe/"] in lines
    assert ["deliveries", "1", "release", "Heat plan"] in lines
    assert not [line for line in lines if line[0] == "contact"]


def test_an_unknown_export_format_is_not_found(officer_client, lois):
    assert officer_client.get(f"{CONTACTS}{lois.pk}/personal-data/xml/").status_code == 404
    assert officer_client.get(f"{CONTACTS}999999/personal-data/json/").status_code == 404


def test_the_erasure_asks_first_and_says_what_goes_and_what_stays(officer_client, lois):
    make_subscriber(EMAIL, status="confirmed")

    page = officer_client.get(f"{CONTACTS}{lois.pk}/erase/").content.decode()

    assert f"Media contact #{lois.pk}: Lois Lane &lt;{EMAIL}&gt;" in page
    assert "The contact and the subscriber share the address: both are erased." in page
    assert "<tr><td>Deliveries</td><td>1</td></tr>" in page
    assert "A one-way digest (SHA-256)" in page
    # Nothing happened yet.
    lois.refresh_from_db()
    assert (lois.email, lois.erased_at) == (EMAIL, None)


def test_erasing_from_the_admin_erases_the_contact_and_their_subscription(officer_client, lois):
    reader = make_subscriber(EMAIL.upper(), status="confirmed")

    response = officer_client.post(f"{CONTACTS}{lois.pk}/erase/", follow=True)

    assert response.redirect_chain == [(f"{CONTACTS}{lois.pk}/change/", 302)]
    assert f"Personal data of media contact #{lois.pk} erased" in response.content.decode()
    lois.refresh_from_db()
    reader.refresh_from_db()
    assert (str(lois), lois.email) == ("Erased", f"erased-{lois.pk}@erased.invalid")
    assert (reader.email, reader.status) == (
        f"erased-subscriber-{reader.pk}@erased.invalid",
        "unsubscribed",
    )
    assert list(LogEntry.objects.values_list("object_repr", "change_message")) == [
        (f"Erased media contact #{lois.pk}", "Erased personal data on request")
    ]
    # A second try says so, and erases nothing twice.
    again = officer_client.post(f"{CONTACTS}{lois.pk}/erase/", follow=True)
    assert f"Contact #{lois.pk} was already erased." in again.content.decode()
    assert ContactEvent.objects.filter(kind="erased").count() == 1


def test_erasing_a_subscriber_leaves_no_address_and_allows_a_new_sign_up(officer_client):
    reader = make_subscriber("reader@example.org", status="confirmed")

    officer_client.post(f"{SUBSCRIBERS}{reader.pk}/erase/")

    reader.refresh_from_db()
    assert reader.email == f"erased-subscriber-{reader.pk}@erased.invalid"
    assert not Subscriber.objects.filter(email__icontains="reader").exists()
    # Only a media contact's address is kept out of imports; a reader may subscribe again.
    assert ErasedAddress.objects.count() == 0


def test_deleting_a_contact_erases_it_first(officer_client, lois):
    clark = make_media_contact("Clark", "Kent")
    ContactEvent.objects.create(contact=clark, kind="updated", detail=f"Desk mate of {EMAIL}")

    officer_client.post(f"{CONTACTS}{lois.pk}/delete/", {"post": "yes"})

    assert not MediaContact.objects.filter(pk=lois.pk).exists()
    assert Delivery.objects.get().email.startswith("erased-delivery-")
    assert clark.events.get().detail == f"Desk mate of erased-{lois.pk}@erased.invalid"
    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == [
        f"Erased media contact #{lois.pk}"
    ]
    # A deletion is not the person's request: a later import may bring them back.
    assert ErasedAddress.objects.count() == 0


def test_the_delete_pages_say_that_deleting_erases(officer_client, lois):
    one = officer_client.get(f"{CONTACTS}{lois.pk}/delete/").content.decode()
    many = officer_client.post(
        CONTACTS, {"action": "delete_selected", "_selected_action": [lois.pk]}
    ).content.decode()

    for page in (one, many):
        assert "Deleting also erases the personal data of what is deleted" in page
    assert MediaContact.objects.filter(pk=lois.pk).exists()


def test_an_erased_contact_is_not_offered_for_erasure_again(officer_client, lois):
    officer_client.post(f"{CONTACTS}{lois.pk}/erase/")

    page = officer_client.get(f"{CONTACTS}{lois.pk}/change/").content.decode()

    assert "Export personal data (JSON)" in page
    assert "Erase personal data" not in page


def test_the_bulk_delete_action_erases_every_contact_it_deletes(officer_client, lois):
    clark = make_media_contact("Clark", "Kent", email="clark@planet.example")
    make_delivery(Delivery.objects.get().mailing, clark, status="sent")
    make_media_list("Climate desks", contacts=[lois, clark])

    officer_client.post(
        CONTACTS,
        {"action": "delete_selected", "_selected_action": [lois.pk, clark.pk], "post": "yes"},
    )

    assert MediaContact.objects.count() == 0
    assert sorted(Delivery.objects.values_list("email", flat=True)) == sorted(
        f"erased-delivery-{pk}@erased.invalid"
        for pk in Delivery.objects.values_list("pk", flat=True)
    )
    assert not LogEntry.objects.filter(object_repr__icontains="lane").exists()


def test_a_suppressed_address_stays_suppressed_after_its_erasure(officer_client, lois):
    Suppression.objects.suppress(EMAIL, Suppression.Reason.COMPLAINT, "Mailing 3")

    officer_client.post(f"{CONTACTS}{lois.pk}/erase/")

    assert not Suppression.objects.exists()
    # Added again by hand, she is still left out of a send, with the reason.
    again = make_media_contact("Lois", "Lane", email=EMAIL.upper())
    mailing = make_mailing(make_release("Storm plan"))
    mailing.contacts.set([again])
    mailing.build_deliveries()
    assert list(mailing.deliveries.values_list("email", "status", "error")) == [
        (EMAIL, "skipped", "Suppressed: reported an email as spam (erased on request)")
    ]


@pytest.mark.parametrize(
    "url",
    [
        f"{CONTACTS}{{pk}}/personal-data/json/",
        f"{CONTACTS}{{pk}}/erase/",
        f"{CONTACTS}{{pk}}/delete/",
    ],
)
def test_an_editor_can_neither_export_nor_erase_a_contact(client, lois, url):
    client.force_login(make_user("editor", "Editor"))

    get = client.get(url.format(pk=lois.pk))
    post = client.post(url.format(pk=lois.pk), {"post": "yes"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert EMAIL not in get.content.decode()
    lois.refresh_from_db()
    assert lois.email == EMAIL
