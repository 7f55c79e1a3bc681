"""Admin for media lists: their members counted, shown and exported; contacts added to a list
and removed from it."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify

from contacts.import_plan import batches
from contacts.models import ContactEvent, MediaContact, MediaList, Membership
from contacts.resources import export_response


@admin.register(MediaList)
class MediaListAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count", "owner", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    fields = ["name", "description", "owner", "members"]
    readonly_fields = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_changeform_initial_data(self, request):
        return {"owner": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, media_list):
        return format_html(
            '<a href="{}">{}</a>', _members_url(media_list), f"{media_list.member_count:,}"
        )

    @admin.display(description="Members")
    def members(self, media_list):
        if not media_list.pk:
            return "—"
        return format_html(
            '<a href="{}">{} current member(s)</a>',
            _members_url(media_list),
            media_list.member_count,
        )

    def has_export_permission(self, request):
        return request.user.has_perm("contacts.export_mediacontact")

    def get_urls(self):
        return [
            path(
                "<int:object_id>/export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="contacts_medialist_export",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {"can_export": self.has_export_permission(request), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def export_view(self, request, object_id, file_format):
        """The list's current members as CSV or XLSX."""
        if not (self.has_view_permission(request) and self.has_export_permission(request)):
            raise PermissionDenied
        if file_format not in ("csv", "xlsx"):
            raise Http404
        media_list = get_object_or_404(MediaList, pk=object_id)
        members = MediaContact.objects.filter(
            memberships__media_list=media_list, memberships__left_at__isnull=True
        )
        return export_response(members, file_format, slugify(media_list.name) or "list")


def _members_url(media_list):
    return f"{reverse('admin:contacts_mediacontact_changelist')}?list={media_list.pk}"


def add_to_list(media_list, contacts, user):
    """Make `contacts` current members of `media_list`, each with a history line; those
    already on it and erased contacts are left alone. Returns how many joined."""
    now, added = timezone.now(), 0
    with transaction.atomic():
        # One change to a list's members at a time: no second current membership can race in.
        MediaList.objects.select_for_update().filter(pk=media_list.pk).first()
        current = media_list.memberships.filter(left_at__isnull=True).values("contact_id")
        ids = list(
            contacts.filter(erased_at__isnull=True)
            .exclude(pk__in=current)
            .order_by()
            .values_list("pk", flat=True)
        )
        for batch in batches(ids, 2000):
            Membership.objects.bulk_create(
                [Membership(media_list=media_list, contact_id=pk, joined_at=now) for pk in batch]
            )
            _record(batch, ContactEvent.Kind.JOINED_LIST, media_list.name, user, now)
            added += len(batch)
    return added


def remove_from_list(media_list, contacts, user):
    """End the current memberships of `contacts` in `media_list` (the rows stay for the
    history). Returns how many left."""
    now, removed = timezone.now(), 0
    with transaction.atomic():
        memberships = media_list.memberships.filter(
            left_at__isnull=True, contact__in=contacts.order_by().values("pk")
        )
        ids = list(memberships.values_list("contact_id", flat=True))
        for batch in batches(ids, 2000):
            media_list.memberships.filter(left_at__isnull=True, contact_id__in=batch).update(
                left_at=now
            )
            _record(batch, ContactEvent.Kind.LEFT_LIST, media_list.name, user, now)
            removed += len(batch)
    return removed


def _record(contact_ids, kind, detail, user, now):
    ContactEvent.objects.bulk_create(
        [
            ContactEvent(contact_id=pk, kind=kind, detail=detail, user=user, created_at=now)
            for pk in contact_ids
        ]
    )
