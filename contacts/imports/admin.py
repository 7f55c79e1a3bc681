"""The import pages of the media contacts admin, and the admin of past imports.

upload (import/) → the check, a dry run (import/<id>/: counts of new, updated, unchanged,
invalid and skipped rows, and every invalid row with its number and reason) → confirm
(import/<id>/confirm/, POST) → the result on the same page. A file of more than
CONTACTS_IMPORT_BACKGROUND_ROWS rows is checked and written by the `run_import` task; meanwhile
the page reloads itself every two seconds to show the progress.
"""

import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from contacts.imports.columns import import_headings
from contacts.imports.forms import ContactImportForm
from contacts.imports.reading import background_rows
from contacts.imports.tasks import start
from contacts.models import ImportJob


class ImportViews:
    """Mixed into MediaContactAdmin, which defines `has_import_permission`."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="contacts_mediacontact_import"),
            path(
                "import/<int:job_id>/",
                view(self.import_job_view),
                name="contacts_mediacontact_import_job",
            ),
            path(
                "import/<int:job_id>/confirm/",
                view(require_POST(self.import_confirm_view)),
                name="contacts_mediacontact_import_confirm",
            ),
            path(
                "import/<int:job_id>/discard/",
                view(require_POST(self.import_discard_view)),
                name="contacts_mediacontact_import_discard",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        ImportJob.objects.discard_unconfirmed()
        form = ContactImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = ImportJob(
                file_name=upload.name[:255],
                format=form.upload.format,
                media_list=form.cleaned_data["media_list"],
                import_valid_rows=form.cleaned_data["import_valid_rows"],
                total_rows=form.upload.row_count,
                created_by=request.user,
            )
            # A random name: the upload is personal data and must not be guessable.
            job.file.save(f"{uuid.uuid4().hex}.{job.format}", upload, save=False)
            job.save()
            start(job)
            return redirect(job)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import media contacts",
            "opts": self.model._meta,
            "form": form,
            "columns": import_headings(),
            "background_rows": background_rows(),
            "recent_jobs": ImportJob.objects.select_related("created_by")[:5],
        }
        return TemplateResponse(request, "admin/contacts/mediacontact/import_form.html", context)

    def import_job_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob.objects.select_related("media_list"), pk=job_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import of {job.file_name}",
            "opts": self.model._meta,
            "job": job,
            "writable": job.new_count + job.updated_count + job.unchanged_count,
        }
        return TemplateResponse(request, "admin/contacts/mediacontact/import_job.html", context)

    def import_confirm_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        try:
            confirmed = job.confirm(request.POST.get("import_valid_rows") == "on")
        except ValueError as error:
            messages.error(request, str(error))
            return redirect(job)
        if not confirmed:
            messages.warning(request, "This import was already confirmed or discarded.")
            return redirect(job)
        start(job)
        return redirect(job)

    def import_discard_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        if job.discard():
            messages.success(request, f"Discarded the import of {job.file_name}.")
        return redirect("admin:contacts_mediacontact_import")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Past imports, to look back at what each one did. Read-only."""

    list_display = [
        "report",
        "status",
        "new_count",
        "updated_count",
        "unchanged_count",
        "invalid_count",
        "skipped_count",
        "media_list",
        "created_by",
        "created_at",
    ]
    list_display_links = None
    list_filter = ["status"]
    list_select_related = ["media_list", "created_by"]

    @admin.display(description="File", ordering="file_name")
    def report(self, job):
        return format_html('<a href="{}">{}</a>', job.get_absolute_url(), job.file_name)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
