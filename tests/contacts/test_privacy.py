import csv
import datetime
import io
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from contacts.media.merging import merge_contacts
from contacts.models import (
    ContactEvent,
    Delivery,
    DeliveryEvent,
    EmbargoOpen,
    MediaContact,
    MediaList,
    Membership,
)
from contacts.privacy.erasure import erase_contact
from contacts.privacy.export import export_personal_data, personal_data_response
from contacts.privacy.places import DELETE, PLACES, Place
from tests.factories import (
    make_delivery,
    make_mailing,
    make_media_contact,
    make_media_list,
    make_outlet,
    make_release,
    make_subscriber,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.django_db

EMAIL = "lois.lane@planet.example"


def day(month, number=1):
    return datetime.datetime(2024, month, number, 9, 0, tzinfo=datetime.UTC)


def lois():
    """Lois Lane with something in every personal field, on two lists, sent two releases."""
    contact = make_media_contact(
        "Lois",
        "Lane",
        make_outlet("The Daily Planet", country="US", website="https://planet.example"),
        email=EMAIL,
        phone="+1 555 0100",
        job_title="Investigative reporter",
        regions="Metropolis",
        languages="English",
        notes="Lois prefers calls before noon.",
        source="Card from COP29",
        consent_basis="legitimate interest",
        consent_date=datetime.date(2024, 1, 2),
    )
    contact.beats.add(make_topic("Climate"))
    desks = make_media_list("Climate desks")
    Membership.objects.create(media_list=desks, contact=contact, joined_at=day(1))
    old = make_media_list("Old list")
    Membership.objects.create(media_list=old, contact=contact, joined_at=day(2), left_at=day(3))
    ContactEvent.objects.create(
        contact=contact, kind="imported", detail=f"Imported Lois Lane <{EMAIL}>", created_at=day(1)
    )
    ContactEvent.objects.create(
        contact=contact, kind="joined_list", detail="Climate desks", created_at=day(1, 2)
    )
    for title, status in [("Heat plan", "sent"), ("Flood plan", "failed")]:
        make_delivery(
            make_mailing(make_release(title), subject=f"News: {title}"),
            contact,
            status=status,
            sent_at=day(4) if status == "sent" else None,
            error="" if status == "sent" else f"550 <{EMAIL}>: mailbox unavailable",
        )
    return contact


def every_value(*models):
    """Every text value stored in every row of `models`, for a search for personal data."""
    return [
        str(value) for model in models for row in model.objects.values() for value in row.values()
    ]


def test_the_export_holds_the_personal_fields_outlet_beats_lists_history_and_deliveries():
    contact = lois()
    delivery = Delivery.objects.get(mailing__release__title="Heat plan")
    DeliveryEvent.objects.create(
        delivery=delivery,
        kind="clicked",
        source="redirect",
        at=day(4, 2),
        url="https://x.example/a",
    )
    EmbargoOpen.objects.create(delivery=delivery, opened_at=day(4, 3))

    data = json.loads(json.dumps(export_personal_data(contact)))

    person = data["contact"]
    assert {key: person[key] for key in ["first_name", "last_name", "email", "phone"]} == {
        "first_name": "Lois",
        "last_name": "Lane",
        "email": EMAIL,
        "phone": "+1 555 0100",
    }
    assert (person["job_title"], person["regions"], person["languages"]) == (
        "Investigative reporter",
        "Metropolis",
        "English",
    )
    assert (person["notes"], person["source"]) == (
        "Lois prefers calls before noon.",
        "Card from COP29",
    )
    assert (person["consent_basis"], person["consent_date"]) == (
        "legitimate interest",
        "2024-01-02",
    )
    assert person["outlet"] == {
        "name": "The Daily Planet",
        "kind": "online",
        "country": "US",
        "language": "",
        "website": "https://planet.example",
    }
    assert person["beats"] == ["Climate"]
    assert person["lists"] == [
        {"list": "Climate desks", "joined_at": "2024-01-01T09:00:00+00:00", "left_at": None},
        {
            "list": "Old list",
            "joined_at": "2024-02-01T09:00:00+00:00",
            "left_at": "2024-03-01T09:00:00+00:00",
        },
    ]
    assert [(event["kind"], event["detail"]) for event in person["history"]] == [
        ("imported", f"Imported Lois Lane <{EMAIL}>"),
        ("joined_list", "Climate desks"),
    ]
    assert "subscription" not in data
    assert data["deliveries"] == [
        {
            "release": "Heat plan",
            "subject": "News: Heat plan",
            "email": EMAIL,
            "status": "sent",
            "sent_at": "2024-04-01T09:00:00+00:00",
            "error": "",
            "events": [
                {
                    "kind": "clicked",
                    "source": "redirect",
                    "at": "2024-04-02T09:00:00+00:00",
                    "url": "https://x.example/a",
                    "detail": "",
                }
            ],
            "embargo_opens": ["2024-04-03T09:00:00+00:00"],
        },
        {
            "release": "Flood plan",
            "subject": "News: Flood plan",
            "email": EMAIL,
            "status": "failed",
            "sent_at": None,
            "error": f"550 <{EMAIL}>: mailbox unavailable",
            "events": [],
            "embargo_opens": [],
        },
    ]


def test_the_export_of_a_contact_holds_the_subscription_of_the_same_address():
    contact = lois()
    make_subscriber(EMAIL.upper(), status="confirmed", source="/subscribe/").topics.add(
        make_topic("Heat")
    )

    data = export_personal_data(contact)

    assert (data["subscription"]["email"], data["subscription"]["status"]) == (
        EMAIL.upper(),
        "confirmed",
    )
    assert data["subscription"]["topics"] == ["Heat"]
    assert data["contact"]["email"] == EMAIL


def test_the_export_downloads_as_a_json_file_named_for_the_contact():
    contact = lois()

    response = personal_data_response(contact)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="contact-{contact.pk}.json"'
    assert json.loads(response.content)["contact"]["email"] == EMAIL


def test_the_csv_export_has_one_line_per_value_with_formulas_neutralised():
    contact = lois()

    response = personal_data_response(contact, "csv")

    assert response["Content-Disposition"] == f'attachment; filename="contact-{contact.pk}.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["section", "item", "field", "value"]
    assert ["contact", "", "email", EMAIL] in lines
    assert ["contact", "", "phone", "'+1 555 0100"] in lines
    assert ["contact", "", "outlet.name", "The Daily Planet"] in lines
    assert ["contact", "2", "lists.list", "Old list"] in lines
    assert ["deliveries", "1", "release", "Heat plan"] in lines
    assert ["deliveries", "2", "error", f"550 <{EMAIL}>: mailbox unavailable"] in lines


def test_erasing_removes_the_name_email_and_phone_from_every_row():
    contact = lois()
    # A merged duplicate leaves a second address in the history and in one mailing.
    duplicate = make_media_contact("Lois", "Lane", contact.outlet, email="l.lane@planet.example")
    make_delivery(Delivery.objects.first().mailing, duplicate)
    merge_contacts(contact, [duplicate])
    # Someone else's history quotes her address.
    ContactEvent.objects.create(
        contact=make_media_contact("Clark", "Kent"), kind="updated", detail=f"Shares {EMAIL}"
    )
    LogEntry.objects.log_actions(
        user_id=make_user("press", "Press officer").pk,
        queryset=[contact],
        action_flag=CHANGE,
        change_message=f"Changed email to {EMAIL}",
    )
    erased_by = make_user("officer", "Press officer")

    erase_contact(contact, user=erased_by)

    stored = every_value(MediaContact, Delivery, ContactEvent, Membership, LogEntry)
    for secret in [EMAIL, "l.lane@planet.example", "Lois", "+1 555 0100", "Metropolis", "noon"]:
        assert not [value for value in stored if secret in value], secret
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name) == ("", "Erased")
    assert contact.email == f"erased-{contact.pk}@erased.invalid"
    assert (contact.job_title, contact.notes, contact.consent_date) == ("", "", None)
    assert list(contact.beats.all()) == []
    assert contact.events.values_list("kind", "detail", "user").first() == (
        "erased",
        "Personal data erased on request.",
        erased_by.pk,
    )
    # Her history keeps its words, without her name or address; others' lose her address.
    assert contact.events.filter(kind="joined_list").get().detail == "Climate desks"
    assert contact.events.get(kind="imported").detail == (
        f"Imported [erased] <erased-{contact.pk}@erased.invalid>"
    )
    assert ContactEvent.objects.get(kind="updated").detail == (
        f"Shares erased-{contact.pk}@erased.invalid"
    )
    # Each of her emails has an address of its own, unique in its mailing.
    assert sorted(Delivery.objects.values_list("email", flat=True)) == sorted(
        f"erased-delivery-{pk}@erased.invalid"
        for pk in Delivery.objects.values_list("pk", flat=True)
    )


def test_erasing_keeps_the_counts_of_contacts_deliveries_and_memberships():
    contact = lois()
    make_media_contact("Clark", "Kent")

    def counts():
        return (
            MediaContact.objects.count(),
            dict(
                Delivery.objects.values("mailing")
                .annotate(n=Count("pk"))
                .values_list("mailing", "n")
            ),
            Membership.objects.count(),
            ContactEvent.objects.exclude(kind="erased").count(),
        )

    before = counts()
    erase_contact(contact)

    assert counts() == before
    # She is no longer on a list today, but she was.
    assert list(
        MediaList.objects.with_counts().order_by("name").values_list("name", "member_count")
    ) == [
        ("Climate desks", 0),
        ("Old list", 0),
    ]
    assert contact.memberships.filter(left_at__isnull=True).count() == 0


def test_an_erased_contact_is_never_reachable_again():
    contact = lois()
    reachable_clark = make_media_contact("Clark", "Kent")

    erase_contact(contact)

    assert list(MediaContact.objects.reachable()) == [reachable_clark]
    contact.refresh_from_db()
    assert contact.do_not_contact
    assert contact.do_not_contact_reason == "erased on request"
    assert contact.erased_at is not None


def test_a_contact_cannot_be_erased_twice():
    contact = lois()
    erase_contact(contact)

    with pytest.raises(ValueError, match="already erased"):
        erase_contact(contact)
    assert ContactEvent.objects.filter(kind="erased").count() == 1


def test_the_admin_log_no_longer_names_an_erased_contact():
    contact = lois()
    LogEntry.objects.log_actions(
        user_id=make_user("press", "Press officer").pk, queryset=[contact], action_flag=CHANGE
    )

    erase_contact(contact)

    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(MediaContact), object_id=str(contact.pk)
    )
    assert (entry.object_repr, entry.change_message) == (
        f"Erased media contact #{contact.pk}",
        "",
    )


def test_country_time_zone_language_and_tags_are_exported_and_erased():
    contact = make_media_contact(
        "Min", "Kim", email="min@example.org", country="KR", time_zone="Asia/Seoul", language="ko"
    )
    contact.tags.add("asia-desk", "tv-bookers")

    data = export_personal_data(contact)
    json.dumps(data)  # plain JSON types only
    erase_contact(contact)

    data = data["contact"]
    assert (data["country"], data["time_zone"], data["language"]) == ("KR", "Asia/Seoul", "ko")
    assert data["tags"] == ["asia-desk", "tv-bookers"]
    contact.refresh_from_db()
    assert (contact.country.code, contact.time_zone, contact.language) == ("", "", "")
    assert list(contact.tags.names()) == []


def test_a_new_place_of_personal_data_is_one_line_for_the_erasure_and_the_export(monkeypatch):
    """Call notes (ContactNote, on another branch) will be one line of PLACES; history lines
    stand in for them here: exported under their section, deleted with the person, and a
    colleague's note that quotes the address scrubbed."""
    contact = lois()
    clark = make_media_contact("Clark", "Kent")
    ContactEvent.objects.create(contact=clark, kind="updated", detail=f"Called {EMAIL}")
    notes = Place(
        "contacts.ContactEvent", ("detail",), contact="contact", own=DELETE, export="notes"
    )
    places = [place for place in PLACES if place.model != "contacts.ContactEvent"]
    monkeypatch.setattr("contacts.privacy.places.PLACES", [*places, notes])

    exported = export_personal_data(contact)
    erase_contact(contact)

    assert [note["detail"] for note in exported["notes"]] == [
        f"Imported Lois Lane <{EMAIL}>",
        "Climate desks",
    ]
    assert exported["notes"][0]["contact"] == "Lois Lane"
    assert list(contact.events.values_list("kind", flat=True)) == ["erased"]
    assert clark.events.get().detail == f"Called erased-{contact.pk}@erased.invalid"


def test_an_email_left_behind_by_a_deleted_contact_of_the_same_address_is_erased_too():
    contact = lois()
    mailing = make_mailing(make_release("Storm plan"))
    orphan = Delivery.objects.create(mailing=mailing, email=EMAIL, status="sent")
    DeliveryEvent.objects.create(
        delivery=orphan, kind="clicked", source="redirect", url=f"https://a.example/?to={EMAIL}"
    )

    erase_contact(contact)

    orphan.refresh_from_db()
    assert orphan.email == f"erased-{contact.pk}@erased.invalid"
    assert orphan.events.get().url == f"https://a.example/?to=erased-{contact.pk}@erased.invalid"
