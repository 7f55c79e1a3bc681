"""The suppression list: addresses no email may go to. Added by `Suppression.objects.suppress`
(or by hand in the admin), and honoured by every send, to media and topic alerts alike: left out
when a mailing's deliveries are made and again when each email is due, always as a skipped
delivery with the reason."""

import datetime

import pytest
from django.db import IntegrityError
from django.test import Client

from contacts.mailings.sending import deliver
from contacts.mailings.tasks import dispatch, send_mailing
from contacts.models import Delivery, Mailing, Subscriber, Suppression
from tests.factories import (
    make_mailing,
    make_media_contact,
    make_media_list,
    make_release,
    make_subscriber,
    make_user,
)

pytestmark = pytest.mark.django_db
OPTED_OUT = Suppression.Reason.OPTED_OUT


def send(mailing):
    """Queue the mailing and send it from this process, as a worker would."""
    mailing.status = Mailing.Status.QUEUED
    mailing.save()
    mailing.start()
    return deliver(mailing)


def test_suppress_keeps_one_lower_cased_address_with_its_first_reason():
    first, created = Suppression.objects.suppress(" Lois.Lane@Example.COM ", OPTED_OUT, "Old CRM")
    again, created_again = Suppression.objects.suppress(
        "lois.lane@example.com", Suppression.Reason.HARD_BOUNCE, "Mailing 7"
    )

    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert list(Suppression.objects.values_list("email", "reason", "source")) == [
        ("lois.lane@example.com", "opted_out", "Old CRM")
    ]
    assert Suppression.objects.covers("LOIS.LANE@example.com")
    assert not Suppression.objects.covers("clark.kent@example.com")


def test_the_database_refuses_an_address_stored_in_capitals():
    Suppression.objects.suppress("lois@example.com", OPTED_OUT)

    with pytest.raises(IntegrityError):
        Suppression.objects.filter(email="lois@example.com").update(email="Lois@example.com")


def test_a_send_to_media_skips_suppressed_addresses_with_the_reason(sink):
    lois, clark = make_media_contact("Lois", "Lane"), make_media_contact("Clark", "Kent")
    jimmy = make_media_contact("Jimmy", "Olsen")
    Suppression.objects.suppress("Clark.Kent@example.com", OPTED_OUT, "Import of old.csv")
    mailing = make_mailing()
    mailing.media_lists.set([make_media_list(contacts=[lois, clark])])
    mailing.contacts.set([jimmy])

    assert send(mailing).sent == 2

    assert sorted(sink.recipients()) == ["jimmy.olsen@example.com", "lois.lane@example.com"]
    assert sorted(mailing.deliveries.values_list("email", "status", "error")) == [
        ("clark.kent@example.com", "skipped", "Suppressed: opted out (Import of old.csv)"),
        ("jimmy.olsen@example.com", "sent", ""),
        ("lois.lane@example.com", "sent", ""),
    ]


def test_an_address_suppressed_after_the_rows_were_made_is_skipped_when_due(sink):
    lois, clark = make_media_contact("Lois", "Lane"), make_media_contact("Clark", "Kent")
    mailing = make_mailing(status=Mailing.Status.QUEUED)
    mailing.contacts.set([lois, clark])
    mailing.start()
    assert mailing.deliveries.filter(status="queued").count() == 2
    Suppression.objects.suppress(clark.email, Suppression.Reason.HARD_BOUNCE, "Mailing 3")

    deliver(mailing)

    assert sink.recipients() == ["lois.lane@example.com"]
    skipped = clark.deliveries.get()
    assert (skipped.status, skipped.error) == (
        "skipped",
        "Suppressed: bounced (address does not exist) (Mailing 3)",
    )
    assert Mailing.objects.get().status == "done"


def test_a_failed_email_retried_after_its_address_was_suppressed_is_skipped(sink):
    lois = make_media_contact("Lois", "Lane")
    mailing = make_mailing(status=Mailing.Status.QUEUED)
    mailing.contacts.set([lois])
    mailing.start()
    mailing.deliveries.update(status=Delivery.Status.FAILED, error="550 No such user")
    Suppression.objects.suppress(lois.email, Suppression.Reason.HARD_BOUNCE)

    assert mailing.retry_failed() == 1
    deliver(mailing)

    assert sink.received == []
    assert lois.deliveries.get().status == "skipped"


def test_a_topic_alert_skips_a_suppressed_subscriber(sink):
    make_subscriber("stays@example.org", status=Subscriber.Status.CONFIRMED)
    make_subscriber("Opted.Out@example.org", status=Subscriber.Status.CONFIRMED)
    Suppression.objects.suppress("opted.out@example.org", Suppression.Reason.COMPLAINT)
    make_release(published_at=datetime.datetime.now(datetime.UTC))
    dispatch()
    mailing = Mailing.objects.get(kind=Mailing.Kind.ALERT)

    send_mailing.call(mailing.pk)

    assert sink.recipients() == ["stays@example.org"]
    skipped = Delivery.objects.get(email="opted.out@example.org")
    assert (skipped.status, skipped.error) == (
        "skipped",
        "Suppressed: reported an email as spam",
    )


def test_a_subscriber_who_unsubscribes_is_not_put_on_the_suppression_list(sink):
    subscriber = make_subscriber("reader@example.org", status=Subscriber.Status.CONFIRMED)

    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.save()

    assert not Suppression.objects.exists()


def test_a_press_officer_adds_an_address_in_the_admin_once_whatever_its_case():
    officer = make_user("press", group_name="Press officer")
    client = Client()
    client.force_login(officer)
    url = "/admin/contacts/suppression/add/"

    added = client.post(url, {"email": " Perry.White@Example.com", "reason": "requested"})
    again = client.post(url, {"email": "PERRY.WHITE@example.com", "reason": "other"})

    assert added.status_code == 302
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason, suppression.created_by) == (
        "perry.white@example.com",
        "requested",
        officer,
    )
    assert again.status_code == 200
    assert "Suppression with this Email already exists." in again.content.decode()
    listed = client.get("/admin/contacts/suppression/?q=perry").content.decode()
    assert "perry.white@example.com" in listed


def test_staff_without_the_contacts_permissions_cannot_see_the_suppression_list():
    Suppression.objects.suppress("secret.source@example.org", OPTED_OUT)
    editor = Client()
    editor.force_login(make_user("editor", group_name="Editor"))

    response = editor.get("/admin/contacts/suppression/")

    assert response.status_code == 403
