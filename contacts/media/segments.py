"""The segments admin: one screen to build a segment (conditions picked in the editor, the
count and a sample of the contacts matching them as they are picked), save it, and make a
static media list of its members.

The editor (static/contacts/admin/segment_editor.js) writes the rules into the form's `rules`
field as JSON, which is what is posted and checked (`check_rules`); without JavaScript the
JSON can be edited by hand. The count it shows comes from `count_view`, one query for both
counts and one for the sample."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_countries import countries

from contacts.models import ContactTag, Mailing, MediaContact, MediaList, Outlet, Segment
from contacts.models.codes import LANGUAGES
from contacts.models.segments import FIELDS, JOINS, OPERATORS, check_rules, describe, rules_q
from press.models import Topic
from press.time_zones import available_time_zones

SAMPLE_SIZE = 10


class SegmentForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "description", "rules"]
        widgets = {"rules": forms.Textarea(attrs={"rows": 6, "cols": 80})}
        help_texts = {
            "rules": "The conditions, as the editor above writes them. A segment's members are "
            "worked out each time it is used: a send takes those matching when it starts."
        }

    def clean_rules(self):
        return check_rules(self.cleaned_data["rules"])


def editor_options():
    """What each condition may be set to, as [value, label] pairs, for the editor."""
    return {
        "fields": list(FIELDS.items()),
        "operators": list(OPERATORS.items()),
        "joins": list(JOINS.items()),
        "values": {
            "country": [[code, name] for code, name in countries],
            "language": [[code, f"{name} ({code})"] for code, name in LANGUAGES],
            "time_zone": [[zone, zone] for zone in available_time_zones()],
            "beat": list(Topic.objects.order_by("name").values_list("pk", "name")),
            "tag": list(ContactTag.objects.order_by("name").values_list("pk", "name")),
            "outlet": list(Outlet.objects.order_by("name").values_list("pk", "name")),
            "outlet_type": list(Outlet.Kind.choices),
        },
    }


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    form = SegmentForm
    list_display = ["name", "conditions", "owner", "updated_at"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    actions = ["make_lists"]
    change_form_template = "admin/contacts/segment/change_form.html"

    @admin.display(description="Conditions")
    def conditions(self, segment):
        count = sum(len(group["conditions"]) for group in segment.rules.get("groups", []))
        return f"{count} condition(s) in {len(segment.rules.get('groups', []))} group(s)"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        """A segment a send still to go out is addressed to is kept: deleted, the send would
        go to fewer people than the officer chose, or to nobody."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        waiting = Mailing.objects.filter(
            segments__in=list(objs), status__in=[Mailing.Status.DRAFT, Mailing.Status.QUEUED]
        ).select_related("release")
        protected = [*protected, *(f"Send not yet gone out: {m}" for m in waiting.distinct())]
        return deleted, counts, perms_needed, protected

    def has_contacts_permission(self, request):
        """The count and the sample show journalists: for those who may see them."""
        return request.user.has_perm("contacts.view_mediacontact")

    def has_lists_permission(self, request):
        return request.user.has_perms(["contacts.add_medialist", "contacts.add_membership"])

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("count/", view(self.count_view), name="contacts_segment_count"),
            path(
                "<int:pk>/make-list/",
                view(require_POST(self.make_list_view)),
                name="contacts_segment_make_list",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            editor_options=editor_options(),
            can_make_list=bool(obj and self.has_lists_permission(request)),
            rules_in_words=describe(obj.rules) if obj else "",
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def count_view(self, request):
        """{"count", "reachable", "sample"} of the rules in `?rules=` (JSON), or {"error"}."""
        if not (
            self.has_view_or_change_permission(request) and self.has_contacts_permission(request)
        ):
            raise PermissionDenied
        try:
            rules = check_rules(json.loads(request.GET.get("rules") or "{}"))
        except ValueError:
            return JsonResponse({"error": "The rules are not valid JSON."}, status=400)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        return JsonResponse(members_summary(rules))

    def make_list_view(self, request, pk):
        if not (self.has_view_permission(request) and self.has_lists_permission(request)):
            raise PermissionDenied
        segment = get_object_or_404(Segment, pk=pk)
        media_list, count = make_static_list(segment, request.user)
        self.message_user(
            request,
            f"Made the list “{media_list}” with {count:,} contact(s): the segment’s members "
            "now. It stays as it is when they change.",
            messages.SUCCESS,
        )
        return redirect("admin:contacts_medialist_change", media_list.pk)

    @admin.action(description="Make a static list of each", permissions=["lists"])
    def make_lists(self, request, queryset):
        for segment in queryset:
            media_list, count = make_static_list(segment, request.user)
            self.message_user(
                request, f"Made “{media_list}” with {count:,} contact(s).", messages.SUCCESS
            )


def members_summary(rules):
    """How many contacts the rules match (erased ones left out), how many of them may be
    written to, and a few of them: two queries. The sample is the first found, in no order
    (so the database stops at them), shown in name order."""
    matching = MediaContact.objects.filter(rules_q(rules), erased_at__isnull=True)
    counts = matching.aggregate(
        count=Count("pk"),
        reachable=Count("pk", filter=Q(do_not_contact=False)),
    )
    sample = sorted(
        matching.order_by().select_related("outlet")[:SAMPLE_SIZE],
        key=lambda c: (c.last_name, c.first_name, c.pk),
    )
    return {
        **counts,
        "sample": [
            {
                "name": str(contact) or contact.email,
                "email": contact.email,
                "outlet": str(contact.outlet or ""),
                "country": contact.country.name if contact.country else "",
                "url": reverse("admin:contacts_mediacontact_change", args=[contact.pk]),
                "do_not_contact": contact.do_not_contact,
            }
            for contact in sample
        ],
    }


def make_static_list(segment, user):
    """A new media list of the segment's members now, named after it and today's date (with a
    number when that name is taken)."""
    base = f"{segment.name} ({timezone.localdate():%Y-%m-%d})"[:190]
    name, number = base, 1
    while MediaList.objects.filter(name=name).exists():
        number += 1
        name = f"{base} {number}"
    return segment.make_list(name, user)
