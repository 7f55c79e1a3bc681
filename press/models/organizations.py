from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


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
        indexes = [
            # Search: the first matches by name, found in name order without sorting them all.
            models.Index(fields=["name"], name="organization_name_idx"),
        ]

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

    def is_current(self):
        today = timezone.localdate()
        started = self.start_date is None or self.start_date <= today
        return started and (self.end_date is None or self.end_date >= today)
