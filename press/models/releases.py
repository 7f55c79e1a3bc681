"""Releases: what a press release holds, its address (old ones kept answering), how its
times read in the dateline's zone. The querysets every public list starts from are in
press.models.release_queries."""

import zoneinfo

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from press.images import download_kind, stored_bytes, validate_image_upload
from press.models import publication
from press.models.languages import Translatable, format_day
from press.models.organizations import Organization, Person
from press.models.printed import PrintedAsPublished
from press.models.publication import SCHEDULED, Status
from press.models.quote_blocks import QuotesInBody
from press.models.quotes import SearchDocument
from press.models.release_queries import SAVED_STATE_FIELDS, ReleaseQuerySet
from press.models.workflow import ReleaseWorkflow
from press.sanitize import BODY_EXTENSIONS, clean_html
from press.time_zones import TimeZoneField, format_time


@reversion.register(follow=["quotes", "tagged_items", "images"])
class Release(
    ReleaseWorkflow, PrintedAsPublished, QuotesInBody, SearchDocument, Translatable, models.Model
):
    """A press release. Its moves through the workflow (submit, publish, correct, revert) are
    in press.models.workflow, with the steps and their record; what makes it live, in
    press.models.publication; its search document, in press.models.quotes."""

    Status = Status

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        help_text="Part of the address, unique per day. Changing it on a published release keeps "
        "the old address working.",
    )
    subtitle = models.CharField(max_length=300, blank=True)
    summary = models.TextField(
        blank=True,
        max_length=400,
        help_text="One or two sentences for lists, search results and link previews.",
    )
    body = ProseEditorField(
        extensions=BODY_EXTENSIONS,
        sanitize=clean_html,
        blank=True,
        help_text="The release text. Pasted formatting is cleaned; scripts and styles are removed. "
        "To print a quote inside the story, type its code, such as [quote 12], alone in a "
        "paragraph (the codes are shown with the quotes below, once saved); the other quotes "
        "are printed as pull quotes.",
    )
    byline = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="bylined_releases",
        help_text='The organization shown as "Written by".',
    )
    byline_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The byline organization's name as printed, copied when first published: "
        "the name it went by on the release date. Renaming the organization later leaves this "
        "release as it was.",
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
    dateline_time_zone = TimeZoneField(
        help_text="The time zone of the dateline place. Publication and expiry times are "
        "entered and shown in it.",
    )
    dateline_override = models.CharField(
        max_length=200,
        blank=True,
        help_text="Printed instead of place and date, for datelines of an unusual shape.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the release becomes public. A time in the future schedules it.",
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional: when the release stops being public."
    )
    corrected_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the release was last corrected.",
    )
    topics = TaggableManager(through="TaggedRelease", blank=True, related_name="releases")
    people = models.ManyToManyField(
        Person, blank=True, related_name="mentioned_in_releases", help_text="People mentioned."
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="mentioned_in_releases",
        help_text="Organizations mentioned.",
    )
    featured_image = models.ImageField(
        upload_to="releases/",
        blank=True,
        validators=[validate_image_upload],
        help_text="JPEG, PNG, WebP or GIF; at most 20 MB and 40 megapixels.",
    )
    featured_image_alt = models.CharField(
        "featured image alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required with an image.",
    )
    featured_image_caption = models.CharField(max_length=300, blank=True)
    featured_image_credit = models.CharField(max_length=200, blank=True)
    featured_image_licence = models.CharField(max_length=200, blank=True)
    # Shown beside the download link; see press.images.stored_bytes.
    featured_image_bytes = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    media_contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_contact_releases",
        help_text="Who journalists should ask about this release.",
    )
    is_pinned = models.BooleanField(
        "pinned to the home page",
        default=False,
        help_text="The newest live pinned release leads the home page.",
    )
    pinned_related = models.ManyToManyField(
        "self",
        verbose_name="pinned related articles",
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text="Up to three releases shown first under Related Articles.",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # The matching text with the hits marked, set on search results (press.search). Empty
    # here so that a card outside search finds it: a template's failed lookup costs a dir()
    # of the whole model, on every card of every list.
    snippet = ""
    boilerplate = models.TextField(
        blank=True,
        help_text="The byline organization's About text, copied when first published. Editing "
        "the organization later leaves this release as it was.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="authored_releases",
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        permissions = [
            ("submit_release", "Can submit a release for review"),
            ("publish_release", "Can publish, schedule, unpublish and archive releases"),
            ("edit_any_release", "Can edit releases written by others"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dateline_date", "slug"], name="release_slug_per_day"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_release_has_a_time",
            ),
        ]
        indexes = [
            # live() ordered newest first: every public list. With the key, the expiry time
            # and the language (lists show the reader's) in the index, a deep page of the
            # release list finds its 20 keys past 40,000 others without reading the table
            # (PostgreSQL; elsewhere a plain index).
            models.Index(
                fields=["status", "-published_at", "-id"],
                include=["expires_at", "language"],
                name="release_live_idx",
            ),
            # The same in one language: a list in a language few releases are written in
            # (Korean among 90,000 English) reads its own entries, not every release's.
            models.Index(
                fields=["language", "status", "-published_at", "-id"],
                include=["expires_at"],
                name="release_language_live_idx",
            ),
            # The next release to expire by itself (the schedule the caches end at).
            models.Index(
                fields=["expires_at"],
                condition=Q(expires_at__isnull=False),
                name="release_expiry_idx",
            ),
            # The home page's featured release: the newest live pinned one.
            models.Index(
                fields=["-published_at"], condition=Q(is_pinned=True), name="release_pinned_idx"
            ),
            # Related Articles: the newest live releases of the same place (any case).
            models.Index(
                Upper("dateline_place"),
                "status",
                F("published_at").desc(),
                F("id").desc(),
                name="release_place_idx",
            ),
            # You may also be interested in: the newest live releases by the same byline.
            models.Index(
                fields=["byline", "status", "-published_at", "-id"], name="release_byline_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        self.featured_image_bytes = stored_bytes(self.featured_image, self.featured_image_bytes)
        before = self._saved_state() if self.pk else None
        if before and self.dateline_date and self.dateline_date == _local_date(before):
            # The date was taken from the publication time, not typed: it follows a reschedule.
            self.dateline_date = None
        if self.published_at and not self.dateline_date:
            self.dateline_date = self.published_at.astimezone(self.tz).date()
        being_published = self.status == self.Status.PUBLISHED and (
            before is None or before["status"] != self.Status.PUBLISHED
        )
        if before and before["byline_id"] != self.byline_id:
            self.byline_changed()
        if being_published:
            # Copied once, when published: editing the organization later changes nothing.
            self.freeze_printed(first_save=True)
        super().save(*args, **kwargs)
        if being_published and before:
            self.freeze_printed(first_save=False)  # a new release has no quotes yet
        self.keep_old_address(before)
        if kwargs.get("update_fields") is None:
            self._remember_saved_state()
        else:
            self._state_in_db = None  # other fields may differ from the row: ask next time
        self.update_search_vector()

    def get_absolute_url(self):
        """The address under the prefix of the release's language (none for English)."""
        day = self.day
        with translation.override(self.language):
            return reverse(
                "press:release-detail",
                kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.slug},
            )

    @classmethod
    def from_db(cls, db, field_names, values):
        release = super().from_db(db, field_names, values)
        release._remember_saved_state()
        return release

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_saved_state()

    def keep_old_address(self, before):
        """A published release whose address changed keeps answering at the old one. Nothing
        to do (and no query) when the address stayed the same."""
        if not before or (before["dateline_date"], before["slug"]) == (
            self.dateline_date,
            self.slug,
        ):
            return
        if before["status"] == self.Status.PUBLISHED and before["dateline_date"]:
            self.old_addresses.model.objects.update_or_create(
                dateline_date=before["dateline_date"],
                slug=before["slug"],
                defaults={"release": self},
            )
        # Back at an address it used to have: that address is no longer a redirect.
        self.old_addresses.filter(dateline_date=self.dateline_date, slug=self.slug).delete()

    def _saved_state(self):
        """What save() compares with: the address, status and time zone as stored. Known
        without a query for a release loaded from the database (and kept up to date by save()
        and refresh_from_db()); read from the database otherwise."""
        state = getattr(self, "_state_in_db", None)
        if state is None:
            state = Release.objects.filter(pk=self.pk).values(*SAVED_STATE_FIELDS).first()
        return state

    def _remember_saved_state(self):
        deferred = self.get_deferred_fields()
        if any(name in deferred for name in SAVED_STATE_FIELDS):
            self._state_in_db = None  # loaded in part: save() asks the database
        else:
            self._state_in_db = {name: getattr(self, name) for name in SAVED_STATE_FIELDS}

    def clean(self):
        errors = {}
        if self.status == self.Status.PUBLISHED and not self.published_at:
            errors["published_at"] = "A published release needs a publication time."
        if self.expires_at and self.published_at and self.expires_at <= self.published_at:
            errors["expires_at"] = "The expiry time must come after the publication time."
        if self.featured_image and not self.featured_image_alt.strip():
            errors["featured_image_alt"] = "Describe the image for readers who cannot see it."
        if errors:
            raise ValidationError(errors)

    @property
    def state(self):
        """The status as editors think of it: "scheduled" and "expired" are published releases
        before their time and past their expiry (press.models.publication). A published release
        without a time (a form being corrected holds one, and says the time is needed) reads as
        its status."""
        return publication.stage(self.status, self.published_at, self.expires_at)

    @property
    def state_label(self):
        """The stage as editors read it: "In review", "Scheduled" (never "in_review")."""
        return publication.STAGE_LABELS[self.state]

    def is_embargoed(self, now=None):
        """Published for a time still to come: sent now, it goes out under embargo."""
        return publication.stage(self.status, self.published_at, None, now) == SCHEDULED

    def format_time(self, value):
        """A time as editors read it, in the dateline's zone and in UTC (press.time_zones)."""
        return format_time(value, self.dateline_time_zone)

    @cached_property
    def public_corrections(self):
        """The corrections readers see, newest first. A query, unless prefetched under this
        name (the release page does)."""
        return list(self.corrections.public())

    @property
    def modified_at(self):
        """When readers last saw the content change: the latest correction, else publication."""
        return self.corrected_at or self.published_at

    @property
    def day(self):
        """The day the release speaks for: its dateline date, or today for an undated draft."""
        return self.dateline_date or timezone.localdate()

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.dateline_time_zone)

    @property
    def featured_image_kind(self):
        return download_kind(self.featured_image.name)

    @property
    def dateline(self):
        """The dateline as printed on every surface (page, emails, structured data). An
        override exactly as the editor typed it: "(WAM) – ABU DHABI." or "GENEVA, Switzerland
        (June 3, 2019)". Otherwise place and date in the house style, in brackets:
        "(SINGAPORE, September 23, 2021)", in the release's language "(SEÚL, 23 de septiembre de
        2021)"; "(SINGAPORE)" while there is no date yet."""
        if self.dateline_override:
            return self.dateline_override
        parts = [self.dateline_place] if self.dateline_place else []
        if self.dateline_date:
            with translation.override(self.language):
                parts.append(format_day(self.dateline_date, "F j, Y"))
        return f"({', '.join(parts)})" if parts else ""


def _local_date(values):
    """The publication date at the dateline of a release read with .values()."""
    if not values["published_at"]:
        return None
    zone = zoneinfo.ZoneInfo(values["dateline_time_zone"])
    return values["published_at"].astimezone(zone).date()
