"""Possible duplicate media contacts, and the admin pages that list and merge them.

The signal is the same name (first and last, trimmed, any case) at the same outlet. The same
email address is not a signal worth a query: addresses are stored trimmed and lower-cased
(`normalize_email`) and a unique index on Lower(email) refuses a second one, so two contacts
can only share a normalized address through legacy rows written around `save()`. Addresses
that differ in other ways (dots in Gmail, plus tags) are out of scope.

The two views take only `request`: the contacts admin mounts them, wrapped in
`admin_site.admin_view`, as "contacts_mediacontact_duplicates" and
"contacts_mediacontact_merge".
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower, Trim
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from contacts.merging import check_mergeable, merge_contacts, merged_fields
from contacts.models import MediaContact, Membership


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


def can_merge(user):
    """Merging changes one contact and deletes the others."""
    return (
        user.is_active
        and user.is_staff
        and user.has_perms(["contacts.change_mediacontact", "contacts.delete_mediacontact"])
    )


def duplicates_view(request):
    """The possible duplicates, each contact with a button to merge its group into it."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("contacts.change_mediacontact")):
        raise PermissionDenied
    current = Membership.objects.filter(left_at__isnull=True).select_related("media_list")
    contacts = MediaContact.objects.select_related("outlet").prefetch_related(
        Prefetch("memberships", queryset=current, to_attr="current_memberships")
    )
    return render(
        request,
        "admin/contacts/duplicates.html",
        {
            **admin.site.each_context(request),
            "title": "Possible duplicates",
            "opts": MediaContact._meta,
            "groups": possible_duplicates(contacts=contacts),
            "can_merge": can_merge(user),
        },
    )


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=MediaContact.objects.all())
    merge = forms.ModelMultipleChoiceField(queryset=MediaContact.objects.all())


def merge_view(request):
    """GET: what merging the `merge` contacts into `keep` will do. POST: do it."""
    if not can_merge(request.user):
        raise PermissionDenied
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = MergeForm(request.POST if request.method == "POST" else request.GET)
    duplicates_url = reverse("admin:contacts_mediacontact_duplicates")
    if not form.is_valid():
        messages.error(request, "Choose a contact to keep and at least one to merge into it.")
        return redirect(duplicates_url)
    keep, others = form.cleaned_data["keep"], list(form.cleaned_data["merge"])
    try:
        if request.method == "POST":
            keep = merge_contacts(keep, others, user=request.user)
        else:
            check_mergeable(keep, others)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(duplicates_url)
    if request.method == "POST":
        messages.success(request, f"Merged {len(others)} contact(s) into “{keep}” ({keep.email}).")
        return redirect("admin:contacts_mediacontact_change", keep.pk)

    others = (
        MediaContact.objects.filter(pk__in=[other.pk for other in others])
        .select_related("outlet")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("media_list"))
        )
        .annotate(event_count=Count("events", distinct=True))
        .annotate(delivery_count=Count("deliveries", distinct=True))
        .order_by("created_at", "pk")
    )
    changes = []
    for name, value in merged_fields(keep, others).items():
        field = MediaContact._meta.get_field(name)
        changes.append((field.verbose_name, display_for_field(value, field, "—")))
    return render(
        request,
        "admin/contacts/merge_confirm.html",
        {
            **admin.site.each_context(request),
            "title": f"Merge into “{keep}”",
            "opts": MediaContact._meta,
            "keep": keep,
            "others": others,
            "changes": changes,
            "duplicates_url": duplicates_url,
        },
    )
