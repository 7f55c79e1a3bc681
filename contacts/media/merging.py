"""Merging duplicate media contacts into one.

The rules, in the words of the people who use it:

- Nothing the others had is lost: list memberships (current and past), history, deliveries,
  notes, beats and tags all end up on the contact that is kept.
- A merge never lifts an opt-out: if any of the contacts asked not to be contacted, the kept
  one is do-not-contact too, with the earliest reason and date.
- The kept contact's own values win; the others only fill its empty fields.
"""

from django.db import transaction

from contacts.models import ContactEvent, MediaContact, Membership

# Filled on the kept contact from the first other contact that has them, in this order.
FILLED_FIELDS = [
    "first_name", "phone", "job_title", "outlet", "regions", "languages",
    "country", "time_zone", "language", "source",
]  # fmt: skip


def can_merge(user):
    """Merging changes one contact and deletes the others."""
    return (
        user.is_active
        and user.is_staff
        and user.has_perms(["contacts.change_mediacontact", "contacts.delete_mediacontact"])
    )


def merge_contacts(keep, others, user=None):
    """Merge `others` (MediaContacts) into `keep`, delete them, and return `keep` refreshed.

    Runs in one transaction with every contact locked, so a send or an import running at the
    same time sees either all of them or the merged one. Raises ValueError, with a message for
    editors, when there is nothing to merge, when `keep` is among `others`, or when any of the
    contacts was erased or no longer exists."""
    others = list(others)
    with transaction.atomic():
        # Locked in id order, so two merges of overlapping contacts cannot deadlock.
        locked = {
            contact.pk: contact
            for contact in MediaContact.objects.select_for_update()
            .filter(pk__in={keep.pk, *(other.pk for other in others)})
            .order_by("pk")
        }
        check_mergeable(keep, others, found=locked)
        keep = locked.pop(keep.pk)
        others = sorted(locked.values(), key=lambda contact: (contact.created_at, contact.pk))

        _move_memberships(keep, others)
        _move_related_rows(keep, others)
        keep.beats.add(*{beat for other in others for beat in other.beats.all()})
        keep.tags.add(*{tag for other in others for tag in other.tags.all()})
        for field, value in merged_fields(keep, others).items():
            setattr(keep, field, value)
        keep.save()
        ContactEvent.objects.create(
            contact=keep,
            kind=ContactEvent.Kind.MERGED,
            detail=_merge_detail(others)[:300],
            user=user,
        )
        MediaContact.objects.filter(pk__in=[other.pk for other in others]).delete()
    keep.refresh_from_db()
    return keep


def check_mergeable(keep, others, found=None):
    """Raise ValueError, with a message for editors, if `others` cannot be merged into `keep`:
    nothing to merge, `keep` among them, or any of them erased or gone. `found` maps ids to
    the contacts as they are now in the database; they are read when not given."""
    other_ids = {other.pk for other in others}
    if keep.pk in other_ids:
        raise ValueError("A contact cannot be merged into itself.")
    if not other_ids:
        raise ValueError("Choose at least one contact to merge into this one.")
    ids = {keep.pk, *other_ids}
    if found is None:
        found = MediaContact.objects.in_bulk(ids)
    if missing := ids - found.keys():
        raise ValueError(f"Contact {_ids(missing)} no longer exists; reload the page.")
    if erased := [pk for pk, contact in found.items() if contact.erased_at]:
        raise ValueError(f"Contact {_ids(erased)} was erased; erased contacts cannot be merged.")


def _ids(pks):
    return ", ".join(f"#{pk}" for pk in sorted(pks))


def merged_fields(keep, others):
    """The fields of `keep` a merge with `others` changes, and their new values: empty fields
    filled, notes appended, the opt-out carried. The confirmation page shows this too."""
    changes = {}
    for field in FILLED_FIELDS:
        if not getattr(keep, field):
            value = next((getattr(o, field) for o in others if getattr(o, field)), None)
            if value:
                changes[field] = value
    if not keep.consent_basis and not keep.consent_date:
        # Basis and date describe one consent: taken together, from the same contact.
        source = next((o for o in others if o.consent_basis or o.consent_date), None)
        if source:
            changes["consent_basis"] = source.consent_basis
            changes["consent_date"] = source.consent_date
    notes = [keep.notes] if keep.notes else []
    notes += [f"— merged from {o} <{o.email}>: {o.notes}" for o in others if o.notes]
    if len(notes) > (1 if keep.notes else 0):
        changes["notes"] = "\n\n".join(notes)
    opted_out = [contact for contact in [keep, *others] if contact.do_not_contact]
    if opted_out:
        # The earliest opt-out is the one the person gave us; a later one only repeats it.
        first = min(opted_out, key=_opt_out_order)
        carried = {
            "do_not_contact": True,
            "do_not_contact_reason": first.do_not_contact_reason,
            "do_not_contact_since": first.do_not_contact_since,
        }
        changes.update({k: v for k, v in carried.items() if getattr(keep, k) != v})
    return changes


def _opt_out_order(contact):
    # An opt-out without a date (set by a bulk update) sorts after the dated ones.
    since = contact.do_not_contact_since
    return (since is None, since or 0, contact.created_at, contact.pk)


def _move_memberships(keep, others):
    """Every membership moves to `keep`. One current membership per list is allowed, so when
    both were on a list the kept row stays, with the earliest joined_at, and the other goes:
    it described the same person on the same list over an overlapping time."""
    current = {m.media_list_id: m for m in keep.memberships.filter(left_at__isnull=True)}
    moved, dropped, earlier = [], [], {}
    for membership in Membership.objects.filter(contact__in=others).order_by("joined_at", "pk"):
        kept = current.get(membership.media_list_id) if membership.left_at is None else None
        if kept is None:
            moved.append(membership.pk)
            if membership.left_at is None:
                current[membership.media_list_id] = membership
        else:
            dropped.append(membership.pk)
            if membership.joined_at < kept.joined_at:
                kept.joined_at = earlier[kept.pk] = membership.joined_at
    Membership.objects.filter(pk__in=dropped).delete()
    Membership.objects.filter(pk__in=moved).update(contact=keep)
    for pk, joined_at in earlier.items():
        Membership.objects.filter(pk=pk).update(joined_at=joined_at)


def _move_related_rows(keep, others):
    """Re-point history, deliveries, direct mailing recipients and any relation added later,
    so deleting the others cascades nothing away."""
    for relation in MediaContact._meta.related_objects:
        if Membership in (relation.related_model, getattr(relation, "through", None)):
            continue  # moved by _move_memberships, which keeps one current row per list
        if relation.one_to_many:
            rows = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": others}
            )
            rows.update(**{relation.field.name: keep})
        elif relation.many_to_many:
            # e.g. Mailing.contacts: the mailings the others were chosen for now name `keep`.
            related = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": others}
            )
            getattr(keep, relation.get_accessor_name()).add(*related.distinct())
        else:
            raise NotImplementedError(f"Merging does not know how to move {relation}.")


def _merge_detail(others):
    return "Merged from " + "; ".join(f"{o} <{o.email}> (#{o.pk})" for o in others) + "."
