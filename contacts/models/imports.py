import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from contacts.models.media import MediaList

# A checked import nobody confirmed is discarded after this long, its upload deleted.
UNCONFIRMED_FOR = datetime.timedelta(days=1)
# The report keeps this many invalid and skipped rows each; the counts are always exact.
REPORTED_ROWS = 1000


class ImportJobQuerySet(models.QuerySet):
    def discard_unconfirmed(self):
        """Checked imports nobody confirmed within UNCONFIRMED_FOR fail, their uploads deleted
        (a hundred at a time: this runs on the upload page)."""
        cutoff = timezone.now() - UNCONFIRMED_FOR
        for job in self.filter(status=ImportJob.Status.CHECKED, created_at__lt=cutoff)[:100]:
            job.fail("Not confirmed within a day: discarded, nothing was imported.")


class ImportJob(models.Model):
    """One upload of a contacts file: checked first (the preview), then written on confirmation.
    Large files are checked and written by the `run_import` task; the page polls this row."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking the file"
        CHECKED = "checked", "Checked: waiting for confirmation"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing imported"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    file = models.FileField(upload_to="contact-imports/", blank=True)
    file_name = models.CharField(max_length=255, help_text="The name of the file as uploaded.")
    format = models.CharField(max_length=10, choices=Format.choices)
    media_list = models.ForeignKey(
        MediaList, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_jobs"
    )
    import_valid_rows = models.BooleanField(
        default=False, help_text="Import the valid rows even if some rows are invalid."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
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
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def percent_done(self):
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def can_import(self):
        """Checked, with something to write, and either no invalid rows or the user's
        permission to skip them."""
        writable = self.new_count + self.updated_count + self.unchanged_count
        return (
            self.status == self.Status.CHECKED
            and writable > 0
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
        """Drop a checked import instead of confirming it; False if it is no longer waiting."""
        if self.status != self.Status.CHECKED:
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
        doing = "checking" if self.status == self.Status.CHECKING else "importing"
        failed = ImportJob.objects.filter(pk=self.pk, status=self.status).update(
            status=self.Status.FAILED,
            message=f"The worker stopped while {doing} this file: nothing was imported. Upload "
            "it again; if it stops again, the file may be too big for the worker: split it.",
            finished_at=timezone.now(),
            file="",
        )
        if failed and self.file:
            self.file.delete(save=False)

    def delete_upload(self):
        """The upload holds journalists' personal data: gone as soon as it's no longer needed."""
        if self.file:
            self.file.delete(save=False)
            ImportJob.objects.filter(pk=self.pk).update(file="")
