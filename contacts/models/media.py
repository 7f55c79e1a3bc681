from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from press.models import Topic


class Outlet(models.Model):
    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", "Newspaper"
        BROADCAST = "broadcast", "Broadcast"
        ONLINE = "online", "Online"
        NEWS_AGENCY = "news_agency", "News agency"
        TRADE = "trade", "Trade"
        BLOG = "blog", "Blog"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ONLINE)
    country = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=50, blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MediaContactQuerySet(models.QuerySet):
    def reachable(self):
        """Contacts we may write to: not marked do-not-contact, not erased."""
        return self.filter(do_not_contact=False, erased_at__isnull=True)


class MediaContact(models.Model):
    """A journalist releases are sent to. Never shown publicly."""

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40, blank=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    job_title = models.CharField(max_length=200, blank=True)
    beats = models.ManyToManyField(Topic, blank=True, related_name="media_contacts")
    regions = models.CharField(
        max_length=300, blank=True, help_text='Regions or cities covered: "Seoul, East Asia".'
    )
    languages = models.CharField(max_length=100, blank=True, help_text='"English, Korean"')
    notes = models.TextField(blank=True)
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the contact came from: an import, a card."
    )
    consent_basis = models.CharField(
        max_length=200, blank=True, help_text='The lawful basis: "legitimate interest".'
    )
    consent_date = models.DateField(null=True, blank=True)
    do_not_contact = models.BooleanField(default=False)
    do_not_contact_reason = models.CharField(max_length=200, blank=True)
    do_not_contact_since = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Personal data removed on request; the row stays for counts.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MediaContactQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        permissions = [("export_mediacontact", "Can export media contacts")]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="one_media_contact_per_email"),
        ]
        indexes = [
            # The changelist's default order, paged without a full sort.
            models.Index(fields=["last_name", "first_name", "id"], name="contact_name_idx"),
            # Possible duplicates (contacts/duplicates.py): the groups of the same name at the
            # same outlet, read in the order of this index, so the first hundred groups are
            # found without grouping the whole table.
            models.Index(
                Lower(Trim("last_name")),
                Lower(Trim("first_name")),
                "outlet",
                condition=Q(erased_at__isnull=True, outlet__isnull=False),
                name="contact_duplicate_idx",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        if self.do_not_contact and not self.do_not_contact_since:
            self.do_not_contact_since = timezone.now()
        super().save(*args, **kwargs)


def normalize_email(email):
    """The form we store and compare addresses in: trimmed and lower-cased."""
    return (email or "").strip().lower()


class MediaListQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True)),
        )


class MediaList(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_lists",
    )
    contacts = models.ManyToManyField(
        MediaContact, through="Membership", related_name="media_lists", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MediaListQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A contact on a list: when they joined, and when they left (kept for the history)."""

    media_list = models.ForeignKey(MediaList, on_delete=models.CASCADE, related_name="memberships")
    contact = models.ForeignKey(MediaContact, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["media_list", "contact"],
                condition=Q(left_at__isnull=True),
                name="one_current_membership",
            )
        ]

    def __str__(self):
        return f"{self.contact} on {self.media_list}"


class ContactEvent(models.Model):
    """One line of a contact's history: lists joined and left, imports, merges, sends."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        IMPORTED = "imported", "Imported"
        JOINED_LIST = "joined_list", "Added to a list"
        LEFT_LIST = "left_list", "Removed from a list"
        MERGED = "merged", "Merged"
        DO_NOT_CONTACT = "do_not_contact", "Marked do-not-contact"
        ERASED = "erased", "Personal data erased"
        SENT = "sent", "Release sent"

    contact = models.ForeignKey(MediaContact, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.detail}"
