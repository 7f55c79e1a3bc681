"""Corrections: what readers are told was corrected in a published release, one record each
(when, what, who). Written only by Release.correct(). They are not part of a release's
versions, so a revert restores what the release says and leaves its corrections as they are:
a correction always keeps its note."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections readers see: those made once the release was public. Before its
        publication time nobody had read the text corrected."""
        return self.filter(created_at__gte=F("release__published_at"))


class Correction(models.Model):
    release = models.ForeignKey("Release", on_delete=models.CASCADE, related_name="corrections")
    note = models.CharField(
        max_length=300, help_text='Shown on the public page as "Updated <date>: <note>".'
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="correction_has_a_note")]

    def __str__(self):
        return f"{self.release}: {self.note}"
