"""The mail provider's reports through django-anymail's tracking webhooks, posted as the
providers post them (Postmark: basic auth only; Mailgun: basic auth and its HMAC signature):
a hard bounce or a complaint suppresses the address and marks the contact; soft bounces are
counted and suppress after SOFT_BOUNCE_LIMIT emails; every report is a DeliveryEvent of the
email it names, once however often it is posted; a post without the secret is refused."""

import base64
import hashlib
import hmac
import json

import pytest
from django.test import Client

from contacts.models import DeliveryEvent, Mailing, MediaContact, Suppression
from tests.factories import make_delivery, make_mailing, make_media_contact, make_release

pytestmark = pytest.mark.django_db

SECRET = "provider:webhook-secret-1"
MAILGUN_KEY = "mailgun-signing-key"
POSTMARK = "/anymail/postmark/tracking/"
MAILGUN = "/anymail/mailgun/tracking/"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}


def auth(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def sent_to(contact, message_id, release=None):
    """A sent email to `contact`, recorded with `message_id` as the send recorded it."""
    mailing = make_mailing(release or make_release(), status=Mailing.Status.DONE)
    return make_delivery(mailing, contact, status="sent", message_id=message_id)


def postmark(record_type, email, message_id, event_id=None, **fields):
    """A Postmark webhook body (https://postmarkapp.com/developer/webhooks)."""
    body = {"RecordType": record_type, "MessageID": message_id, "ServerID": 23, **fields}
    body["Email" if record_type != "Delivery" else "Recipient"] = email
    if event_id is not None:
        body["ID"] = event_id
    return body


def post_postmark(body, headers=None):
    client = Client(enforce_csrf_checks=True)
    headers = auth() if headers is None else headers
    return client.post(POSTMARK, json.dumps(body), content_type="application/json", **headers)


def hard_bounce(email, message_id, event_id=4323372036854775807):
    return postmark(
        "Bounce",
        email,
        message_id,
        event_id,
        Type="HardBounce",
        TypeCode=1,
        Description="The server was unable to deliver your message (ex: unknown user).",
        Details="550 5.1.1 User unknown",
        BouncedAt="2026-12-01T16:33:54.9070259Z",
    )


def soft_bounce(email, message_id, event_id):
    return postmark(
        "Bounce",
        email,
        message_id,
        event_id,
        Type="SoftBounce",
        TypeCode=4096,
        Description="The server could not temporarily deliver your message (mailbox full).",
        BouncedAt="2026-12-01T16:33:54Z",
    )


def test_a_hard_bounce_suppresses_the_address_and_marks_the_contact():
    lois = make_media_contact("Lois", "Lane")
    delivery = sent_to(lois, "883953f4-6105-42a2-a16a-77a8eac79483")

    response = post_postmark(hard_bounce("lois.lane@example.com", delivery.message_id))

    assert response.status_code == 200
    [suppression] = Suppression.objects.all()
    assert (suppression.email, suppression.reason, suppression.source) == (
        "lois.lane@example.com",
        "hard_bounce",
        f"Postmark report on mailing {delivery.mailing_id}",
    )
    lois.refresh_from_db()
    assert (lois.do_not_contact, lois.do_not_contact_reason) == (
        True,
        "Bounced: The server was unable to deliver your message (ex: unknown user).",
    )
    [event] = DeliveryEvent.objects.all()
    assert (event.delivery, event.kind, event.source, event.provider_event_id) == (
        delivery,
        "bounced",
        "provider",
        "Postmark:4323372036854775807",
    )
    assert event.at.isoformat() == "2026-12-01T16:33:54.907025+00:00"


def test_the_same_report_posted_twice_is_one_event():
    delivery = sent_to(make_media_contact("Lois", "Lane"), "883953f4-6105-42a2")
    body = hard_bounce("lois.lane@example.com", delivery.message_id)

    assert post_postmark(body).status_code == 200
    assert post_postmark(body).status_code == 200

    assert DeliveryEvent.objects.count() == 1
    assert MediaContact.objects.get().events.filter(kind="do_not_contact").count() == 1


def test_a_complaint_suppresses_the_address():
    delivery = sent_to(make_media_contact("Lois", "Lane"), "a1b2c3")

    post_postmark(
        postmark(
            "SpamComplaint",
            "lois.lane@example.com",
            "a1b2c3",
            42,
            Type="SpamComplaint",
            TypeCode=512,
            BouncedAt="2026-12-01T16:33:54Z",
        )
    )

    assert list(Suppression.objects.values_list("email", "reason")) == [
        ("lois.lane@example.com", "complaint")
    ]
    assert list(delivery.events.values_list("kind", flat=True)) == ["complained"]
    assert MediaContact.objects.get().do_not_contact_reason == "Reported an email as spam"


def test_a_delivery_is_recorded_and_suppresses_nobody():
    delivery = sent_to(make_media_contact("Lois", "Lane"), "a1b2c3")

    post_postmark(
        postmark("Delivery", "lois.lane@example.com", "a1b2c3", DeliveredAt="2026-12-01T16:33:54Z")
    )

    assert list(delivery.events.values_list("kind", flat=True)) == ["delivered"]
    assert Suppression.objects.count() == 0
    assert MediaContact.objects.get().do_not_contact is False


def test_soft_bounces_suppress_after_the_threshold_of_emails():
    lois = make_media_contact("Lois", "Lane")
    release = make_release()
    for n in (1, 2, 3):
        sent_to(lois, f"message-{n}", release)

    post_postmark(soft_bounce(lois.email, "message-1", 1))
    post_postmark(soft_bounce(lois.email, "message-1", 2))  # the same email again
    post_postmark(soft_bounce(lois.email, "message-2", 3))
    assert Suppression.objects.count() == 0  # two emails so far
    assert MediaContact.objects.get().do_not_contact is False
    assert DeliveryEvent.objects.filter(kind="soft_bounce").count() == 3

    post_postmark(soft_bounce(lois.email, "message-3", 4))

    [suppression] = Suppression.objects.all()
    assert (suppression.email, suppression.reason) == ("lois.lane@example.com", "soft_bounces")
    assert MediaContact.objects.get().do_not_contact_reason == (
        "3 emails in a row bounced: The server could not temporarily deliver your message "
        "(mailbox full)."
    )


def test_a_delivered_email_starts_the_soft_bounce_count_again(settings):
    settings.SOFT_BOUNCE_LIMIT = 2
    lois = make_media_contact("Lois", "Lane")
    release = make_release()
    for n in (1, 2, 3):
        sent_to(lois, f"message-{n}", release)

    post_postmark(soft_bounce(lois.email, "message-1", 1))
    post_postmark(postmark("Delivery", lois.email, "message-2", DeliveredAt="2026-12-02T10:00:00Z"))
    post_postmark(soft_bounce(lois.email, "message-3", 3) | {"BouncedAt": "2026-12-03T10:00Z"})
    assert Suppression.objects.count() == 0


def test_a_wrong_or_missing_secret_is_refused_and_changes_nothing():
    delivery = sent_to(make_media_contact("Lois", "Lane"), "a1b2c3")
    body = hard_bounce("lois.lane@example.com", delivery.message_id)

    assert post_postmark(body, auth("provider:wrong")).status_code == 400
    assert post_postmark(body, {}).status_code == 400

    assert Suppression.objects.count() == DeliveryEvent.objects.count() == 0
    assert MediaContact.objects.get().do_not_contact is False


def test_without_a_configured_secret_the_webhooks_are_not_there(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}
    make_media_contact("Lois", "Lane")

    response = post_postmark(hard_bounce("lois.lane@example.com", "a1b2c3"), {})

    assert response.status_code == 404
    assert Suppression.objects.count() == 0


def mailgun(
    event_data, key=MAILGUN_KEY, token="a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
):
    """A Mailgun webhook body (https://documentation.mailgun.com/docs/mailgun/user-manual/
    events/webhooks/), signed with `key`: HMAC-SHA256 of timestamp and token."""
    timestamp = "1764606834"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature.hexdigest()},
        "event-data": event_data,
    }


def mailgun_failure(message_id, severity):
    return {
        "event": "failed",
        "severity": severity,
        "reason": "bounce" if severity == "permanent" else "generic",
        "recipient": "lois.lane@example.com",
        "timestamp": 1764606834.501324,
        "id": "G9Bn5sl1TC6nu79C8C0bwg",
        # Mailgun gives the Message-ID header we sent, without its angle brackets.
        "message": {"headers": {"message-id": message_id}},
        "delivery-status": {"code": 550, "message": "5.1.1 No such user", "description": ""},
    }


def test_a_signed_mailgun_permanent_failure_suppresses_the_address():
    lois = make_media_contact("Lois", "Lane")
    delivery = sent_to(lois, "<delivery-1.mailing-1@newsroom.example>")
    body = mailgun(mailgun_failure("delivery-1.mailing-1@newsroom.example", "permanent"))

    response = Client().post(MAILGUN, json.dumps(body), content_type="application/json", **auth())

    assert response.status_code == 200
    assert list(Suppression.objects.values_list("email", "reason")) == [
        ("lois.lane@example.com", "hard_bounce")
    ]
    assert list(delivery.events.values_list("kind", "provider_event_id")) == [
        ("bounced", "Mailgun:a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0")
    ]
    lois.refresh_from_db()
    assert (lois.do_not_contact, lois.do_not_contact_reason) == (
        True,
        "Bounced: 5.1.1 No such user",
    )


def test_a_mailgun_temporary_failure_is_a_soft_bounce():
    delivery = sent_to(make_media_contact("Lois", "Lane"), "<m1@newsroom.example>")
    body = mailgun(mailgun_failure("m1@newsroom.example", "temporary"))

    Client().post(MAILGUN, json.dumps(body), content_type="application/json", **auth())

    assert list(delivery.events.values_list("kind", flat=True)) == ["soft_bounce"]
    assert Suppression.objects.count() == 0


def test_a_mailgun_post_with_a_wrong_signature_is_refused_even_with_the_secret():
    make_media_contact("Lois", "Lane")
    body = mailgun(mailgun_failure("m1@newsroom.example", "permanent"), key="forged")

    response = Client().post(MAILGUN, json.dumps(body), content_type="application/json", **auth())

    assert response.status_code == 400
    assert Suppression.objects.count() == 0


def test_a_bounce_of_an_email_sent_before_message_ids_were_recorded_finds_it_by_its_form():
    delivery = sent_to(make_media_contact("Lois", "Lane"), "")
    message_id = f"delivery-{delivery.pk}.mailing-{delivery.mailing_id}@newsroom.example"
    body = mailgun(mailgun_failure(message_id, "permanent"))

    Client().post(MAILGUN, json.dumps(body), content_type="application/json", **auth())

    assert list(delivery.events.values_list("kind", flat=True)) == ["bounced"]


def test_the_delivery_log_shows_what_the_provider_reported(officer_client):
    delivery = sent_to(make_media_contact("Lois", "Lane"), "883953f4-6105")
    post_postmark(hard_bounce("lois.lane@example.com", delivery.message_id))

    html = officer_client.get(f"/admin/contacts/delivery/{delivery.pk}/change/").content.decode()

    assert "What happened after it was sent (bounces, complaints, opt-outs)" in html
    assert "The server was unable to deliver your message (ex: unknown user)." in html
    assert "883953f4-6105" in html
