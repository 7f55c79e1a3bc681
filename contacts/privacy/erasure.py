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
from urllib.parse import quote, quote_plus

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
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
from contacts.models.media import ERASED_REASON
from contacts.privacy.places import DELETE, PLACEHOLDER, SCRUB, installed_places

ERASED_NAME = "Erased"
ERASED_DOMAIN = "erased.invalid"  # undeliverable, by RFC 2606
NAME_PLACEHOLDER = "[erased]"


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

    def address_pattern(self, kept=False):
        """Every address of theirs (with `kept`, those a deletion leaves to the other record
        too), in any case, as written and URL-encoded (in a link's query string), and those
        variants; None when they have none left."""
        variants = set()
        for address in self.addresses | (self.kept if kept else set()):
            variants.update([address, quote(address, safe=""), quote(address, safe="@")])
            variants.add(quote_plus(address))
        if not variants:
            return None, []
        longest_first = sorted(variants, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE), longest_first

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
    with transaction.atomic():
        record = type(record).objects.select_for_update().get(pk=record.pk)
        if isinstance(record, MediaContact) and record.erased_at:
            raise ValueError(f"Contact #{record.pk} was already erased.")
        if isinstance(record, Subscriber) and is_erased_address(record.email):
            raise ValueError(f"Subscriber #{record.pk} was already erased.")
        person = Person.of(record, alone=alone)
        done = scrub_places(person)
        done["Suppression list"] = _forget_suppressions(person)
        done["Imports waiting"] = _discard_uploads(person)
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
    _, variants = person.address_pattern()
    found = []
    for place, model in installed_places():
        owned = model.objects.filter(person.owns(place.contact, place.subscriber, place.generic))
        rows = Q(pk__in=owned.values("pk"))
        if variants:
            rows |= Q(pk__in=_mentioning(model.objects.all(), place.fields, variants).values("pk"))
        count = model.objects.filter(rows).count()
        if count:
            found.append((str(model._meta.verbose_name_plural).capitalize(), count))
    suppressed = Suppression.objects.filter(email__in=person.addresses).count()
    if suppressed:
        found.append(("Suppression list (kept as a digest that still suppresses)", suppressed))
    return person, found


def scrub_places(person):
    """Every place of PLACES rid of the person: their own rows as the place says, then their
    addresses wherever else they are written. {place's name: rows changed}."""
    pattern, variants = person.address_pattern()
    names = person.name_pattern()
    done = {}
    for place, model in installed_places():
        label = str(model._meta.verbose_name_plural).capitalize()
        owned = model.objects.filter(
            person.owns(place.contact, place.subscriber, generic=place.generic)
        )
        changed = set()
        if place.own == DELETE:
            count = owned.count()
            owned.delete()
            done[label] = count
        elif place.own != SCRUB:
            for row in owned.only("pk"):
                model.objects.filter(pk=row.pk).update(**_set(place.own, row, person))
                changed.add(row.pk)
        if pattern is not None:
            found = _mentioning(model.objects.all(), place.fields, variants)
            changed |= _scrub(found, place.fields, [pattern], person.placeholder)
        if person.kept and place.own != DELETE:
            kept, _ = person.address_pattern(kept=True)
            changed |= _scrub(owned, place.fields, [kept], person.placeholder)
        if names is not None and place.own == SCRUB:  # after the addresses, which hold names
            changed |= _scrub(owned, place.fields, [names], NAME_PLACEHOLDER)
        if changed:
            done[label] = len(changed)
    return done


def _set(values, row, person):
    record = person.contact or person.subscriber
    return {
        name: f"erased-{row._meta.model_name}-{row.pk}@{ERASED_DOMAIN}"
        if value is PLACEHOLDER
        else value.format(model=record._meta.verbose_name, pk=record.pk)
        for name, value in values.items()
    }


def _mentioning(queryset, fields, variants):
    """The rows of `queryset` with one of `variants` in one of `fields` (JSON read as text)."""
    condition = Q(pk__in=[])
    for name in fields:
        alias = f"_{name}_text"
        queryset = queryset.alias(**{alias: Cast(name, output_field=TextField())})
        for variant in variants:
            condition |= Q(**{f"{alias}__icontains": variant})
    return queryset.filter(condition)


def _scrub(queryset, fields, patterns, replacement):
    """Replace what `patterns` match in `fields` of the rows of `queryset`; the ids changed."""
    changed = set()
    for row in queryset.only("pk", *fields):
        values = {}
        for name in fields:
            value = getattr(row, name)
            scrubbed = _replace(value, patterns, replacement)
            if scrubbed != value:
                values[name] = scrubbed
        if values:
            type(row).objects.filter(pk=row.pk).update(**values)
            changed.add(row.pk)
    return changed


def _replace(value, patterns, replacement):
    """`value` (text, or JSON: lists, dicts, strings) with what `patterns` match replaced."""
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, list) and not any(isinstance(item, list | dict) for item in value):
        if any(isinstance(item, str) and _matches(item, patterns) for item in value):
            # A row of a table (an upload's first rows) with the address is about the person:
            # every cell of it goes.
            return [_erase_cell(item, patterns, replacement) for item in value]
    if isinstance(value, list):
        return [_replace(item, patterns, replacement) for item in value]
    if isinstance(value, dict):
        return {
            _replace(key, patterns, replacement): _replace(item, patterns, replacement)
            for key, item in value.items()
        }
    return value


def _matches(text, patterns):
    return any(pattern.search(text) for pattern in patterns)


def _erase_cell(cell, patterns, replacement):
    if not isinstance(cell, str) or not cell:
        return cell
    return _replace(cell, patterns, replacement) if _matches(cell, patterns) else NAME_PLACEHOLDER


def _forget_suppressions(person):
    """A suppressed address becomes a digest that still suppresses (see the module's
    docstring); returns how many rows of the list went."""
    suppressions = Suppression.objects.filter(email__in=person.addresses)
    for suppression in suppressions:
        ErasedAddress.objects.remember(suppression.email, suppressed_as=suppression.reason)
    return suppressions.delete()[0]


def _discard_uploads(person):
    """Uploads waiting for their mapping or confirmation that hold one of the addresses are
    discarded, the file deleted (an import being read or written finishes: its upload is
    deleted then, and its rows are erased contacts' only if imported again, which the digest
    refuses). Returns how many."""
    pattern, _ = person.address_pattern()
    if pattern is None:
        return 0
    waiting = ImportJob.objects.filter(
        status__in=[ImportJob.Status.MAPPING, ImportJob.Status.CHECKED]
    ).exclude(file="")
    discarded = 0
    for job in waiting:
        if _upload_mentions(job, pattern):
            job.fail("Discarded: the file holds the address of a person erased on request.")
            discarded += 1
    return discarded


def _upload_mentions(job, pattern):
    try:
        with job.file.open("rb") as upload:
            table = read_table(upload.read(), job.format)
        rows = [table.headings, *table.rows]
    except (ImportFileError, OSError):
        return True  # unreadable now: not worth keeping, and it may hold the address
    return any(pattern.search(str(cell)) for row in rows for cell in row if cell is not None)


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
