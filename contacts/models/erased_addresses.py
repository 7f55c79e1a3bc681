"""The addresses of contacts erased on request, kept only as digests: no import may bring them
back, and no send reach those that were suppressed."""

import hashlib

from django.db import models
from django.utils import timezone

from contacts.models.bulk import any_of
from contacts.models.media import normalize_email

ERASED_REASON = "erased on request"


class ErasedAddressQuerySet(models.QuerySet):
    def remember(self, email, reason=ERASED_REASON, suppressed_as=""):
        """Keep `email` out of every future import. Call it when a contact is erased; with
        `suppressed_as` (a Suppression reason) when its suppression is erased with it, so that
        no email goes to it either."""
        erased, created = self.get_or_create(
            digest=ErasedAddress.digest_of(email),
            defaults={"reason": reason, "suppressed_as": suppressed_as},
        )
        if suppressed_as and not created and not erased.suppressed_as:
            erased.suppressed_as = suppressed_as
            erased.save(update_fields=["suppressed_as"])

    def among(self, emails):
        """{email: why it is kept out} for those of `emails` no import may bring back."""
        digests = {ErasedAddress.digest_of(email): email for email in emails}
        found = self.filter(digest__in=any_of(digests, "text")).values_list("digest", "reason")
        return {digests[digest]: reason for digest, reason in found}

    def suppressed_among(self, emails):
        """{email: the reason it was suppressed} for those of `emails` whose suppression was
        erased with them (kept as a digest), in one query (none when `emails` is empty)."""
        if not emails:
            return {}
        digests = {ErasedAddress.digest_of(email): email for email in emails}
        found = self.filter(digest__in=any_of(digests, "text")).exclude(suppressed_as="")
        return {
            digests[digest]: why for digest, why in found.values_list("digest", "suppressed_as")
        }


class ErasedAddress(models.Model):
    """The address of a contact erased on request (or deleted while do-not-contact), kept only
    as its SHA-256 digest: enough to recognise it in an imported file and never bring the
    person back, or to leave it out of a send when it was suppressed; not enough to write to.
    (A plain digest rather than an HMAC, so that rotating SECRET_KEY can't forget anyone.)"""

    digest = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=100, default=ERASED_REASON)
    # The reason of the suppression the address was on when it was erased (a
    # Suppression.Reason), so that the suppression keeps working without the address.
    suppressed_as = models.CharField(max_length=20, blank=True)
    erased_at = models.DateTimeField(default=timezone.now)

    objects = ErasedAddressQuerySet.as_manager()

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"Erased address {self.digest[:12]}…"

    @staticmethod
    def digest_of(email):
        return hashlib.sha256(normalize_email(email).encode()).hexdigest()
