import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        CITY_GOVERNMENT = "city_government", _("City government")
        FOUNDATION = "foundation", _("Foundation")
        COMPANY = "company", _("Company")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

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
        indexes = [
            # Search: the first matches by name, found in name order without sorting them all.
            models.Index(fields=["name"], name="organization_name_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("press:organization-detail", args=[self.slug])

    def name_on(self, day):
        """The name the organization went by on `day`: the former name in force then (the one
        whose last day comes first on or after `day`), else its present name. One query, none
        when its former names are prefetched."""
        former = [name for name in self.former_names.all() if name.valid_until >= day]
        return min(former, key=lambda name: name.valid_until).name if former else self.name


class OrganizationName(models.Model):
    """A name an organization went by until a day, kept so that what was published under it
    still reads as it did, and so that readers and search still find it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField(max_length=200)
    valid_until = models.DateField(help_text="The last day the organization went by this name.")
    slug = models.SlugField(
        max_length=200,
        blank=True,
        help_text="The address the organization had under this name; it keeps working. Leave "
        "empty to make it from the name.",
    )

    class Meta:
        ordering = ["-valid_until"]
        indexes = [
            # An old address of an organization page, redirected to the present one.
            models.Index(fields=["slug"], name="organization_former_slug_idx"),
        ]

    def __str__(self):
        return f"{self.name} (until {self.valid_until.year})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)


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
        indexes = [
            # Search: the first matches by name, found in name order without sorting them all.
            models.Index(fields=["name"], name="person_name_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("press:person-detail", args=[self.slug])

    def attribution_on(self, day):
        """How to credit this person in a quote on `day`: the roles they held then, oldest
        first ("Mayor, City of Houston and Chair of the Board, Resilient Cities Network").
        Two queries (roles, and their organizations' former names)."""
        roles = self.roles.held_on(day).oldest_first().select_related("organization")
        return join_roles(roles.prefetch_related("organization__former_names"), day)

    def overlapping_roles(self):
        """Pairs of this person's roles at the same organization whose dates overlap (acting
        and permanent director both open, say): usually a missing end date. One query."""
        roles = list(self.roles.select_related("organization").oldest_first())
        return [
            (first, second)
            for index, first in enumerate(roles)
            for second in roles[index + 1 :]
            if first.organization_id == second.organization_id and first.overlaps(second)
        ]


def join_roles(roles, day):
    """Roles as printed after a speaker's name on `day`, in the order given."""
    return " and ".join(role.label_on(day) for role in roles)


class RoleQuerySet(models.QuerySet):
    def held_on(self, day):
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
        )

    def current(self):
        return self.held_on(timezone.localdate())

    def oldest_first(self):
        return self.order_by(models.F("start_date").asc(nulls_first=True), "pk")


class Role(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", _("Board")
        EXECUTIVE = "executive", _("Executive")
        ELECTED_OFFICIAL = "elected_official", _("Elected official")
        STAFF = "staff", _("Staff")
        OTHER = "other", _("Other")

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
        ordering = [models.F("start_date").desc(nulls_last=True), "title"]
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

    def label_on(self, day):
        """The label with the organization's name on `day` (a query unless its former names
        are prefetched)."""
        return f"{self.title}, {self.organization.name_on(day)}"

    @property
    def span(self):
        """The dates as editors read them: "1 March 2019 to 31 December 2019", "from 2020"."""
        start = date_format(self.start_date, "j F Y") if self.start_date else ""
        end = date_format(self.end_date, "j F Y") if self.end_date else ""
        if start and end:
            return f"{start} to {end}"
        if start:
            return f"from {start}"
        return f"until {end}" if end else "dates unknown"

    def overlaps(self, other):
        """Whether both roles were held on some day (an open end runs for ever)."""
        first, last = datetime.date.min, datetime.date.max
        return (self.start_date or first) <= (other.end_date or last) and (
            other.start_date or first
        ) <= (self.end_date or last)

    def held_on_day(self, day):
        """Whether the role was held on `day` (on its first and last days too)."""
        started = self.start_date is None or self.start_date <= day
        return started and (self.end_date is None or self.end_date >= day)

    def is_current(self):
        return self.held_on_day(timezone.localdate())
