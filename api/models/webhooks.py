"""Partners' webhook endpoints, what they have been told about each release, and each message
sent to them with its attempts.

Deliveries follow the Standard Webhooks spec (api/signing.py): one message id per event and
endpoint, the same on every attempt, so a partner drops the duplicates. A message that does not
get a 2xx answer is tried again on RETRY_AFTER's schedule, about a day in all; when it runs out
the endpoint is disabled and staff are told by email (Endpoint.disable).
"""

import base64
import datetime
import secrets
import uuid

from django.core.mail import mail_admins
from django.db import models
from django.utils import timezone

from api.addresses import validate_webhook_url

# Waits before each attempt after the first: Standard Webhooks' own schedule, shortened to
# about a day (17.6 hours) in all.
RETRY_AFTER = [
    datetime.timedelta(seconds=5),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=5),
    datetime.timedelta(hours=10),
]


class Event(models.TextChoices):
    PUBLISHED = "release.published", "Published (scheduled releases at their minute)"
    UPDATED = "release.updated", "Updated while public"
    CORRECTED = "release.corrected", "Corrected"
    UNPUBLISHED = "release.unpublished", "Unpublished, archived, expired or deleted"


def all_events():
    return list(Event.values)


def new_secret():
    """A signing secret as Standard Webhooks writes them: whsec_ and 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class EndpointQuerySet(models.QuerySet):
    def listening(self, event):
        """The active endpoints that asked for `event`. Endpoints are few: filtered here, so
        the JSON list needs no database support."""
        return [endpoint for endpoint in self.filter(is_active=True) if event in endpoint.events]


class Endpoint(models.Model):
    name = models.CharField(max_length=200, help_text='The partner: "Houston city website".')
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[validate_webhook_url],
        help_text="Where events are posted. It must reach the public internet: private, "
        "loopback and cloud metadata addresses are refused. Redirects are not followed.",
    )
    secret = models.CharField(
        max_length=100,
        default=new_secret,
        help_text="Give this to the partner: it verifies each message's signature with it.",
    )
    events = models.JSONField(default=all_events, help_text="The events posted to this URL.")
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Disabled by itself when a message fails for a day; tick again once fixed.",
    )
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.name

    def disable(self, reason):
        """Stop posting here, and tell staff why."""
        updated = Endpoint.objects.filter(pk=self.pk, is_active=True).update(
            is_active=False, disabled_reason=reason[:300]
        )
        self.is_active, self.disabled_reason = False, reason[:300]
        if updated:
            mail_admins(
                f"Webhook endpoint disabled: {self.name}",
                f"The webhook endpoint “{self.name}” ({self.url}) was disabled: {reason}\n\n"
                "Its messages stay in the admin with every attempt. Tick “active” again once "
                "the partner has fixed their side; new events are then posted again.",
            )


class Delivery(models.Model):
    """One event posted to one endpoint, tried until it gets a 2xx answer or runs out of
    retries."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40, unique=True, editable=False)
    event = models.CharField(max_length=30, choices=Event.choices)
    release_id = models.BigIntegerField(help_text="The release the event is about.")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            # Each turn of the dispatcher: the pending messages whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="delivery_due_idx",
            )
        ]

    def __str__(self):
        return f"{self.event} to {self.endpoint}"

    def save(self, *args, **kwargs):
        if not self.message_id:
            self.message_id = f"msg_{uuid.uuid4().hex}"
        super().save(*args, **kwargs)

    def record(self, status_code=None, milliseconds=None, error="", now=None):
        """Write down one attempt and what follows: delivered on a 2xx, else the next try
        (returned, a time) or, out of retries, failed and the endpoint disabled."""
        now = now or timezone.now()
        Attempt.objects.create(
            delivery=self,
            started_at=now,
            status_code=status_code,
            response_ms=milliseconds,
            error=error[:300],
        )
        self.attempts += 1
        if status_code is not None and 200 <= status_code < 300:
            self.status, self.next_attempt_at = self.Status.DELIVERED, None
        elif self.attempts <= len(RETRY_AFTER):
            self.next_attempt_at = now + RETRY_AFTER[self.attempts - 1]
        else:
            self.status, self.next_attempt_at = self.Status.FAILED, None
            self.endpoint.disable(
                f"message {self.message_id} ({self.event}) failed {self.attempts} times over "
                f"a day; the last: {error or f'HTTP {status_code}'}"
            )
        self.save(update_fields=["attempts", "status", "next_attempt_at"])
        return self.next_attempt_at


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField("response time (ms)", null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"{self.delivery}: {self.status_code or self.error}"


class Announced(models.Model):
    """What partners were last told about a release: whether it is public, and the version
    they have. Each turn of the dispatcher compares it with the releases (api/announcing.py),
    so every change is told once, whoever made it and whenever its time came."""

    release_id = models.BigIntegerField(primary_key=True)
    live = models.BooleanField()
    updated_at = models.DateTimeField()
    corrected_at = models.DateTimeField(null=True, blank=True)
    told_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-told_at"]
        verbose_name_plural = "announced"

    def __str__(self):
        return f"release {self.release_id}: {'live' if self.live else 'not live'}"
