"""Per journalist, on their admin page: the releases sent to them and what they did with each,
and the notes staff keep of calls, replies and pitches, signed by whoever wrote them."""

import re

import pytest
from django.utils import timezone

from contacts.models import ContactNote, DeliveryEvent, EmbargoOpen, Mailing
from contacts.privacy.erasure import erase_contact
from contacts.privacy.export import export_personal_data
from tests.factories import (
    form_data,
    make_delivery,
    make_mailing,
    make_media_contact,
    make_release,
    make_user,
)
from tests.pages import count_queries, get_page, logged_in

pytestmark = pytest.mark.django_db
E = DeliveryEvent.Kind


def send(contact, title, status="sent", events=(), embargo_opens=0, when=None):
    mailing = make_mailing(
        make_release(title), status=Mailing.Status.DONE, created_at=when or timezone.now()
    )
    delivery = make_delivery(mailing, contact, status=status, sent_at=timezone.now())
    for kind in events:
        DeliveryEvent.objects.create(delivery=delivery, kind=kind, source="provider")
    EmbargoOpen.objects.bulk_create([EmbargoOpen(delivery=delivery)] * embargo_opens)
    return delivery


def rows(page):
    """The table of releases sent, as lists of cell texts."""
    table = re.search(r'<table class="releases-sent">.*?</table>', page, re.S).group(0)
    body = table.split("<tbody>")[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def change_url(contact):
    return f"/admin/contacts/mediacontact/{contact.pk}/change/"


def test_the_releases_sent_to_a_journalist_and_what_they_did_with_each(officer_client):
    lois = make_media_contact("Lois", "Lane")
    day = timezone.now()
    send(lois, "Heat plan", events=[E.DELIVERED, E.CLICKED, E.CLICKED], when=day)
    send(lois, "Flood plan", events=[E.DELIVERED], embargo_opens=2, when=day.replace(year=2020))
    send(lois, "Storm plan", events=[E.DELIVERED, E.UNSUBSCRIBED], when=day.replace(year=2019))
    send(lois, "Cold plan", events=[E.BOUNCED], when=day.replace(year=2018))
    skipped = send(lois, "Dry plan", status="skipped", when=day.replace(year=2017))
    skipped.error = "On the suppression list: opted out"
    skipped.save()
    send(make_media_contact("Clark", "Kent"), "Not hers", events=[E.CLICKED])

    page = get_page(officer_client, change_url(lois))

    assert [[row[0], *row[2:]] for row in rows(page)] == [
        ["Heat plan", "Sent", "Yes", "Yes", "2 clicks", "—"],
        ["Flood plan", "Sent", "Yes", "Yes", "—", "—"],  # opened through the embargo link
        ["Storm plan", "Sent", "Yes", "—", "—", "Yes"],
        ["Cold plan", "Sent", "Bounced", "—", "—", "—"],
        ["Dry plan", "Skipped: On the suppression list: opted out", "—", "—", "—", "—"],
    ]


def test_the_journalist_page_takes_as_many_queries_for_one_send_as_for_three(officer_client):
    lois, clark = make_media_contact("Lois", "Lane"), make_media_contact("Clark", "Kent")
    send(lois, "Heat plan", events=[E.DELIVERED, E.OPENED])
    for title in ("Flood plan", "Storm plan", "Cold plan"):
        send(clark, title, events=[E.DELIVERED, E.OPENED, E.CLICKED], embargo_opens=1)
    assert count_queries(officer_client, change_url(lois)) == count_queries(
        officer_client, change_url(clark)
    )


def test_a_note_is_signed_by_whoever_writes_it(officer, officer_client):
    lois = make_media_contact("Lois", "Lane")
    colleague = make_user("sam", group_name="Press officer")
    ContactNote.objects.create(
        contact=lois, kind="pitch", text="Pitched the heat plan.", author=colleague
    )
    url = change_url(lois)
    data = form_data(get_page(officer_client, url), "mediacontact_form")
    data.update(
        {
            "contact_notes-0-text": "Pitched the heat plan; she wants numbers.",  # edited
            "contact_notes-1-on": "2030-05-02",
            "contact_notes-1-kind": "reply",
            "contact_notes-1-text": "She replied: interview on Friday.",
        }
    )

    response = officer_client.post(url, data)

    assert response.status_code == 302, response.context["inline_admin_formsets"]
    notes = ContactNote.objects.order_by("pk").values_list("kind", "text", "author__username")
    assert list(notes) == [
        ("pitch", "Pitched the heat plan; she wants numbers.", "sam"),  # still the colleague's
        ("reply", "She replied: interview on Friday.", "press"),
    ]
    page = get_page(officer_client, url)
    assert "She replied: interview on Friday.</textarea>" in page
    assert re.search(r'<td class="field-written_by">\s*<p>press</p>', page)


def test_an_author_posted_with_a_note_is_ignored(officer_client):
    lois = make_media_contact("Lois", "Lane")
    colleague = make_user("sam", group_name="Press officer")
    url = change_url(lois)
    data = form_data(get_page(officer_client, url), "mediacontact_form")
    data.update(
        {
            "contact_notes-0-on": "2030-05-02",
            "contact_notes-0-kind": "call",
            "contact_notes-0-text": "Called about the embargo.",
            "contact_notes-0-author": str(colleague.pk),
        }
    )
    assert officer_client.post(url, data).status_code == 302
    assert ContactNote.objects.get().author.username == "press"


def test_notes_and_sends_are_for_press_staff_only():
    lois = make_media_contact("Lois", "Lane")
    ContactNote.objects.create(contact=lois, text="Pitched the heat plan.")
    editor = logged_in(make_user("editor", group_name="Editor"))
    assert editor.get(change_url(lois)).status_code == 403


def test_notes_are_in_the_contacts_data_export_and_go_with_an_erasure():
    lois = make_media_contact("Lois", "Lane")
    ContactNote.objects.create(
        contact=lois, kind="call", on="2030-05-02", text="Lois asked for the full report."
    )
    make_media_contact("Clark", "Kent").contact_notes.create(text="Clark is on leave.")

    (note,) = export_personal_data(lois)["notes"]
    assert (note["kind"], note["on"], note["text"]) == (
        "call",
        "2030-05-02",
        "Lois asked for the full report.",
    )
    erase_contact(lois)
    assert list(ContactNote.objects.values_list("text", flat=True)) == ["Clark is on leave."]
