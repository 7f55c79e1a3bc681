"""Helpers of the import tests: files made in the test, uploaded and confirmed through the
admin."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from contacts.models import ImportJob, MediaContact

IMPORT_URL = "/admin/contacts/mediacontact/import/"
HEADINGS = "Email,First name,Last name,Outlet,Job title,Beats,Regions,Do not contact"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def csv_file(*lines, encoding="utf-8", name="contacts.csv", headings=HEADINGS):
    text = "\r\n".join([headings, *lines]) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="contacts.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, file, columns=None, **fields):
    """Upload `file`, accept the suggested mapping of its columns (`columns` overrides some:
    {"column_3": "phone"}) and check it; the import job, and the page showing the check."""
    response = client.post(IMPORT_URL, {"file": file, "format": "auto", **fields}, follow=True)
    assert response.status_code == 200
    job = ImportJob.objects.latest("pk")
    if job.status != ImportJob.Status.MAPPING:  # a big workbook, read in the background
        assert response.redirect_chain == [(f"{IMPORT_URL}{job.pk}/", 302)]
        return job, response.content.decode()
    assert response.redirect_chain == [(f"{IMPORT_URL}{job.pk}/columns/", 302)]
    response = map_columns(client, job, response, columns)
    job.refresh_from_db()
    assert response.redirect_chain == [(f"{IMPORT_URL}{job.pk}/", 302)]
    return job, response.content.decode()


def map_columns(client, job, page, columns=None, **data):
    """Post the mapping `page` (a response) suggests, with `columns` changed."""
    form = page.context["form"]
    pairs = zip(form.columns, form.suggested, strict=True)
    chosen = {f"column_{column.index}": name for column, name in pairs}
    data = {"header_row": page.context["header_row"], **chosen, **(columns or {}), **data}
    response = client.post(f"{IMPORT_URL}{job.pk}/columns/", data, follow=True)
    assert response.status_code == 200
    return response


def confirm(client, job, **fields):
    response = client.post(f"/admin/contacts/mediacontact/import/{job.pk}/confirm/", fields)
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def counts(job):
    return (job.new_count, job.updated_count, job.unchanged_count, job.invalid_count)


def names():
    return sorted(MediaContact.objects.values_list("first_name", "last_name", "email"))
