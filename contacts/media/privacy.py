"""A media contact's data protection rights: a copy of their data, and its erasure.

Erasure removes what identifies the person and keeps the rows, so that the counts stay right:
how many contacts we had, how many emails each mailing sent, who was on a list and when.
"""

import datetime
import re

import reversion
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django_countries.fields import Country
from reversion.models import Version

from contacts.models import ContactEvent, Delivery, ErasedAddress, MediaContact
from contacts.models.media import ERASED_REASON

PERSONAL_FIELDS = [
    "first_name", "last_name", "email", "phone", "job_title", "regions", "languages",
    "country", "time_zone", "language", "notes", "source", "consent_basis", "consent_date",
    "do_not_contact", "do_not_contact_reason", "do_not_contact_since",
    "erased_at", "created_at", "updated_at",
]  # fmt: skip

# Anything shaped like an address, as it appears in history lines and SMTP errors.
EMAIL_ADDRESS = re.compile(r"[^\s<>()\[\]{},;:\"']+@[^\s<>()\[\]{},;:\"']+")
ERASED_NAME = "Erased"


def export_personal_data(contact):
    """Everything we hold about `contact`, in plain JSON types, for a subject access request.
    Reads the outlet, beats, tags, lists, history, deliveries and staff's notes: seven
    queries."""
    return {
        "id": contact.pk,
        **{field: _plain(getattr(contact, field)) for field in PERSONAL_FIELDS},
        "outlet": _outlet(contact.outlet),
        "beats": sorted(contact.beats.values_list("name", flat=True)),
        "tags": sorted(contact.tags.names()),
        "lists": [
            {
                "list": membership.media_list.name,
                "joined_at": _plain(membership.joined_at),
                "left_at": _plain(membership.left_at),
            }
            for membership in contact.memberships.select_related("media_list").order_by(
                "joined_at", "pk"
            )
        ],
        "history": [
            {
                "kind": event.kind,
                "description": event.get_kind_display(),
                "detail": event.detail,
                "at": _plain(event.created_at),
            }
            for event in contact.events.order_by("created_at", "pk")
        ],
        "deliveries": [
            {
                "release": delivery.mailing.release.title,
                "subject": delivery.mailing.subject or delivery.mailing.release.title,
                "email": delivery.email,
                "status": delivery.status,
                "sent_at": _plain(delivery.sent_at),
            }
            for delivery in contact.deliveries.select_related("mailing__release").order_by("pk")
        ],
        "staff_notes": [
            {"kind": note.kind, "date": _plain(note.on), "note": note.text}
            for note in contact.contact_notes.order_by("on", "pk")
        ],
        "exported_at": _plain(timezone.now()),
    }


def personal_data_response(contact):
    """The export as a JSON file download named contact-<id>.json."""
    response = JsonResponse(export_personal_data(contact), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    return response


def erased_email(contact):
    """The placeholder address of an erased contact: unique, and undeliverable by RFC 2606."""
    return f"erased-{contact.pk}@erased.invalid"


def erase_contact(contact, user=None):
    """Remove `contact`'s personal data on request and return the contact, refreshed.

    The row stays, anonymous and do-not-contact, so nothing can be sent to it again and counts
    stay right. Lists: current memberships end today, the rows stay. Deliveries keep their
    status and dates; their address and any address in their error becomes the placeholder.
    History: the detail of any of the contact's events that mentions their name or an address
    is cleared, and the address is replaced in any other contact's event that quotes it.
    The admin log and any django-reversion versions of the contact are scrubbed too.
    Staff's notes on the contact are deleted.
    Raises ValueError if the contact was already erased."""
    with transaction.atomic():
        contact = MediaContact.objects.select_for_update().get(pk=contact.pk)
        if contact.erased_at:
            raise ValueError(f"Contact #{contact.pk} was already erased.")
        now, placeholder = timezone.now(), erased_email(contact)
        old_email, names = contact.email, [str(contact), contact.first_name, contact.last_name]

        contact.first_name, contact.last_name = "", ERASED_NAME
        contact.email = placeholder
        for field in ["phone", "job_title", "regions", "languages", "notes", "source"]:
            setattr(contact, field, "")
        contact.country, contact.time_zone, contact.language = "", "", ""
        contact.consent_basis, contact.consent_date = "", None
        contact.do_not_contact, contact.do_not_contact_reason = True, ERASED_REASON
        contact.do_not_contact_since = contact.do_not_contact_since or now
        contact.erased_at = now
        contact.save()
        contact.beats.clear()
        contact.tags.clear()
        contact.memberships.filter(left_at__isnull=True).update(left_at=now)
        # Staff's notes of calls and pitches are about the person, whoever wrote them.
        contact.contact_notes.all().delete()

        # Remembered as a hash only, so a later import cannot bring the person back.
        ErasedAddress.objects.remember(old_email)
        _scrub_deliveries(contact, old_email, placeholder)
        _scrub_history(contact, old_email, names, placeholder)
        _scrub_admin_records(contact)
        ContactEvent.objects.create(
            contact=contact,
            kind=ContactEvent.Kind.ERASED,
            detail="Personal data erased on request.",
            user=user,
        )
    return contact


def _scrub_deliveries(contact, old_email, placeholder):
    """The contact's deliveries, and any left behind without a contact or subscriber under
    the old address, get the placeholder. A subscriber's own deliveries are theirs: a
    subscription is a separate consent, ended on its own."""
    deliveries = Delivery.objects.filter(contact=contact) | Delivery.objects.filter(
        contact__isnull=True, subscriber__isnull=True, email__iexact=old_email
    )
    deliveries = list(deliveries.order_by("pk").only("pk", "mailing_id", "email", "error"))
    seen = set()
    for delivery in deliveries:
        # A merged contact may have had two addresses in one mailing; an email is unique per
        # mailing, so the second one gets a placeholder of its own.
        if delivery.mailing_id in seen:
            delivery.email = placeholder.replace("@", f".{delivery.pk}@")
        else:
            delivery.email = placeholder
        seen.add(delivery.mailing_id)
        delivery.error = EMAIL_ADDRESS.sub(placeholder, delivery.error)
    Delivery.objects.bulk_update(deliveries, ["email", "error"], batch_size=500)


def _scrub_history(contact, old_email, names, placeholder):
    names = [name for name in names if name.strip()]
    mentions_name = re.compile(
        "|".join(rf"\b{re.escape(name.strip())}\b" for name in names), re.IGNORECASE
    )
    quoted = ContactEvent.objects.filter(detail__icontains=old_email).exclude(contact=contact)
    for event in quoted:
        event.detail = re.sub(re.escape(old_email), placeholder, event.detail, flags=re.I)
        event.save(update_fields=["detail"])
    for event in contact.events.exclude(detail=""):
        if EMAIL_ADDRESS.search(event.detail) or (names and mentions_name.search(event.detail)):
            event.detail = ""
            event.save(update_fields=["detail"])


def _scrub_admin_records(contact):
    # The admin log names the object it changed (str(contact) is the name) and may list the
    # inline rows changed with it; versions hold a serialized copy of every field.
    content_type = ContentType.objects.get_for_model(MediaContact)
    LogEntry.objects.filter(content_type=content_type, object_id=str(contact.pk)).update(
        object_repr=f"{ERASED_NAME} contact #{contact.pk}", change_message=""
    )
    if reversion.is_registered(MediaContact):
        Version.objects.get_for_object(contact).delete()


def _outlet(outlet):
    if outlet is None:
        return None
    return {
        "name": outlet.name,
        "kind": outlet.kind,
        "country": outlet.country.code,
        "language": outlet.language,
        "website": outlet.website,
    }


def _plain(value):
    if isinstance(value, datetime.date):  # datetimes are dates too
        return value.isoformat()
    if isinstance(value, Country):
        return value.code
    return value
