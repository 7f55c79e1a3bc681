import zoneinfo

from django.db import models
from django.utils import timezone

from press.time_zones import TimeZoneField


class PressOffice(models.Model):
    """One of the organization's regional press offices, shown on every release."""

    name = models.CharField(max_length=100, help_text='The city or region: "New York City".')
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    time_zone = TimeZoneField(help_text="Shown beside the office so callers know its local time.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def time_zone_label(self):
        """ "America/New_York (UTC-05:00)", with today's offset."""
        offset = timezone.localtime(timezone.now(), self.tz).strftime("%z")
        return f"{self.time_zone.replace('_', ' ')} (UTC{offset[:3]}:{offset[3:]})"


class PressContactQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def by_office(self):
        """Contacts without an office (the global ones) first, then office by office."""
        return self.select_related("office").order_by(
            models.F("office__order").asc(nulls_first=True), "office__name", "order", "name"
        )


class PressContact(models.Model):
    office = models.ForeignKey(
        PressOffice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="Leave empty for the organization's global press contact.",
    )
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_public = models.BooleanField(
        "public", default=True, help_text="Shown in the Press Contacts block on every release."
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = PressContactQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
