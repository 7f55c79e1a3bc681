"""The suppression list: addresses no email may go to, whoever holds them (a media contact, a
subscriber) and whatever the send (a release to media, a topic alert). It outranks every list:
an address on it is left out when a mailing's deliveries are made, and again when each email
is due (contacts/mailings/sending.py), each time as a skipped delivery with the reason.

An address gets here through `Suppression.objects.suppress`, the one way in: an imported
suppression list (opt-outs of an old system), a press officer in the admin, an opt-out link,
a bounce or a complaint. A subscriber's own unsubscribe is not a suppression: they may
subscribe again."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from contacts.models.bulk import any_of
from contacts.models.erased_addresses import ErasedAddress
from contacts.models.media import normalize_email


class SuppressionQuerySet(models.QuerySet):
    def suppress(self, email, reason, source="", user=None):
        """Never mail `email` again: (the suppression, whether it is new). An address already
        suppressed keeps its first reason and source."""
        return self.get_or_create(
            email=normalize_email(email),
            defaults={"reason": reason, "source": source[:200], "created_by": user},
        )

    def covers(self, email):
        """Whether `email` (in any case) must not be mailed."""
        return bool(self.among([email]))

    def among(self, emails):
        """{email: its suppression} for those of `emails` that must not be mailed, in two
        queries; the emails as given. An address erased on request while suppressed is kept
        only as a digest (ErasedAddress): its suppression is an unsaved one, with its reason."""
        wanted = {normalize_email(email): email for email in emails}
        found = self.filter(email__in=any_of(wanted, "text"))
        suppressed = {wanted[suppression.email]: suppression for suppression in found}
        erased = ErasedAddress.objects.suppressed_among(set(wanted) - {s.email for s in found})
        for email, reason in erased.items():
            suppressed[wanted[email]] = Suppression(
                email=email, reason=reason, source="erased on request"
            )
        return suppressed


class Suppression(models.Model):
    """An address that must never be mailed, and why."""

    class Reason(models.TextChoices):
        OPTED_OUT = "opted_out", "Opted out"
        HARD_BOUNCE = "hard_bounce", "Bounced (address does not exist)"
        SOFT_BOUNCES = "soft_bounces", "Bounced again and again"
        COMPLAINT = "complaint", "Reported an email as spam"
        REQUESTED = "requested", "Asked not to be contacted"
        OTHER = "other", "Other"

    email = models.EmailField(
        max_length=254, unique=True, help_text="Stored in lower case; matched whatever its case."
    )
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.OPTED_OUT)
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where it came from: an import, a bounce of a mailing, a phone call.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Every lookup compares lower-cased addresses, so only those may be stored.
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="suppression_email_lower_cased"
            ),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def explanation(self):
        """Why a delivery to this address was skipped, in the delivery log's words."""
        source = f" ({self.source})" if self.source else ""
        return f"Suppressed: {self.get_reason_display().lower()}{source}"
