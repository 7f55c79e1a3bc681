from django.conf import settings
from django.db import models
from django.utils import timezone

from contacts.models.mailings import Delivery


class EmbargoRevocation(models.Model):
    """A recipient's embargo link taken back: from now on it opens nothing. The link itself is
    not stored (it is signed, see contacts/embargo.py), so taking it back is a row of its own."""

    delivery = models.OneToOneField(
        Delivery, on_delete=models.CASCADE, related_name="embargo_revocation"
    )
    revoked_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-revoked_at"]

    def __str__(self):
        return f"Embargo link of {self.delivery.email} revoked"
