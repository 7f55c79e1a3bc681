"""The import pages of the media contacts admin, and the admin of past imports and of the
remembered mappings.

upload (import/) → the mapping (import/<id>/columns/: the row naming the columns, the field
each column fills or none, the first rows as they would be stored) → the check, a dry run
(import/<id>/: counts of new, updated, unchanged, invalid and skipped rows, and every invalid
row with its number and reason) → confirm (import/<id>/confirm/, POST) → the result on the same
page. A file of more than CONTACTS_IMPORT_BACKGROUND_ROWS rows is checked and written by the
`run_import` task, and a big workbook's first rows are read by it too; meanwhile the page
reloads itself every two seconds to show the progress. A suppression list goes the same way.
"""

import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from contacts.imports import mapping
from contacts.imports.columns import field_choices
from contacts.imports.forms import ColumnsForm, ContactImportForm, MappingAdminForm
from contacts.imports.reading import background_rows
from contacts.imports.rows import blank, text
from contacts.imports.tasks import start
from contacts.models import ImportJob, ImportMapping


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
                "import/<int:job_id>/columns/",
                view(self.import_columns_view),
                name="contacts_mediacontact_import_columns",
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
            upload, data = form.cleaned_data["file"], form.cleaned_data
            job = ImportJob(
                kind=data["kind"],
                suppression_reason=data["suppression_reason"],
                file_name=upload.name[:255],
                format=form.upload.format,
                media_list=data["media_list"],
                import_valid_rows=data["import_valid_rows"],
                total_rows=form.upload.row_count,
                created_by=request.user,
            )
            if form.upload.head is not None:
                job.head, job.status = form.upload.head, ImportJob.Status.MAPPING
            # A random name: the upload is personal data and must not be guessable.
            job.file.save(f"{uuid.uuid4().hex}.{job.format}", upload, save=False)
            job.save()
            if job.status == ImportJob.Status.READING:
                start(job)  # a big workbook: its first rows are read in the background
                return redirect(job)
            return redirect("admin:contacts_mediacontact_import_columns", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import media contacts",
            "opts": self.model._meta,
            "form": form,
            "fields": [label for _, label in field_choices(ImportJob.Kind.CONTACTS)],
            "background_rows": background_rows(),
            "recent_jobs": ImportJob.objects.select_related("created_by")[:5],
        }
        return TemplateResponse(request, "admin/contacts/mediacontact/import_form.html", context)

    def import_job_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob.objects.select_related("media_list"), pk=job_id)
        if job.status == ImportJob.Status.MAPPING:
            return redirect("admin:contacts_mediacontact_import_columns", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import of {job.file_name}",
            "opts": self.model._meta,
            "job": job,
            "writable": job.writable,
        }
        return TemplateResponse(request, "admin/contacts/mediacontact/import_job.html", context)

    def import_columns_view(self, request, job_id):
        """The mapping step: GET suggests (the heading row and a remembered mapping may be
        chosen: ?row=3&mapping=2, or mapping=none); POST with "preview" shows the first rows as
        the chosen fields would store them, otherwise starts the check."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        if job.status != ImportJob.Status.MAPPING:
            return redirect(job)
        header_row = number(request.POST.get("header_row") or request.GET.get("row"))
        if not 1 <= header_row <= min(len(job.head), mapping.HEADER_WITHIN):
            header_row = mapping.guess_header_row(job.head)
        columns = mapping.columns_of(job.head, header_row)
        mappings = ImportMapping.objects.filter(kind=job.kind)
        chosen = request.GET.get("mapping")
        if chosen is None:
            remembered = mapping.remembered_mapping(columns, job.kind)
        else:
            remembered = mappings.filter(pk=number(chosen)).first()
        form = ColumnsForm(
            request.POST or None,
            columns=columns,
            kind=job.kind,
            initial={"header_row": header_row},
            suggested=mapping.suggest(columns, job.kind, remembered),
        )
        if form.is_valid() and "preview" not in request.POST:
            form.remember(request.user)
            above = sum(1 for row in job.head[1:header_row] if not blank(row))
            total = max(job.total_rows - above, 0)
            if job.map_columns(header_row, form.chosen_fields(), total):
                start(job)
            return redirect(job)
        fields = form.chosen_fields() if form.is_bound else form.suggested
        context = {
            **self.admin_site.each_context(request),
            "title": f"Columns of {job.file_name}",
            "opts": self.model._meta,
            "job": job,
            "form": form,
            "header_row": header_row,
            "header_rows": [
                (n, ", ".join(filter(None, map(text, row)))[:80])
                for n, row in enumerate(job.head[: mapping.HEADER_WITHIN], start=1)
            ],
            "mappings": mappings,
            "remembered": remembered,
            "preview": mapping.preview(job.head, header_row, fields, job.kind),
        }
        return TemplateResponse(request, "admin/contacts/mediacontact/import_columns.html", context)

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


def number(value):
    """A whole number from the query or the form; 0 if it is none."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Past imports, to look back at what each one did. Read-only."""

    list_display = [
        "report",
        "kind",
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
    list_filter = ["kind", "status"]
    list_select_related = ["media_list", "created_by"]

    @admin.display(description="File", ordering="file_name")
    def report(self, job):
        return format_html('<a href="{}">{}</a>', job.get_absolute_url(), job.file_name)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    """The mappings remembered from the mapping step and the shipped presets, editable."""

    form = MappingAdminForm
    list_display = ["name", "kind", "headings", "preset", "updated_by", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    fields = ["name", "kind", "columns"]

    @admin.display(description="Columns")
    def headings(self, mapping):
        return len(mapping.columns)

    def save_model(self, request, obj, form, change):
        obj.edited, obj.updated_by = True, request.user
        super().save_model(request, obj, form, change)
