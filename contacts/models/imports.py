import hashlib

from django.conf import settings
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from contacts.models.media import MediaList, normalize_email


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


ERASED_REASON = "erased on request"


def any_of(values, db_type):
    """The right side of an `__in` lookup on many `values`, for the import's batch queries. On
    PostgreSQL one array parameter, `IN (SELECT unnest(%s::db_type[]))`, which the driver
    adapts in C: Django would prepare each value of a list in Python, seconds over a
    100,000-row import. Elsewhere the list itself."""
    values = list(values)
    if connection.vendor == "postgresql" and values:
        return RawSQL(f"SELECT unnest(%s::{db_type}[])", [values])
    return values


class ErasedAddressQuerySet(models.QuerySet):
    def remember(self, email, reason=ERASED_REASON):
        """Keep `email` out of every future import. Call it when a contact is erased."""
        self.get_or_create(digest=ErasedAddress.digest_of(email), defaults={"reason": reason})

    def among(self, emails):
        """{email: why it is kept out} for those of `emails` no import may bring back."""
        digests = {ErasedAddress.digest_of(email): email for email in emails}
        found = self.filter(digest__in=any_of(digests, "text")).values_list("digest", "reason")
        return {digests[digest]: reason for digest, reason in found}


class ErasedAddress(models.Model):
    """The address of a contact erased on request (or deleted while do-not-contact), kept only
    as its SHA-256 digest: enough to recognise it in an imported file and never bring the
    person back, not enough to write to. (A plain digest rather than an HMAC, so that rotating
    SECRET_KEY can't forget anyone.)"""

    digest = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=100, default=ERASED_REASON)
    erased_at = models.DateTimeField(default=timezone.now)

    objects = ErasedAddressQuerySet.as_manager()

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"Erased address {self.digest[:12]}…"

    @staticmethod
    def digest_of(email):
        return hashlib.sha256(normalize_email(email).encode()).hexdigest()
