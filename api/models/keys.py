"""API keys: issued in the admin, shown once, kept only as a hash. A key lifts its holder's
rate limit from the anonymous one to its own."""

import hashlib
import secrets

from django.db import models

PREFIX = "nrk_"


def digest(key):
    """The stored form of a key. A key is 32 random bytes, so a plain SHA-256 is enough: no
    dictionary to try, and the lookup stays one indexed query per request."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def holding(self, key):
        """The active key `key` is, or None. One query."""
        if not key or not key.startswith(PREFIX):
            return None
        return self.filter(hashed=digest(key), is_active=True).first()


class ApiKey(models.Model):
    name = models.CharField(
        max_length=200, help_text='Who holds the key: "City of Houston web team".'
    )
    prefix = models.CharField(
        max_length=12, editable=False, help_text="The key's first characters, to recognise it."
    )
    hashed = models.CharField(max_length=64, unique=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(
        default=600, help_text="How many requests a minute the key may make."
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Untick to stop the key working at once."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def issue(self):
        """A new secret for this key, returned once: only its hash is kept."""
        key = PREFIX + secrets.token_urlsafe(32)
        self.prefix, self.hashed = key[: len(PREFIX) + 6], digest(key)
        return key

    @property
    def rate(self):
        """The limit in the throttle's notation."""
        return f"{self.requests_per_minute}/min"
