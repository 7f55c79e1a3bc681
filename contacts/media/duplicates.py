"""Possible duplicate media contacts.

The signal is the same name (first and last, trimmed, any case) at the same outlet. The same
email address is not a signal worth a query: addresses are stored trimmed and lower-cased
(`normalize_email`) and a unique index on Lower(email) refuses a second one, so two contacts
can only share a normalized address through legacy rows written around `save()`. Addresses
that differ in other ways (dots in Gmail, plus tags) are out of scope.

The pages that list and merge them are contacts/media/views.py.
"""

from django.db.models import Count, Q
from django.db.models.functions import Lower, Trim

from contacts.models import MediaContact


def possible_duplicates(limit=100, contacts=None):
    """Up to `limit` groups of contacts with the same name at the same outlet, each a list
    ordered oldest first; groups ordered by name. Two queries, whatever the number of groups.

    Erased contacts all share one anonymous name and are left out, and so are contacts
    without an outlet: a name alone is too weak a sign. `contacts` is the queryset the members
    are read from, for the caller's select_related and prefetch_related."""
    if contacts is None:
        contacts = MediaContact.objects.all()
    candidates = MediaContact.objects.filter(erased_at__isnull=True, outlet__isnull=False).annotate(
        first_key=Lower(Trim("first_name")), last_key=Lower(Trim("last_name"))
    )
    # One pass over the table, grouped in the database: only the keys of the groups come back.
    keys = list(
        candidates.values("last_key", "first_key", "outlet_id")
        .annotate(size=Count("pk"))
        .filter(size__gt=1)
        .order_by("last_key", "first_key", "outlet_id")[:limit]
    )
    if not keys:
        return []
    groups = {(key["last_key"], key["first_key"], key["outlet_id"]): [] for key in keys}
    match = Q()
    for last, first, outlet_id in groups:
        match |= Q(last_key=last, first_key=first, outlet_id=outlet_id)
    members = (
        contacts.filter(erased_at__isnull=True)
        .annotate(first_key=Lower(Trim("first_name")), last_key=Lower(Trim("last_name")))
        .filter(match)
        .order_by("created_at", "pk")
    )
    for contact in members:
        groups[contact.last_key, contact.first_key, contact.outlet_id].append(contact)
    return list(groups.values())
