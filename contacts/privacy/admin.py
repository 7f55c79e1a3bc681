"""Data protection requests in the admin, for media contacts and subscribers: on a record's
page, "Export personal data" (JSON or CSV) and "Erase personal data" (with a confirmation page
saying what goes and what is kept). Deleting a record, one or many, erases it first: a
deletion leaves its address nowhere either (contacts/privacy/erasure.py, `alone`).

Exporting needs the change permission (handling someone's request is changing their record's
fate, and the file is everything held on them); erasing needs the delete permission."""

from django.contrib import messages
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from contacts.privacy.erasure import erase, erase_many, preview
from contacts.privacy.export import personal_data_response


class PersonalDataAdmin:
    """A ModelAdmin mix-in for the models people's data is held in (MediaContact, Subscriber)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/personal-data/<str:file_format>/",
                view(self.personal_data_view),
                name=f"{prefix}_personal_data",
            ),
            path("<path:object_id>/erase/", view(self.erase_view), name=f"{prefix}_erase"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            "can_export_personal_data": self.has_change_permission(request),
            "can_erase": self.has_delete_permission(request),
            "personal_data_url": f"admin:{self.opts.app_label}_{self.opts.model_name}",
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def personal_data_view(self, request, object_id, file_format):
        record = self._record(request, object_id, self.has_change_permission)
        if file_format not in ("json", "csv"):
            raise Http404
        self.log_change(request, record, f"Exported personal data ({file_format.upper()})")
        return personal_data_response(record, file_format)

    def erase_view(self, request, object_id):
        """GET: what erasing this person changes and keeps. POST: erase them."""
        record = self._record(request, object_id, self.has_delete_permission)
        change_url = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        if request.method == "POST":
            try:
                done = erase(record, user=request.user)
            except ValueError as error:
                messages.error(request, str(error))
                return redirect(change_url, record.pk)
            _log_erasure(request, record)
            rows = sum(done.values())
            messages.success(
                request,
                f"Personal data of {self.opts.verbose_name} #{record.pk} erased: {rows:,} "
                "row(s) changed or deleted.",
            )
            return redirect(change_url, record.pk)
        person, found = preview(record)
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase personal data",
            "opts": self.opts,
            "original": record,
            "person": person,
            "found": found,
            "change_url": change_url,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/contacts/erase_confirm.html", context)

    def delete_model(self, request, obj):
        _erase_before_deleting(obj, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        erase_many(list(queryset), user=request.user, alone=True)
        super().delete_queryset(request, queryset)

    def log_deletions(self, request, queryset):
        """The admin log keeps that a record was deleted, never whose it was."""
        content_type = ContentType.objects.get_for_model(self.model)
        return LogEntry.objects.bulk_create(
            [
                LogEntry(
                    user_id=request.user.pk,
                    content_type=content_type,
                    object_id=str(obj.pk),
                    object_repr=f"Deleted {self.opts.verbose_name} #{obj.pk}",
                    action_flag=DELETION,
                )
                for obj in queryset
            ]
        )

    def _record(self, request, object_id, has_permission):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404
        if not has_permission(request, record):
            raise PermissionDenied
        return record


def _erase_before_deleting(obj, user):
    erase_many([obj], user=user, alone=True)  # nothing when erased already


def _log_erasure(request, record):
    LogEntry.objects.create(
        user_id=request.user.pk,
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        object_repr=f"Erased {record._meta.verbose_name} #{record.pk}",
        action_flag=CHANGE,
        change_message="Erased personal data on request",
    )
