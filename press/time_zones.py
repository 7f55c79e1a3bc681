"""Time zones as editors pick them for datelines and press offices."""

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone.")


def available_time_zones():
    """The IANA names, sorted, as editors pick them."""
    return sorted(zoneinfo.available_timezones())


class TimeZoneField(models.CharField):
    """An IANA time zone name, picked from a list in forms. The list is built for the form,
    not stored in migrations, so a tzdata update needs no migration."""

    default_validators = [validate_time_zone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("default", "UTC")
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        choices = [(name, name) for name in available_time_zones()]
        if self.blank:  # a zone not known yet (a journalist's), rather than a wrong one
            choices = [("", "—"), *choices]
        return forms.TypedChoiceField(
            choices=choices,
            label=kwargs.get("label") or self.verbose_name.capitalize(),
            help_text=self.help_text,
            required=not self.blank,
            initial=self.default,
        )


def format_time(value, zone_name):
    """A time as editors read it, never ambiguous: in the zone named `zone_name`, with its UTC
    offset, and in UTC: "Wed 01 May 2030, 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC"."""
    if value is None:
        return ""
    local = timezone.localtime(value, zoneinfo.ZoneInfo(zone_name))
    utc = timezone.localtime(value, datetime.UTC)
    if local.utcoffset() == datetime.timedelta(0) and zone_name in ("UTC", "Etc/UTC"):
        return f"{local:%a %d %b %Y, %H:%M} UTC"
    offset = f"{local:%z}"
    return (
        f"{local:%a %d %b %Y, %H:%M} {zone_name} (UTC{offset[:3]}:{offset[3:]}) = {utc:%H:%M} UTC"
    )
