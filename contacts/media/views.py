"""The admin pages of possible duplicates and of merging them. They take only `request`: the
contacts admin mounts them, wrapped in `admin_site.admin_view`, as
"contacts_mediacontact_duplicates" and "contacts_mediacontact_merge"."""

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from contacts.media.duplicates import possible_duplicates
from contacts.media.forms import MergeForm
from contacts.media.merging import can_merge, check_mergeable, merge_contacts, merged_fields
from contacts.models import MediaContact, Membership


def duplicates(request):
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


def merge(request):
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
