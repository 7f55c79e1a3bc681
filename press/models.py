import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from press.sanitize import clean_html

TIME_ZONE_CHOICES = sorted((name, name) for name in zoneinfo.available_timezones())


class Organization(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", "Network"
        CITY_GOVERNMENT = "city_government", "City government"
        FOUNDATION = "foundation", "Foundation"
        COMPANY = "company", "Company"
        MEDIA = "media", "Media"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=60, blank=True, help_text='How the organization is named for short: "R-Cities".'
    )
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    logo = models.ImageField(upload_to="organizations/", blank=True)
    boilerplate = models.TextField(
        blank=True,
        help_text='The "About" paragraph printed at the foot of releases this organization writes.',
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body this one belongs to, e.g. the City of Seoul for its government.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("press:organization-detail", args=[self.slug])


class Person(models.Model):
    name = models.CharField(max_length=200)
    honorific = models.CharField(max_length=20, blank=True, help_text='"Mr.", "Ms.", "Dr."')
    slug = models.SlugField(max_length=200, unique=True)
    bio = models.TextField("short bio", blank=True)
    photo = models.ImageField(upload_to="people/", blank=True)
    email = models.EmailField(
        blank=True, help_text="Public address, shown when this person is a release's media contact."
    )
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("press:person-detail", args=[self.slug])

    def attribution_on(self, day):
        """How to credit this person in a quote on `day`: the roles they held then, oldest
        first ("Mayor, City of Houston and Chair of the Board, Resilient Cities Network").
        One query."""
        roles = (
            self.roles.held_on(day)
            .select_related("organization")
            .order_by(models.F("start_date").asc(nulls_first=True), "pk")
        )
        return " and ".join(role.label for role in roles)


class RoleQuerySet(models.QuerySet):
    def held_on(self, day):
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
        )

    def current(self):
        return self.held_on(timezone.localdate())


class Role(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        EXECUTIVE = "executive", "Executive"
        ELECTED_OFFICIAL = "elected_official", "Elected official"
        STAFF = "staff", "Staff"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="roles")
    title = models.CharField(
        max_length=200, help_text='"Executive Director", "Mayor", "Board member"'
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(
        null=True, blank=True, help_text="Leave empty while the role is held."
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="role_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.person}: {self.label}"

    @property
    def label(self):
        return f"{self.title}, {self.organization}"

    def is_current(self):
        today = timezone.localdate()
        started = self.start_date is None or self.start_date <= today
        return started and (self.end_date is None or self.end_date >= today)


class TopicQuerySet(models.QuerySet):
    def popular(self):
        """Topics with the most live releases, most first; topics with none are left out."""
        live_ids = Release.objects.live().values("pk")
        return (
            self.annotate(
                live_count=Count(
                    "tagged_releases", filter=Q(tagged_releases__content_object__in=live_ids)
                )
            )
            .filter(live_count__gt=0)
            .order_by("-live_count", "name")
        )


class Topic(TagBase):
    description = models.TextField(blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("press:topic-detail", args=[self.slug])


class TaggedRelease(TaggedItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_releases")
    content_object = models.ForeignKey(
        "Release", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_release")
        ]

    def __str__(self):
        return f"{self.content_object} / {self.tag}"


class ReleaseQuerySet(models.QuerySet):
    def live(self):
        """The one rule of visibility: published, and its publication time has come.

        Decided at query time, so a release scheduled for 09:00 is public at 09:00 on every
        surface without a cron job.
        """
        return self.filter(status=Release.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_cards(self):
        """What a release card in a list needs, in the same query."""
        return self.select_related("byline")


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone.")


class Release(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, help_text="Part of the address; unique per day.")
    subtitle = models.CharField(max_length=300, blank=True)
    summary = models.TextField(
        blank=True,
        max_length=400,
        help_text="One or two sentences for lists, search results and link previews.",
    )
    body = models.TextField(
        blank=True, help_text="The release text. Scripts and styles are removed."
    )
    byline = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="bylined_releases",
        help_text='The organization shown as "Written by".',
    )
    dateline_place = models.CharField(
        max_length=100,
        blank=True,
        help_text='The place as printed: "SINGAPORE" or "Abu Dhabi, United Arab Emirates".',
    )
    dateline_date = models.DateField(
        null=True,
        blank=True,
        help_text="Leave empty to use the publication date in the dateline's time zone.",
    )
    dateline_time_zone = models.CharField(
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="UTC",
        validators=[validate_time_zone],
        help_text="The time zone of the dateline place; publication times are read in it.",
    )
    dateline_override = models.CharField(
        max_length=200,
        blank=True,
        help_text="Printed instead of place and date, for datelines of an unusual shape.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the release becomes public. A time in the future schedules it.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    topics = TaggableManager(through=TaggedRelease, blank=True, related_name="releases")
    people = models.ManyToManyField(
        Person, blank=True, related_name="mentioned_in_releases", help_text="People mentioned."
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="mentioned_in_releases",
        help_text="Organizations mentioned.",
    )
    featured_image = models.ImageField(upload_to="releases/", blank=True)
    featured_image_alt = models.CharField(
        "featured image alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    media_contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_contact_releases",
        help_text="Who journalists should ask about this release.",
    )
    boilerplate = models.TextField(
        blank=True,
        help_text="The byline organization's About text, copied when first published. Editing "
        "the organization later leaves this release as it was.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(fields=["dateline_date", "slug"], name="release_slug_per_day"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_release_has_a_time",
            ),
        ]
        indexes = [
            # live() ordered newest first: every public list.
            models.Index(fields=["status", "-published_at"], name="release_live_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        if self.published_at and not self.dateline_date:
            self.dateline_date = self.published_at.astimezone(self.tz).date()
        if self.status == self.Status.PUBLISHED and not self.boilerplate:
            self.boilerplate = self.byline.boilerplate
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        day = self.dateline_date
        return reverse(
            "press:release-detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.slug},
        )

    def clean(self):
        if self.status == self.Status.PUBLISHED and not self.published_at:
            raise ValidationError({"published_at": "A published release needs a publication time."})

    @property
    def day(self):
        """The day the release speaks for: its dateline date, or today for an undated draft."""
        return self.dateline_date or timezone.localdate()

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.dateline_time_zone)

    @property
    def dateline(self):
        """The printed dateline: "SINGAPORE, September 23, 2021"."""
        if self.dateline_override:
            return self.dateline_override
        parts = [self.dateline_place] if self.dateline_place else []
        if self.dateline_date:
            parts.append(date_format(self.dateline_date, "F j, Y"))
        return ", ".join(parts)

    def is_live(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    is_live.boolean = True
    is_live.short_description = "live"

    def related(self, limit=3):
        """Live releases sharing a topic, person or organization with this one, newest first.
        One query."""
        shared = (
            Q(tagged_items__tag__in=Topic.objects.filter(tagged_releases__content_object=self))
            | Q(people__in=self.people.all())
            | Q(organizations__in=self.organizations.all())
        )
        ids = Release.objects.live().filter(shared).exclude(pk=self.pk).values("pk")
        return (
            Release.objects.with_cards()
            .filter(pk__in=ids)
            .order_by(*Release._meta.ordering)[:limit]
        )

    def also_interesting(self, exclude, limit=3):
        """Other live releases by the same byline, then any, never this one or `exclude`.
        One query."""
        return (
            Release.objects.live()
            .with_cards()
            .exclude(pk__in=[self.pk, *(release.pk for release in exclude)])
            .annotate(same_byline=ExpressionWrapper(Q(byline=self.byline_id), BooleanField()))
            .order_by("-same_byline", "-published_at")[:limit]
        )


class Quote(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="quotes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField()
    attribution = models.CharField(
        max_length=300,
        blank=True,
        help_text="The speaker's role as printed. Leave empty to fill it from their roles on the "
        "release date; it then stays as it was, even when their roles change.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.person}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        if not self.attribution:
            self.attribution = self.person.attribution_on(self.release.day)
        super().save(*args, **kwargs)
