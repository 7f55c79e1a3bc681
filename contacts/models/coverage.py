"""Coverage: articles and broadcasts that reported on a release, recorded by staff. The release
admin shows them (wired in newsroom/admin.py: press knows nothing of contacts)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone

from contacts.models.media import Outlet
from press.models import Release


class Coverage(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="coverage")
    url = models.URLField("address", max_length=2000, help_text="The article's own address.")
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coverage",
        help_text="One of your outlets, if it is one.",
    )
    outlet_name = models.CharField(
        max_length=200, blank=True, help_text="Otherwise its name, as it calls itself."
    )
    published_on = models.DateField("published", help_text="The article's date.")
    title = models.CharField(max_length=500, blank=True, help_text="Its headline (optional).")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name_plural = "coverage"
        constraints = [
            # The same article recorded twice for a release would count twice.
            models.UniqueConstraint(fields=["release", "url"], name="one_coverage_per_article")
        ]

    def __str__(self):
        return self.title or self.url

    @property
    def outlet_label(self):
        """The outlet's name, the name typed, or the site's (select_related "outlet")."""
        if self.outlet_id:
            return self.outlet.name
        return self.outlet_name or urlsplit(self.url).hostname or ""
