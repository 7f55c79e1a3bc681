import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from solo.models import SingletonModel

from core import brand
from core.caching import looked_up, once_per_request, read_again_this_request, read_ahead

logger = logging.getLogger(__name__)


class WorkerProcess(models.Model):
    """A `db_worker` process, and when it last said it was alive (every few seconds while it
    runs a task, from a thread: see core/workers.py). A task left running by a worker not
    seen for a while is recovered by the dispatcher."""

    # django-tasks' id of the worker, as each task result lists it in `worker_ids`.
    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name_plural = "worker processes"

    def __str__(self):
        return f"{self.host}:{self.pid}"


SETTINGS_KEY = "site-settings"


class SiteSettingsQuerySet(models.QuerySet):
    def current(self):
        """The organization's settings, kept in the shared cache until they are saved (not
        until any content changes: every admin page reads them). Unsaved defaults until someone
        saves them in the admin: reading never writes. One query when not cached; one on
        every call where the cache is not shared by every process (settings.SHARED_CACHE).
        Read once per request (a page names the organization in many places)."""
        return once_per_request(SETTINGS_KEY, self._kept_or_read)

    def _kept_or_read(self):
        found, shared = None, settings.SHARED_CACHE
        if shared:
            try:
                found = looked_up([SETTINGS_KEY]).get(SETTINGS_KEY)
            except Exception:  # down or hung: one timeout per page, not two
                logger.warning("Cache unavailable for the site settings", exc_info=True)
                shared = False
        if found is None:
            record = self.filter(pk=SiteSettings.singleton_instance_id).first()
            found = (record or SiteSettings(pk=SiteSettings.singleton_instance_id),)
            found[0].stylesheet  # noqa: B018 -- kept with the record, as it is read
            if shared:
                try:
                    cache.set(SETTINGS_KEY, found, timeout=None)
                except Exception:
                    logger.warning("Cache unavailable for the site settings", exc_info=True)
        # (None,): kept by an earlier version for "not saved yet".
        return found[0] or SiteSettings(pk=SiteSettings.singleton_instance_id)


def read_settings_ahead(**kwargs):
    """Every page shows the settings: they are read with the request's first look-up of a
    kept value, not in a round trip of their own. Connected to request_started."""
    read_ahead(SETTINGS_KEY)


def forget_site_settings():
    """The cached settings dropped, on every app server at once (the cache is shared)."""
    read_again_this_request(SETTINGS_KEY)
    try:
        cache.delete(SETTINGS_KEY)
    except Exception:
        logger.warning("Cache unavailable: the site settings stay cached", exc_info=True)


class SiteSettings(SingletonModel):
    """The one record of the organization's name and look, edited in the admin. Public pages
    and the admin read it through SiteSettings.objects.current()."""

    class Typeface(models.TextChoices):
        SYSTEM = "system", "The reader's own system font (nothing to download)"
        SOURCE_SANS_3 = "source-sans-3", "Source Sans 3 (sans-serif)"
        INTER = "inter", "Inter (sans-serif)"
        MERRIWEATHER = "merriweather", "Merriweather (serif)"

    colour_help = (
        "A colour as #rrggbb. It must stand out from the page as text does (a contrast of at "
        "least 4.5:1)."
    )
    dark_help = (
        "The same colour for readers whose device uses a dark theme, as #rrggbb; it must be "
        "light enough to read on a dark background. Leave empty to use a lighter version of the "
        "colour above."
    )

    organization_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="Shown in the header, page titles and the admin. Empty: the name the site "
        "was installed with.",
    )
    logo = models.FileField(
        upload_to="brand/",
        blank=True,
        validators=[brand.validate_logo],
        help_text="A PNG or WebP with a transparent background, at least 80 pixels tall; shown "
        "40 pixels tall in the header. SVG files are not accepted.",
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    show_name_with_logo = models.BooleanField(
        default=True,
        help_text="Untick when the logo already spells out the organization's name.",
    )
    primary_colour = models.CharField(
        max_length=7,
        default="#083f77",
        validators=[RegexValidator(brand.HEX_COLOUR, "Write the colour as #rrggbb.")],
        help_text="Buttons and the band at the top of every page. " + colour_help,
    )
    accent_colour = models.CharField(
        max_length=7,
        default="#0b5cad",
        validators=[RegexValidator(brand.HEX_COLOUR, "Write the colour as #rrggbb.")],
        help_text="Links. " + colour_help,
    )
    primary_colour_dark = models.CharField(
        "primary colour, dark theme",
        max_length=7,
        blank=True,
        validators=[RegexValidator(brand.HEX_COLOUR, "Write the colour as #rrggbb.")],
        help_text=dark_help,
    )
    accent_colour_dark = models.CharField(
        "accent colour, dark theme",
        max_length=7,
        blank=True,
        validators=[RegexValidator(brand.HEX_COLOUR, "Write the colour as #rrggbb.")],
        help_text=dark_help,
    )
    typeface = models.CharField(
        max_length=20,
        choices=Typeface.choices,
        default=Typeface.SYSTEM,
        help_text="Served from this site, never from a font service.",
    )
    footer_text = models.TextField(
        blank=True, help_text="A line or two at the foot of every page: who you are, an address."
    )
    share_image = models.FileField(
        upload_to="brand/",
        blank=True,
        validators=[brand.validate_share_image],
        help_text="Shown when a page without its own image is shared on social media: a PNG, "
        "JPEG or WebP, ideally 1200 x 630 pixels.",
    )
    linkedin_url = models.URLField("LinkedIn", blank=True)
    bluesky_url = models.URLField("Bluesky", blank=True)
    mastodon_url = models.URLField("Mastodon", blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)
    facebook_url = models.URLField("Facebook", blank=True)

    objects = SiteSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def clean(self):
        errors = {}
        for field, backgrounds, theme in (
            ("primary_colour", brand.LIGHT_BACKGROUNDS, "light"),
            ("accent_colour", brand.LIGHT_BACKGROUNDS, "light"),
            ("primary_colour_dark", brand.DARK_BACKGROUNDS, "dark"),
            ("accent_colour_dark", brand.DARK_BACKGROUNDS, "dark"),
        ):
            colour = getattr(self, field)
            if colour and brand.HEX_COLOUR.fullmatch(colour):
                message = brand.contrast_error(colour.lower(), backgrounds, theme)
                if message:
                    errors[field] = message
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The logo's size, for the width and height that keep the header from shifting as it
        # loads: read on every save (rare), so a replaced logo never keeps an old size.
        self.logo_width, self.logo_height = (
            brand.picture_size(self.logo) if self.logo else (None, None)
        )
        super().save(*args, **kwargs)
        self.forget()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        self.forget()
        return deleted

    @staticmethod
    def forget():
        """Dropped from the cache now, and again once the change is committed: a page served in
        between may have cached the old settings."""
        forget_site_settings()
        transaction.on_commit(forget_site_settings)

    @property
    def name(self):
        return self.organization_name or settings.NEWSROOM_NAME

    @cached_property
    def stylesheet(self):
        """Worked out once per record kept in the cache (see current()), not once a page."""
        return mark_safe(  # noqa: S308 -- built from validated colours and fixed names only
            brand.stylesheet(
                self.primary_colour,
                self.accent_colour,
                self.primary_colour_dark,
                self.accent_colour_dark,
                self.typeface,
            )
        )

    @property
    def logo_display_width(self):
        """The logo's width when shown 40 pixels tall, for width/height attributes that keep
        the header from shifting as it loads."""
        if not (self.logo_width and self.logo_height):
            return None
        return round(self.logo_width * 40 / self.logo_height)

    def social_links(self):
        """(label, url) of each social account given, in the order of the fields."""
        fields = [
            "linkedin_url",
            "bluesky_url",
            "mastodon_url",
            "instagram_url",
            "youtube_url",
            "facebook_url",
        ]
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in fields
            if getattr(self, name)
        ]


def organization_name():
    """The organization's name as set in the site settings (the NEWSROOM_NAME setting until
    someone sets one): what pages, feeds, emails and the admin call the newsroom. Cached with
    the settings, so no query on a page served between two saves."""
    return SiteSettings.objects.current().name
