"""Media contacts (journalists, never shown publicly), their outlets, the lists they are on,
and their history. The addresses of those erased, which no import may bring back, are in
contacts.models.erased_addresses."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django_countries.fields import CountryField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from contacts.models.bulk import batches
from contacts.models.codes import LanguageField
from press.models import Topic
from press.time_zones import TimeZoneField

# Contacts written to history, or to a list, per statement.
BATCH = 2000


class Outlet(models.Model):
    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", "Newspaper"
        BROADCAST = "broadcast", "Broadcast"
        ONLINE = "online", "Online"
        NEWS_AGENCY = "news_agency", "News agency"
        TRADE = "trade", "Trade"
        BLOG = "blog", "Blog"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.ONLINE)
    country = CountryField(blank=True)
    region = models.CharField(
        max_length=100, blank=True, help_text='City or region it covers: "Gyeonggi", "Bavaria".'
    )
    language = models.CharField(max_length=50, blank=True)
    website = models.URLField(blank=True)
    reach = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Its audience, as a number: 1200000."
    )
    reach_label = models.CharField(
        max_length=100,
        blank=True,
        help_text='What the number counts: "monthly unique visitors", "daily circulation".',
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContactTag(TagBase):
    """A free label on media contacts ("asia-desk", "tv-bookers"): staff's own words for
    building lists, kept apart from the public topics (press.Topic) so that neither shows up
    among the other."""

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TaggedContact(TaggedItemBase):
    tag = models.ForeignKey(ContactTag, on_delete=models.CASCADE, related_name="tagged_contacts")
    content_object = models.ForeignKey(
        "MediaContact", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_contact")
        ]
        indexes = [
            # The tag filter and segments: the contacts of a tag, from the index alone.
            models.Index(fields=["tag", "content_object"], name="tagged_contact_idx"),
        ]

    def __str__(self):
        return f"{self.content_object_id} / {self.tag}"


class MediaContactQuerySet(models.QuerySet):
    def reachable(self):
        """Contacts we may write to: not marked do-not-contact, not erased."""
        return self.filter(do_not_contact=False, erased_at__isnull=True)

    def mark_do_not_contact(self, email, reason):
        """The contact at `email` is never written to again (an opt-out, a bounce), with
        `reason` in their record and their history; one already marked keeps its reason."""
        for contact in self.reachable().filter(email=normalize_email(email)):
            contact.do_not_contact, contact.do_not_contact_reason = True, reason[:200]
            contact.save()
            contact.record_edit(None, [], opted_out=True)


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
    languages = models.CharField(
        max_length=100,
        blank=True,
        help_text='Every language they work in, as written: "English, Korean". Lists and '
        "segments use the language below.",
    )
    country = CountryField(blank=True, help_text="Where they are based.")
    time_zone = TimeZoneField(
        blank=True, default="", help_text="Theirs, for embargo times and calls."
    )
    language = LanguageField(blank=True, help_text="The language they write or broadcast in.")
    tags = TaggableManager(
        "tags",
        through=TaggedContact,
        blank=True,
        related_name="media_contacts",
        help_text='Your own labels, separated by commas: "asia-desk, tv-bookers".',
    )
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
            # Possible duplicates (contacts/media/duplicates.py): the groups of the same name at the
            # same outlet, read in the order of this index, so the first hundred groups are
            # found without grouping the whole table.
            models.Index(
                Lower(Trim("last_name")),
                Lower(Trim("first_name")),
                "outlet",
                condition=Q(erased_at__isnull=True, outlet__isnull=False),
                name="contact_duplicate_idx",
            ),
            # The changelist's country, language and time zone filters, paged in name order
            # from the index; and the segments' conditions on them.
            models.Index(
                fields=["country", "last_name", "first_name", "id"], name="contact_country_idx"
            ),
            models.Index(
                fields=["language", "last_name", "first_name", "id"], name="contact_language_idx"
            ),
            models.Index(
                fields=["time_zone", "last_name", "first_name", "id"], name="contact_zone_idx"
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        if self.do_not_contact and not self.do_not_contact_since:
            self.do_not_contact_since = timezone.now()
        super().save(*args, **kwargs)

    def record_edit(self, user, changed, created=False, opted_out=False):
        """The history of an edit by hand: "Added", or the labels of the fields `changed`; and
        an opt-out (`opted_out`), with its reason, as a line of its own."""
        if created:
            self.events.create(kind=ContactEvent.Kind.CREATED, detail="Added", user=user)
        elif changed:
            detail = f"Changed {', '.join(changed)}"[:300]
            self.events.create(kind=ContactEvent.Kind.UPDATED, detail=detail, user=user)
        if opted_out:
            self.events.create(
                kind=ContactEvent.Kind.DO_NOT_CONTACT,
                detail=self.do_not_contact_reason[:300],
                user=user,
            )


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

    def add(self, contacts, user):
        """Make `contacts` current members, each with a history line; those already on the
        list and erased contacts are left alone. Returns how many joined."""
        now, added = timezone.now(), 0
        with transaction.atomic():
            # One change to a list's members at a time: no second current membership can race in.
            MediaList.objects.select_for_update().filter(pk=self.pk).first()
            current = self.memberships.filter(left_at__isnull=True).values("contact_id")
            ids = list(
                contacts.filter(erased_at__isnull=True)
                .exclude(pk__in=current)
                .order_by()
                .values_list("pk", flat=True)
            )
            for batch in batches(ids, BATCH):
                Membership.objects.bulk_create(
                    [Membership(media_list=self, contact_id=pk, joined_at=now) for pk in batch]
                )
                ContactEvent.objects.record(
                    batch, ContactEvent.Kind.JOINED_LIST, self.name, user, now
                )
                added += len(batch)
        return added

    def remove(self, contacts, user):
        """End the current memberships of `contacts` (the rows stay for the history). Returns
        how many left."""
        now, removed = timezone.now(), 0
        with transaction.atomic():
            memberships = self.memberships.filter(
                left_at__isnull=True, contact__in=contacts.order_by().values("pk")
            )
            ids = list(memberships.values_list("contact_id", flat=True))
            for batch in batches(ids, BATCH):
                self.memberships.filter(left_at__isnull=True, contact_id__in=batch).update(
                    left_at=now
                )
                ContactEvent.objects.record(
                    batch, ContactEvent.Kind.LEFT_LIST, self.name, user, now
                )
                removed += len(batch)
        return removed


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


class ContactEventQuerySet(models.QuerySet):
    def record(self, contact_ids, kind, detail, user, at):
        """The same history line for each of `contact_ids`, in one statement."""
        self.bulk_create(
            [
                ContactEvent(contact_id=pk, kind=kind, detail=detail, user=user, created_at=at)
                for pk in contact_ids
            ]
        )


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

    objects = ContactEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.detail}"
