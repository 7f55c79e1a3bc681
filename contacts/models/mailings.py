from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from contacts.models.media import MediaContact, MediaList
from contacts.models.subscribers import Subscriber
from press.models import Release


class Mailing(models.Model):
    """One release sent to people: a topic alert to subscribers, or a send to media lists."""

    class Kind(models.TextChoices):
        ALERT = "alert", "Topic alert to subscribers"
        DISTRIBUTION = "distribution", "Send to media"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="mailings")
    subject = models.CharField(max_length=200, blank=True)
    personal_note = models.TextField(blank=True)
    media_lists = models.ManyToManyField(MediaList, blank=True, related_name="mailings")
    contacts = models.ManyToManyField(MediaContact, blank=True, related_name="mailings")
    send_at = models.DateTimeField(null=True, blank=True, help_text="Leave empty to send at once.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A release alerts its subscribers once, however often it is republished.
            models.UniqueConstraint(
                fields=["release"], condition=Q(kind="alert"), name="one_alert_per_release"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.release}"


class DeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Delivery.Status.QUEUED)


class Delivery(models.Model):
    """One email of a mailing to one address. The unique (mailing, email) pair and the claim
    taken before the SMTP call are what make every email go out exactly once."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(max_length=254)
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    contact = models.ForeignKey(
        MediaContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    claimed_by = models.CharField(max_length=100, blank=True)
    # While `sending`: when the claim was taken or last renewed (a live worker renews it every
    # few seconds). Once queued again after a failed attempt: when that attempt was.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the worker began handing this email to the mail server, recorded before the SMTP
    # transaction; empty while the row is claimed but not yet tried.
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["mailing", "email"], name="one_email_per_mailing")
        ]
        indexes = [
            # Workers claim queued deliveries of a mailing in order.
            models.Index(fields=["mailing", "status", "id"], name="delivery_queue_idx"),
            # The dispatcher looks for claims a dead worker stopped renewing.
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="delivery_claims_idx"
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"


class EmbargoOpen(models.Model):
    """A journalist opened an embargoed release through their own link."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="opens")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.delivery.email} at {self.opened_at:%Y-%m-%d %H:%M}"
