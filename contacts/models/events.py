"""What happened to an email after it left: provider events (delivered, bounced, complained),
opens (a pixel or the provider's estimate), clicks through the signed redirects, opt-outs.
One row per event, kept for the retention period set in settings."""

from django.db import models
from django.utils import timezone

from contacts.models.mailings import Delivery


class DeliveryEvent(models.Model):
    class Kind(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        SOFT_BOUNCE = "soft_bounce", "Soft bounce"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Marked as spam"
        OPENED = "opened", "Opened"
        CLICKED = "clicked", "Clicked"
        UNSUBSCRIBED = "unsubscribed", "Opted out"

    class Source(models.TextChoices):
        PROVIDER = "provider", "Email provider"
        PIXEL = "pixel", "Tracking pixel"
        REDIRECT = "redirect", "Link redirect"
        NEWSROOM = "newsroom", "Newsroom"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    at = models.DateTimeField(default=timezone.now)
    url = models.URLField(max_length=2000, blank=True, help_text="The link clicked.")
    provider_event_id = models.CharField(
        max_length=200, blank=True, help_text="The provider's id: a webhook sent twice counts once."
    )
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["delivery", "kind"], name="event_delivery_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_event_id"],
                condition=~models.Q(provider_event_id=""),
                name="one_row_per_provider_event",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
