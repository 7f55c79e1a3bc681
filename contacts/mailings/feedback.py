"""What recipients and their mail providers tell us after a send: a journalist opting out
through the link in an email, and the provider's reports (django-anymail's `tracking` signal,
connected in contacts/apps.py): delivered, bounced, deferred, marked as spam, unsubscribed.

Each becomes a DeliveryEvent of the email it concerns, once however often the provider posts
it (its event id is unique). What must never be mailed again goes on the suppression list with
the reason, and the media contact at that address is marked do-not-contact:

- an opt-out, a hard bounce (the address does not exist), a complaint (marked as spam): at once;
- a soft bounce (mailbox full, server busy, a provider's temporary block): counted; once
  SOFT_BOUNCE_LIMIT emails to the address (a setting, 3 by default) have soft-bounced since
  the last one the provider delivered, the address is suppressed too. Several reports of the
  same email (providers retry a deferred one) count as one.

Opens and clicks reported by the provider are left to the engagement figures."""

import hashlib
import re

from anymail.signals import EventType, RejectReason
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from contacts.models import Delivery, DeliveryEvent, MediaContact, Suppression

Kind = DeliveryEvent.Kind
OPTED_OUT = "Opted out through the link in an email"
# Our own Message-ID (contacts/mailings/emails.py), for emails sent before it was recorded.
OWN_MESSAGE_ID = re.compile(r"<?delivery-(\d+)\.mailing-(\d+)@")
# A bounce for one of these reasons may pass (a provider's block, repeated time-outs); any
# other bounce is the address's fault, for good.
SOFT_REASONS = {RejectReason.BLOCKED, RejectReason.TIMED_OUT}
# Postmark reports a soft bounce as a bounce; its own type tells.
SOFT_TYPES = {"SoftBounce", "Transient", "DnsError"}


def opt_out(delivery):
    """The recipient of `delivery` wants no more email from the office (the link in the email,
    or their mail client's one-click unsubscribe). Safe to repeat: one event per email."""
    with transaction.atomic():
        Suppression.objects.suppress(
            delivery.email,
            Suppression.Reason.OPTED_OUT,
            source=f"Opt-out link in mailing {delivery.mailing_id}",
        )
        if not delivery.events.filter(kind=Kind.UNSUBSCRIBED).exists():
            DeliveryEvent.objects.create(
                delivery=delivery, kind=Kind.UNSUBSCRIBED, source=DeliveryEvent.Source.NEWSROOM
            )
        MediaContact.objects.mark_do_not_contact(delivery.email, OPTED_OUT)


def on_tracking(sender, event, esp_name, **kwargs):
    """Receiver of anymail's `tracking` signal: one provider event."""
    kind = kind_of(event)
    if kind is None:
        return
    delivery = delivery_of(event)
    email = (event.recipient or (delivery.email if delivery else "")).strip().lower()
    if delivery is not None and not record(delivery, kind, event, esp_name):
        return  # posted before
    if not email:
        return
    source = f"{esp_name} report" + (f" on mailing {delivery.mailing_id}" if delivery else "")
    detail = (event.description or event.mta_response or "")[:150]
    if kind == Kind.BOUNCED:
        suppress(email, Suppression.Reason.HARD_BOUNCE, source, f"Bounced: {detail}".strip(": "))
    elif kind == Kind.COMPLAINED:
        suppress(email, Suppression.Reason.COMPLAINT, source, "Reported an email as spam")
    elif kind == Kind.UNSUBSCRIBED:
        suppress(email, Suppression.Reason.OPTED_OUT, source, f"Opted out at {esp_name}")
    elif kind == Kind.SOFT_BOUNCE and soft_bounces(email) >= settings.SOFT_BOUNCE_LIMIT:
        suppress(
            email,
            Suppression.Reason.SOFT_BOUNCES,
            source,
            f"{settings.SOFT_BOUNCE_LIMIT} emails in a row bounced: {detail}".strip(": "),
        )


def kind_of(event):
    """The DeliveryEvent kind of an anymail event, or None for those not handled here."""
    if event.event_type == EventType.DELIVERED:
        return Kind.DELIVERED
    if event.event_type == EventType.DEFERRED:
        return Kind.SOFT_BOUNCE
    if event.event_type == EventType.COMPLAINED:
        return Kind.COMPLAINED
    if event.event_type == EventType.UNSUBSCRIBED:
        return Kind.UNSUBSCRIBED
    if event.event_type == EventType.BOUNCED:
        esp_type = event.esp_event.get("Type") if isinstance(event.esp_event, dict) else None
        if esp_type in SOFT_TYPES or event.reject_reason in SOFT_REASONS:
            return Kind.SOFT_BOUNCE
        return Kind.BOUNCED
    if event.event_type == EventType.REJECTED:  # the provider would not even try
        return {
            RejectReason.BOUNCED: Kind.BOUNCED,
            RejectReason.INVALID: Kind.BOUNCED,
            RejectReason.SPAM: Kind.COMPLAINED,
            RejectReason.UNSUBSCRIBED: Kind.UNSUBSCRIBED,
        }.get(event.reject_reason)
    return None


def delivery_of(event):
    """The email the event is about: by the message id recorded when it was sent (with or
    without its angle brackets), else by our own Message-ID's form; None if not ours."""
    message_id = (event.message_id or "").strip()
    if not message_id:
        return None
    bare = message_id.strip("<>")
    rows = Delivery.objects.filter(message_id__in=[message_id, bare, f"<{bare}>"])
    if event.recipient:
        rows = rows.filter(email=event.recipient.strip().lower())
    delivery = rows.order_by("pk").first()
    match = OWN_MESSAGE_ID.match(message_id)
    if delivery is None and match:
        delivery = Delivery.objects.filter(pk=match[1], mailing_id=match[2]).first()
    return delivery


def record(delivery, kind, event, esp_name):
    """The event as a row; False if the provider posted it before."""
    if event.event_id:
        event_id = f"{esp_name}:{event.event_id}"
    else:  # some providers give no id for some events: the same report makes the same one
        seen = repr((event.event_type, event.message_id, event.recipient, event.timestamp))
        event_id = f"{esp_name}:sha256:{hashlib.sha256(seen.encode()).hexdigest()}"
    try:
        with transaction.atomic():
            DeliveryEvent.objects.create(
                delivery=delivery,
                kind=kind,
                source=DeliveryEvent.Source.PROVIDER,
                at=event.timestamp or timezone.now(),
                provider_event_id=event_id[:200],
                detail=(event.description or event.mta_response or "")[:500],
            )
    except IntegrityError:
        return False
    return True


def soft_bounces(email):
    """How many emails to `email` soft-bounced since the last one delivered."""
    events = DeliveryEvent.objects.filter(delivery__email=email)
    delivered = events.filter(kind=Kind.DELIVERED).aggregate(last=Max("at"))["last"]
    bounces = events.filter(kind=Kind.SOFT_BOUNCE)
    if delivered is not None:
        bounces = bounces.filter(at__gt=delivered)
    return bounces.values("delivery").distinct().count()


def suppress(email, reason, source, contact_reason):
    Suppression.objects.suppress(email, reason, source=source)
    MediaContact.objects.mark_do_not_contact(email, contact_reason)
