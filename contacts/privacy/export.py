"""A copy of everything we hold on a person (GDPR article 15), for a subject access request:
their contact record (fields, outlet, beats, tags, lists, history), their subscription, every
email sent to them with what happened to it (provider events, opens, clicks, embargo link
opens), and their rows of any other place of `places.PLACES` that names an export section
(call notes, for instance). As JSON, or as CSV: one line per value, under section, item, field.
"""

import csv
import datetime
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django_countries.fields import Country

from contacts.imports.formula_injection import neutralise
from contacts.models import Delivery, DeliveryEvent, EmbargoOpen, Subscriber
from contacts.privacy.erasure import Person
from contacts.privacy.places import installed_places

CONTACT_FIELDS = [
    "first_name", "last_name", "email", "phone", "job_title", "regions", "languages",
    "country", "time_zone", "language", "notes", "source", "consent_basis", "consent_date",
    "do_not_contact", "do_not_contact_reason", "do_not_contact_since",
    "erased_at", "created_at", "updated_at",
]  # fmt: skip
SUBSCRIBER_FIELDS = [
    "email", "status", "all_topics", "consented_at", "consent_text", "source",
    "confirmed_at", "unsubscribed_at", "created_at",
]  # fmt: skip


def export_personal_data(record):
    """Everything held on the person behind `record` (a media contact or a subscriber: the
    other record with the same address is included), in plain JSON types."""
    person = Person.of(record)
    data = {}
    if person.contact:
        data["contact"] = _contact(person.contact)
    if person.subscriber:
        data["subscription"] = _subscription(person.subscriber)
    data["deliveries"] = _deliveries(person)
    for place, model in installed_places():
        if place.export:
            rows = person.rows_of(place, model)
            data[place.export] = [_row(row) for row in rows.order_by("pk")]
    data["exported_at"] = _plain(timezone.now())
    return data


def _contact(contact):
    """The record, its outlet, beats, tags, lists and history: six queries."""
    return {
        "id": contact.pk,
        **{name: _plain(getattr(contact, name)) for name in CONTACT_FIELDS},
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
    }


def _subscription(subscriber):
    return {
        "id": subscriber.pk,
        **{name: _plain(getattr(subscriber, name)) for name in SUBSCRIBER_FIELDS},
        "topics": sorted(subscriber.topics.values_list("name", flat=True)),
    }


def _deliveries(person):
    """Every email to them, with its events and embargo link opens: three queries."""
    deliveries = (
        Delivery.objects.filter(person.owns("contact", "subscriber"))
        .select_related("mailing__release", "release")
        .prefetch_related(
            Prefetch("events", queryset=DeliveryEvent.objects.order_by("at", "pk")),
            Prefetch("opens", queryset=EmbargoOpen.objects.order_by("opened_at", "pk")),
        )
        .order_by("pk")
    )
    return [
        {
            "release": delivery.sent_release.title,
            # A translation sent in the mailing's place had its own title as the subject.
            "subject": (delivery.release is None and delivery.mailing.subject)
            or delivery.sent_release.title,
            "email": delivery.email,
            "status": delivery.status,
            "sent_at": _plain(delivery.sent_at),
            "error": delivery.error,
            "events": [
                {
                    "kind": event.kind,
                    "source": event.source,
                    "at": _plain(event.at),
                    "url": event.url,
                    "detail": event.detail,
                }
                for event in delivery.events.all()
            ],
            "embargo_opens": [_plain(opened.opened_at) for opened in delivery.opens.all()],
        }
        for delivery in deliveries
    ]


def _row(row):
    """A row of another place: its own fields, a related object by its name."""
    values = {}
    for model_field in row._meta.concrete_fields:
        if model_field.is_relation:
            related = getattr(row, model_field.name)
            values[model_field.name] = None if related is None else str(related)
        else:
            values[model_field.name] = _plain(getattr(row, model_field.attname))
    return values


def personal_data_response(record, file_format="json"):
    """The export as a download named contact-<id>.json (.csv), or subscriber-<id>.json."""
    data = export_personal_data(record)
    kind = "subscriber" if isinstance(record, Subscriber) else "contact"
    if file_format == "csv":
        response = HttpResponse(_as_csv(data), content_type="text/csv; charset=utf-8")
    else:
        content = json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
        response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{record.pk}.{file_format}"'
    return response


def _as_csv(data):
    """One line per value: section ("contact", "deliveries"), item (the row's number in its
    section, from 1; nested rows as 2.1), field (nested fields as outlet.name), value."""
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel reads it as UTF-8
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(["section", "item", "field", "value"])
    for section, content in data.items():
        if isinstance(content, list):
            for number, item in enumerate(content, 1):
                _write(writer, section, str(number), "", item)
        else:
            _write(writer, section, "", "", content)
    return out.getvalue()


def _write(writer, section, item, path, value):
    """`value` under `path` (outlet.name); a list of rows numbers them below `item`. Every
    cell is text no spreadsheet runs as a formula (contacts/imports/formula_injection.py)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _write(writer, section, item, f"{path}.{key}" if path else key, inner)
    elif isinstance(value, list) and any(isinstance(inner, dict | list) for inner in value):
        for number, inner in enumerate(value, 1):
            _write(writer, section, f"{item}.{number}" if item else str(number), path, inner)
    else:
        text = ", ".join(map(str, value)) if isinstance(value, list) else value
        text = "" if text is None else str(text)
        writer.writerow([neutralise(section), item, neutralise(path), neutralise(text)])


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
