"""Erasure on request (GDPR article 17): a person's address removed from every place it lives
(`places.PLACES`), and their contact or subscription made anonymous.

The person is the address: erasing a media contact erases the subscriber with the same address
too, and the other way round (the confirmation page says so first). The rows stay, anonymous,
so that the counts stay right: how many contacts we had, how many emails each mailing sent.

What is kept, and why:
- the address's SHA-256 digest (ErasedAddress), so that no import brings the person back;
- if the address was on the suppression list, the suppression is replaced by that digest with
  its reason: an opt-out, a bounce or a complaint must go on being honoured (a later import of
  a journalists' file, or a suppression list from the old system, holds the address again, and
  an email to it would be the one thing the person surely did not want). The digest cannot be
  written to, only recognised when the address is offered again.
"""

import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from contacts.imports.limits import ImportFileError
from contacts.imports.reading import read_table
from contacts.models import (
    ContactEvent,
    Delivery,
    ErasedAddress,
    ImportJob,
    MediaContact,
    Subscriber,
    Suppression,
    normalize_email,
)
from contacts.models.erased_addresses import ERASED_REASON
from contacts.privacy.places import DELETE, PLACEHOLDER, SCRUB, installed_places
from contacts.privacy.scrubbing import (
    NAME_PLACEHOLDER,
    Scrubber,
    address_pattern,
    matches,
    mentioning,
    mentions,
    scrub,
)

ERASED_NAME = "Erased"
ERASED_DOMAIN = "erased.invalid"  # undeliverable, by RFC 2606


def erased_email(record):
    """The placeholder address of an erased contact or subscriber: unique, undeliverable."""
    if isinstance(record, Subscriber):
        return f"erased-subscriber-{record.pk}@{ERASED_DOMAIN}"
    return f"erased-{record.pk}@{ERASED_DOMAIN}"


def is_erased_address(email):
    return normalize_email(email).endswith(f"@{ERASED_DOMAIN}")


@dataclass
class Person:
    """Whom an erasure is for: a media contact, a subscriber, or both (the same address), with
    every address of theirs we know of and their names."""

    contact: MediaContact | None = None
    subscriber: Subscriber | None = None
    addresses: set = field(default_factory=set)
    # On a deletion, addresses the other record still holds: scrubbed from this one's rows only.
    kept: set = field(default_factory=set)
    names: list = field(default_factory=list)

    @classmethod
    def of(cls, record, alone=False):
        """The person behind a media contact or a subscriber: the other record with the same
        address joins in, unless `alone` (a deletion: then an address the other record still
        holds is left where it is). Three queries."""
        contact = subscriber = None
        if isinstance(record, Subscriber):
            subscriber = record
            other = MediaContact.objects.filter(email__iexact=record.email, erased_at=None)
        else:
            contact = record
            other = Subscriber.objects.filter(email__iexact=record.email)
        other = other.first()
        if other is not None and not alone:
            contact, subscriber = contact or other, subscriber or other
        person = cls(contact=contact, subscriber=subscriber)
        person.addresses = {normalize_email(record.email) for record in person.records}
        # Addresses they had before (an edit, a merge) are still on their deliveries.
        person.addresses.update(
            normalize_email(email)
            for email in Delivery.objects.filter(person.owns("contact", "subscriber"))
            .values_list("email", flat=True)
            .distinct()
        )
        person.addresses = {a for a in person.addresses if a and not is_erased_address(a)}
        if other is not None and alone:
            person.kept = person.addresses & {normalize_email(other.email)}
            person.addresses -= person.kept
        if person.contact:
            first, last = person.contact.first_name.strip(), person.contact.last_name.strip()
            names = [f"{first} {last}".strip(), first, last]
            person.names = [name for name in dict.fromkeys(names) if len(name) > 1]
        return person

    @property
    def records(self):
        return [record for record in (self.contact, self.subscriber) if record is not None]

    @property
    def placeholder(self):
        return erased_email(self.contact or self.subscriber)

    def owns(self, contact_path, subscriber_path, generic=False):
        """The condition on a place's rows that are this person's."""
        owned = Q(pk__in=[])
        for record, path in [(self.contact, contact_path), (self.subscriber, subscriber_path)]:
            if record is None:
                continue
            if generic:
                content_type = ContentType.objects.get_for_model(record)
                owned |= Q(content_type=content_type, object_id=str(record.pk))
            elif path:
                owned |= Q(**{path: record})
        return owned

    def rows_of(self, place, model):
        """The rows of `place` (of `model`) that are this person's."""
        return model.objects.filter(self.owns(place.contact, place.subscriber, place.generic))

    def address_pattern(self, kept=False):
        """Every address of theirs (with `kept`, those a deletion leaves to the other record
        too), however written; None when they have none left."""
        return address_pattern(self.addresses | (self.kept if kept else set()))

    def name_pattern(self):
        if not self.names:
            return None
        return re.compile("|".join(rf"\b{re.escape(name)}\b" for name in self.names), re.I)


def erase(record, user=None, alone=False):
    """Erase the person behind `record` (a media contact or a subscriber) and return a dict of
    what was done: {"Deliveries": 3, ...}, the rows changed per place. Raises ValueError if
    there is nothing left to erase.

    `alone` is for a record deleted by staff rather than erased on the person's request: the
    other record with the same address is left alone, and the digest that keeps the address
    out of imports is kept only for a contact marked do-not-contact (or suppressed)."""
    if isinstance(record, MediaContact) and record.erased_at:
        raise ValueError(f"Contact #{record.pk} was already erased.")
    if isinstance(record, Subscriber) and is_erased_address(record.email):
        raise ValueError(f"Subscriber #{record.pk} was already erased.")
    done = erase_many([record], user=user, alone=alone)
    if done is None:
        raise ValueError(f"#{record.pk} was already erased.")
    return done


def erase_many(records, user=None, alone=False):
    """`erase` for several records of one model at once (the admin's bulk delete), those
    erased already left out: each table is read once for all of them. None if none was left."""
    with transaction.atomic():
        if not records:
            return None
        model = type(records[0])
        locked = model.objects.select_for_update().filter(pk__in=[r.pk for r in records])
        if model is MediaContact:
            locked = locked.filter(erased_at=None)
        else:
            locked = locked.exclude(email__iendswith=f"@{ERASED_DOMAIN}")
        persons = [Person.of(record, alone=alone) for record in locked.order_by("pk")]
        if not persons:
            return None
        done = scrub_places(persons)
        reason = "deleted while suppressed" if alone else ERASED_REASON
        done["Suppression list"] = _forget_suppressions(persons, reason)
        done["Imports waiting"] = _discard_uploads(persons)
        for person in persons:
            if person.contact:
                if not alone or person.contact.do_not_contact:
                    reason = "deleted while do-not-contact" if alone else ERASED_REASON
                    for address in person.addresses:
                        # A digest only, so that a later import cannot bring the person back.
                        ErasedAddress.objects.remember(address, reason)
                _anonymise_contact(person.contact, user)
            if person.subscriber:
                _anonymise_subscriber(person.subscriber)
    return {where: count for where, count in done.items() if count}


def erase_contact(contact, user=None):
    """Erase a media contact (and the subscriber with their address); the contact, refreshed."""
    erase(contact, user=user)
    contact.refresh_from_db()
    return contact


def preview(record):
    """What erasing the person behind `record` would change: (the person, [(place, rows)]) for
    the confirmation page; a count per place, each one query."""
    person = Person.of(record)
    found = []
    for place, model in installed_places():
        rows = person.owns(place.contact, place.subscriber, place.generic)
        if person.addresses:
            rows |= mentions(place.fields, person.addresses) & _where_quoted(place, [person])
        count = model.objects.filter(rows).count()
        if count:
            found.append((str(model._meta.verbose_name_plural).capitalize(), count))
    suppressed = Suppression.objects.filter(email__in=person.addresses).count()
    if suppressed:
        found.append(("Suppression list (kept as a digest that still suppresses)", suppressed))
    return person, found


def scrub_places(persons):
    """Every place of PLACES rid of the `persons`: their own rows as the place says, then their
    addresses wherever else they are written (each table read once for all of them), then
    their names in their own rows. {place's name: rows changed}."""
    addresses = {address for person in persons for address in person.addresses}
    scrubbers = [
        Scrubber(person.address_pattern(), person.placeholder, person.name_pattern())
        for person in persons
        if person.addresses
    ]
    done = {}
    for place, model in installed_places():
        label = str(model._meta.verbose_name_plural).capitalize()
        changed = set()
        for person in persons:
            owned = person.rows_of(place, model)
            if place.own == DELETE:
                changed |= set(owned.values_list("pk", flat=True))
                owned.delete()
            elif place.own != SCRUB:
                changed |= set(owned.values_list("pk", flat=True))
                owned.update(**_values(place.own, model, person))
        if addresses:
            found = mentioning(
                model.objects.filter(_where_quoted(place, persons)), place.fields, addresses
            )
            changed |= scrub(found, place.fields, scrubbers)
        for person in persons:
            if place.own == DELETE:
                continue
            owned = person.rows_of(place, model)
            if person.kept:
                kept = person.address_pattern(kept=True)
                changed |= scrub(owned, place.fields, [Scrubber(kept, person.placeholder)])
            names = person.name_pattern()
            if names is not None and place.own == SCRUB:  # after the addresses, holding names
                changed |= scrub(owned, place.fields, [Scrubber(names, NAME_PLACEHOLDER)])
        if changed:
            done[label] = len(changed)
    return done


def _where_quoted(place, persons):
    """The rows of `place` that may quote the addresses of `persons`: any, unless the place
    says only their owners' (theirs, and those of no one)."""
    if not place.own_only:
        return Q()
    rows = place.unowned()
    for person in persons:
        rows |= person.owns(place.contact, place.subscriber, place.generic)
    return rows


def _values(values, model, person):
    """What `own` sets, as UPDATE values: a placeholder address is one of the row's own."""
    record = person.contact or person.subscriber
    placeholder = Concat(
        Value(f"erased-{model._meta.model_name}-"),
        Cast("pk", output_field=CharField()),
        Value(f"@{ERASED_DOMAIN}"),
    )
    return {
        name: placeholder
        if value is PLACEHOLDER
        else value.format(model=record._meta.verbose_name, pk=record.pk)
        for name, value in values.items()
    }


def _forget_suppressions(persons, reason):
    """A suppressed address becomes a digest that still suppresses (see the module's
    docstring); returns how many rows of the list went."""
    addresses = {address for person in persons for address in person.addresses}
    suppressions = Suppression.objects.filter(email__in=addresses)
    for suppression in suppressions:
        ErasedAddress.objects.remember(suppression.email, reason, suppression.reason)
    return suppressions.delete()[0]


def _discard_uploads(persons):
    """Uploads waiting for their mapping or confirmation that hold one of the addresses are
    discarded, the file deleted (an import being read or written finishes: its upload is
    deleted then, and its rows are erased contacts' only if imported again, which the digest
    refuses). Returns how many."""
    scrubbers = [Scrubber(person.address_pattern(), "") for person in persons if person.addresses]
    if not scrubbers:
        return 0
    waiting = ImportJob.objects.filter(
        status__in=[ImportJob.Status.MAPPING, ImportJob.Status.CHECKED]
    ).exclude(file="")
    discarded = 0
    for job in waiting:
        if _upload_mentions(job, scrubbers):
            job.fail("Discarded: the file holds the address of a person erased on request.")
            discarded += 1
    return discarded


def _upload_mentions(job, scrubbers):
    try:
        with job.file.open("rb") as upload:
            table = read_table(upload.read(), job.format)
        rows = [table.headings, *table.rows]
    except (ImportFileError, OSError):
        return True  # unreadable now: not worth keeping, and it may hold the address
    return any(matches(str(cell), scrubbers) for row in rows for cell in row if cell is not None)


def _anonymise_contact(contact, user):
    now = timezone.now()
    contact.first_name, contact.last_name = "", ERASED_NAME
    contact.email = erased_email(contact)
    for name in ["phone", "job_title", "regions", "languages", "notes", "source"]:
        setattr(contact, name, "")
    contact.country, contact.time_zone, contact.language = "", "", ""
    contact.consent_basis, contact.consent_date = "", None
    contact.do_not_contact, contact.do_not_contact_reason = True, ERASED_REASON
    contact.do_not_contact_since = contact.do_not_contact_since or now
    contact.erased_at = now
    contact.save()
    contact.beats.clear()
    contact.tags.clear()
    # Lists: current memberships end today; the rows stay, she was on them.
    contact.memberships.filter(left_at__isnull=True).update(left_at=now)
    ContactEvent.objects.create(
        contact=contact,
        kind=ContactEvent.Kind.ERASED,
        detail="Personal data erased on request.",
        user=user,
    )


def _anonymise_subscriber(subscriber):
    """Unsubscribed, under a placeholder address: signing up again is a new subscription."""
    subscriber.email = erased_email(subscriber)
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = subscriber.unsubscribed_at or timezone.now()
    subscriber.source, subscriber.all_topics = "", False
    subscriber.save()
    subscriber.topics.clear()
