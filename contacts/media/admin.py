"""Admin for media outlets, contacts and lists.

Journalists' data is for staff with the contacts permissions only (Press officer and
Administrator): everything here goes through ModelAdmin's permission checks, which answer 403
to anyone else, the autocomplete endpoint included.

Built for a million contacts on PostgreSQL: the changelist pages in the order of the
(last_name, first_name, id) index and allows no other; it never counts the whole table (see
`LargeTablePaginator`); search and the free-text filters are `icontains`, answered by the
trigram indexes of migration 0006; a word matching outlets is looked up among the outlets first.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify, smart_split, unescape_string_literal

from contacts.imports.admin import ImportViews
from contacts.imports.export import export_response
from contacts.media import views
from contacts.media.activity import ContactNoteInline, releases_sent, sign_notes
from contacts.media.changelist import (
    BeatFilter,
    ContactChangeList,
    CountryFilter,
    LanguageFilter,
    LargeTablePaginator,
    ListFilter,
    OutletKindFilter,
    RegionFilter,
    SegmentFilter,
    TagFilter,
    TimeZoneFilter,
)
from contacts.media.forms import ChooseListForm, MediaContactForm
from contacts.media.merging import can_merge
from contacts.models import ContactNote, MediaContact, MediaList, Outlet
from contacts.privacy.admin import PersonalDataAdmin

HISTORY_SHOWN = 50


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "region", "language", "audience", "contacts"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    fields = [
        "name",
        "kind",
        "country",
        "region",
        "language",
        "website",
        ("reach", "reach_label"),
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Reach", ordering="reach")
    def audience(self, outlet):
        if outlet.reach is None:
            return "—"
        return f"{outlet.reach:,} {outlet.reach_label}".strip()

    @admin.display(description="Contacts")
    def contacts(self, outlet):
        url = reverse("admin:contacts_mediacontact_changelist")
        return format_html('<a href="{}?outlet__id__exact={}">Contacts</a>', url, outlet.pk)


@admin.register(MediaContact)
class MediaContactAdmin(PersonalDataAdmin, ImportViews, admin.ModelAdmin):
    form = MediaContactForm
    list_display = ["name", "email", "outlet", "job_title", "country", "do_not_contact"]
    list_select_related = ["outlet"]
    list_filter = [
        CountryFilter,
        RegionFilter,
        LanguageFilter,
        TimeZoneFilter,
        OutletKindFilter,
        BeatFilter,
        TagFilter,
        ListFilter,
        SegmentFilter,
        "do_not_contact",
    ]
    # Other orders would sort the whole table for every page.
    sortable_by = ["name"]
    search_fields = ["last_name", "first_name", "email", "outlet__name"]
    search_help_text = (
        "Every word must match a name, the email address or the outlet. A search shows at "
        "most 10,000 contacts: add a word to find one among more."
    )
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeTablePaginator
    list_per_page = 50
    autocomplete_fields = ["outlet", "beats"]
    readonly_fields = [
        "do_not_contact_since",
        "erased_at",
        "created_at",
        "updated_at",
        "current_lists",
        "history",
        "sent_releases",
    ]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email", "phone"]}),
        ("Work", {"fields": ["outlet", "job_title", "beats", "tags"]}),
        (
            "Where and in what language",
            {"fields": ["country", "regions", "time_zone", "language", "languages"]},
        ),
        ("Consent", {"fields": ["source", "consent_basis", "consent_date"]}),
        (
            "Do not contact",
            {"fields": ["do_not_contact", "do_not_contact_reason", "do_not_contact_since"]},
        ),
        (None, {"fields": ["notes"]}),
        ("Lists and history", {"fields": ["current_lists", "history"]}),
        ("Releases sent to them", {"fields": ["sent_releases"]}),
        ("Record", {"fields": ["created_at", "updated_at", "erased_at"]}),
    ]
    inlines = [ContactNoteInline]
    actions = ["add_to_list", "remove_from_list", "export_csv", "export_xlsx"]

    @admin.display(description="Name", ordering="last_name")
    def name(self, contact):
        return str(contact) or "—"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("duplicates/", view(views.duplicates), name="contacts_mediacontact_duplicates"),
            path("merge/", view(views.merge), name="contacts_mediacontact_merge"),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        """Each word must match a name, the email address or the outlet. Django's own search
        would OR the outlet's name across a join, which PostgreSQL can only answer by reading
        every contact: the few outlets a word matches are looked up first instead, so each
        word is an OR of conditions the trigram indexes of this one table answer. (How the
        matches are paged: see LargeTablePaginator.)"""
        for word in smart_split(search_term):
            if word[:1] in "\"'" and word[-1:] == word[:1] and len(word) > 1:
                word = unescape_string_literal(word)
            if word.strip():
                queryset = queryset.filter(self.matching(word.strip()))
        return queryset, False

    @staticmethod
    def matching(word):
        match = Q(last_name__icontains=word) | Q(first_name__icontains=word)
        match |= Q(email__icontains=word)
        outlets = Outlet.objects.filter(name__icontains=word)
        outlet_ids = list(outlets.values_list("pk", flat=True)[:2001])
        if len(outlet_ids) <= 2000:
            return match | Q(outlet_id__in=outlet_ids) if outlet_ids else match
        return match | Q(outlet__in=outlets)  # a word in most outlets' names: "news"

    def get_changelist(self, request, **kwargs):
        return ContactChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # "term" is the autocomplete's search.
        searched = bool(request.GET.get(SEARCH_VAR, "").strip() or request.GET.get("term"))
        return self.paginator(
            queryset, per_page, orphans, allow_empty_first_page, searched=searched
        )

    def has_import_permission(self, request):
        return request.user.has_perms(["contacts.add_mediacontact", "contacts.change_mediacontact"])

    def has_export_permission(self, request):
        return request.user.has_perm("contacts.export_mediacontact")

    def has_lists_permission(self, request):
        return request.user.has_perms(["contacts.add_membership", "contacts.change_membership"])

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_import": self.has_import_permission(request),
            "can_merge": can_merge(request.user),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        opted_out = obj.do_not_contact and "do_not_contact" in form.changed_data
        super().save_model(request, obj, form, change)
        labels = [str(form.fields[name].label) for name in form.changed_data]
        obj.record_edit(request.user, labels, created=not change, opted_out=opted_out)

    def save_formset(self, request, form, formset, change):
        if formset.model is ContactNote:
            sign_notes(formset, request.user)
        else:
            super().save_formset(request, form, formset, change)

    @admin.display(description="Releases")
    def sent_releases(self, contact):
        return releases_sent(contact) if contact.pk else "—"

    @admin.display(description="Lists")
    def current_lists(self, contact):
        if not contact.pk:
            return "—"
        memberships = contact.memberships.filter(left_at__isnull=True).select_related("media_list")
        if not memberships:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:contacts_medialist_change", args=[m.media_list_id]), m.media_list)
                for m in memberships
            ),
        )

    @admin.display(description="History")
    def history(self, contact):
        """The latest events, newest first: one query."""
        if not contact.pk:
            return "—"
        events = list(contact.events.select_related("user")[:HISTORY_SHOWN])
        if not events:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
                    event.get_kind_display(),
                    event.detail,
                    event.user or "",
                )
                for event in events
            ),
        )
        return format_html(
            '<table class="contact-history"><thead><tr><th scope="col">When</th>'
            '<th scope="col">What</th><th scope="col">Detail</th><th scope="col">By</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.action(description="Add to list…", permissions=["lists"])
    def add_to_list(self, request, queryset):
        return self._list_action(request, queryset, "add_to_list")

    @admin.action(description="Remove from list…", permissions=["lists"])
    def remove_from_list(self, request, queryset):
        return self._list_action(request, queryset, "remove_from_list")

    def _list_action(self, request, queryset, action):
        """The page choosing the list, then (posted with "apply") the change."""
        form = ChooseListForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            media_list = form.cleaned_data["media_list"]
            if action == "add_to_list":
                count = media_list.add(queryset, request.user)
                message = f"Added {count:,} contact(s) to “{media_list}”."
            else:
                count = media_list.remove(queryset, request.user)
                message = f"Removed {count:,} contact(s) from “{media_list}”."
            self.message_user(request, message, messages.SUCCESS)
            return None
        select_across = request.POST.get("select_across") == "1"
        context = {
            **self.admin_site.each_context(request),
            "title": "Add to a list" if action == "add_to_list" else "Remove from a list",
            "opts": self.model._meta,
            "form": form,
            "action": action,
            "select_across": select_across,
            # Django wants the ticked boxes even when "select all" applies the action to more.
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "count": queryset.count(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/contacts/mediacontact/choose_list.html", context)

    @admin.action(description="Export to CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        return export_response(queryset, "csv", "media-contacts")

    @admin.action(description="Export to Excel (.xlsx)", permissions=["export"])
    def export_xlsx(self, request, queryset):
        return export_response(queryset, "xlsx", "media-contacts")


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
