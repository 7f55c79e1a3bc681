"""Contact imports: each upload's job (its file, the mapping of its columns, what the check
found and the write did), and the mappings remembered per source of files."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from contacts.models.media import MediaList
from contacts.models.suppressions import Suppression

# A checked import nobody confirmed is discarded after this long, its upload deleted.
UNCONFIRMED_FOR = datetime.timedelta(days=1)
# The report keeps this many invalid and skipped rows each; the counts are always exact.
REPORTED_ROWS = 1000


class ImportJobQuerySet(models.QuerySet):
    def discard_unconfirmed(self):
        """Imports nobody mapped or confirmed within UNCONFIRMED_FOR fail, their uploads
        deleted (a hundred at a time: this runs on the upload page)."""
        cutoff = timezone.now() - UNCONFIRMED_FOR
        waiting = [ImportJob.Status.MAPPING, ImportJob.Status.CHECKED]
        for job in self.filter(status__in=waiting, created_at__lt=cutoff)[:100]:
            job.fail("Not confirmed within a day: discarded, nothing was imported.")


class ImportJob(models.Model):
    """One upload of a contacts file: its columns mapped to fields, checked (a dry run), then
    written on confirmation. Large files are read, checked and written by the `run_import`
    task; the page polls this row."""

    class Kind(models.TextChoices):
        CONTACTS = "contacts", "Media contacts"
        SUPPRESSIONS = "suppressions", "A suppression list: addresses never to be mailed"

    class Status(models.TextChoices):
        READING = "reading", "Reading the file"
        MAPPING = "mapping", "Waiting for its columns to be mapped"
        CHECKING = "checking", "Checking the file"
        CHECKED = "checked", "Checked: waiting for confirmation"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing imported"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONTACTS)
    file = models.FileField(upload_to="contact-imports/", blank=True)
    file_name = models.CharField(max_length=255, help_text="The name of the file as uploaded.")
    format = models.CharField(max_length=10, choices=Format.choices)
    # The file's first rows (HEAD_ROWS), for the mapping page; emptied with the upload.
    head = models.JSONField(default=list, blank=True)
    header_row = models.PositiveSmallIntegerField(
        default=1, help_text="The row naming the columns."
    )
    # The field each column fills, in column order, "" for a column read past.
    columns = models.JSONField(default=list, blank=True)
    suppression_reason = models.CharField(
        max_length=20,
        choices=Suppression.Reason.choices,
        default=Suppression.Reason.OPTED_OUT,
        help_text="Why the addresses of a suppression list are suppressed.",
    )
    media_list = models.ForeignKey(
        MediaList, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_jobs"
    )
    import_valid_rows = models.BooleanField(
        default=False, help_text="Import the valid rows even if some rows are invalid."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.READING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    invalid_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    joined_list_count = models.PositiveIntegerField(default=0)
    new_outlet_count = models.PositiveIntegerField(default=0)
    # [{"row": 7, "reason": "invalid email"}, ...], the first few hundred of each kind.
    invalid_rows = models.JSONField(default=list, blank=True)
    skipped_rows = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True, help_text="Why nothing was imported, if so.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("admin:contacts_mediacontact_import_job", args=[self.pk])

    @property
    def is_running(self):
        return self.status in (self.Status.READING, self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def is_suppression_list(self):
        return self.kind == self.Kind.SUPPRESSIONS

    @property
    def fields(self):
        """The field each column fills, None for a column read past."""
        return [name or None for name in self.columns]

    def ready_to_map(self, head, total_rows=None):
        """Read → waiting for its mapping, with the file's first rows (and its number of rows,
        when the reading counted them)."""
        self.head, self.status = head, self.Status.MAPPING
        self.total_rows = self.total_rows if total_rows is None else total_rows
        self.save(update_fields=["head", "status", "total_rows"])

    def map_columns(self, header_row, columns, total_rows):
        """Mapped → checking: the row naming the columns, the field of each column ("" to read
        past it), the rows below. False if it was mapped or discarded already (one
        conditional UPDATE: a second click checks nothing twice)."""
        mapped = ImportJob.objects.filter(pk=self.pk, status=self.Status.MAPPING).update(
            status=self.Status.CHECKING,
            header_row=header_row,
            columns=columns,
            total_rows=total_rows,
            processed_rows=0,
        )
        if mapped:
            self.refresh_from_db()
        return bool(mapped)

    @property
    def percent_done(self):
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def writable(self):
        """The rows the write would store: contacts new, updated or unchanged (they may join a
        list); addresses not suppressed yet."""
        if self.is_suppression_list:
            return self.new_count
        return self.new_count + self.updated_count + self.unchanged_count

    @property
    def can_import(self):
        """Checked, with something to write, and either no invalid rows or the user's
        permission to skip them."""
        return (
            self.status == self.Status.CHECKED
            and self.writable > 0
            and (self.invalid_count == 0 or self.import_valid_rows)
        )

    def confirm(self, valid_rows_only=False):
        """Checked → importing, on the user's confirmation; False if it was confirmed or
        discarded already (claimed in one UPDATE, so a second click, or a second tab, can't
        import twice). Raises ValueError, with a message for editors, when the file has invalid
        rows and nobody chose to import the valid ones."""
        valid_rows_only = self.import_valid_rows or valid_rows_only
        if self.invalid_count and not valid_rows_only:
            raise ValueError("The file has invalid rows: nothing was imported.")
        claimed = ImportJob.objects.filter(pk=self.pk, status=self.Status.CHECKED).update(
            status=self.Status.IMPORTING, processed_rows=0, import_valid_rows=valid_rows_only
        )
        if claimed:
            self.refresh_from_db()
        return bool(claimed)

    def report(self, plan, status, message=""):
        """What the check or the write found (`plan`, of contacts/imports/plan.py), and where
        that leaves the job: checked, done, or failed with `message`."""
        self.status, self.message = status, message
        self.total_rows = self.processed_rows = plan.rows
        self.new_count, self.updated_count = len(plan.new), len(plan.updated)
        self.unchanged_count, self.invalid_count = len(plan.unchanged), len(plan.invalid)
        self.skipped_count, self.joined_list_count = len(plan.skipped), plan.joining
        self.new_outlet_count = len(plan.new_outlets)
        self.invalid_rows = [{"row": n, "reason": r} for n, r in plan.invalid[:REPORTED_ROWS]]
        self.skipped_rows = [{"row": n, "reason": r} for n, r in plan.skipped[:REPORTED_ROWS]]
        if status != self.Status.CHECKED:
            self.finished_at = timezone.now()
        self.save()

    def discard(self):
        """Drop an import waiting for its mapping or its confirmation; False if it is no longer
        waiting."""
        if self.status not in (self.Status.MAPPING, self.Status.CHECKED):
            return False
        self.fail("Discarded: nothing was imported.")
        return True

    def fail(self, message):
        """Nothing imported, and why (`message`); the upload is deleted."""
        self.delete_upload()
        self.status, self.message, self.finished_at = self.Status.FAILED, message, timezone.now()
        self.save()

    def stop(self):
        """The worker running the import stopped (killed, out of memory on a huge file): the
        job fails with the reason, its upload is deleted, and the page offers a new upload.
        Nothing was written: the write is one transaction."""
        if not self.is_running:
            return
        doing = {"reading": "reading", "checking": "checking"}.get(self.status, "importing")
        failed = ImportJob.objects.filter(pk=self.pk, status=self.status).update(
            status=self.Status.FAILED,
            message=f"The worker stopped while {doing} this file: nothing was imported. Upload "
            "it again; if it stops again, the file may be too big for the worker: split it.",
            finished_at=timezone.now(),
            file="",
            head=[],
        )
        if failed and self.file:
            self.file.delete(save=False)

    def delete_upload(self):
        """The upload holds journalists' personal data: gone as soon as it's no longer needed,
        with the first rows kept for the mapping page."""
        had_file = bool(self.file)
        if had_file:
            self.file.delete(save=False)
        if had_file or self.head:
            self.head = []
            ImportJob.objects.filter(pk=self.pk).update(file="", head=[])


class ImportMapping(models.Model):
    """Which field each column of a source's files fills, remembered from the mapping step so
    that the next file from that source is mapped at once. Presets for common exports are
    shipped (contacts/imports/presets.py) and follow the code until someone edits them."""

    name = models.CharField(
        max_length=100, unique=True, help_text="The source of the files: “Cision”, “Our old CRM”."
    )
    kind = models.CharField(
        max_length=20, choices=ImportJob.Kind.choices, default=ImportJob.Kind.CONTACTS
    )
    # {"heading as the file writes it": "field", or "" for a column to read past}
    columns = models.JSONField(default=dict, blank=True)
    preset = models.CharField(
        max_length=50, blank=True, editable=False, help_text="The preset it was shipped as."
    )
    edited = models.BooleanField(
        default=False,
        editable=False,
        help_text="Changed by staff: a new version no longer updates it.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["preset"], condition=~models.Q(preset=""), name="one_mapping_per_preset"
            )
        ]

    def __str__(self):
        return self.name
