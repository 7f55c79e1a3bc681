import datetime
import zoneinfo
from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from press.images import validate_image_upload
from press.models import publication
from press.models.organizations import Organization, Person
from press.models.publication import (
    SCHEDULED,
    Status,
    distributable_condition,
    live_condition,
)
from press.sanitize import BODY_EXTENSIONS, clean_html
from press.search_config import search_config
from press.time_zones import TimeZoneField

# Long columns release cards never show (see ReleaseQuerySet.with_cards).
# A release's fields a list or a sort should not carry: kilobytes each.
LONG_TEXTS = ("body", "search_vector", "boilerplate")
CARD_DEFERRED = (*LONG_TEXTS, "byline__boilerplate")
# How many of the newest releases of each shared topic, person and organization are candidates
# for Related Articles (scored from indexes alone, so cheap), and of each topic for "You may also
# be interested in" (each read from the table and its reads summed, so fewer).
RELATED_PER_KEY = 2000
INTERESTING_PER_TOPIC = 500
# What Release.save() compares with the row as stored.
SAVED_STATE_FIELDS = ("dateline_date", "slug", "status", "published_at", "dateline_time_zone")
# The releases whose search vector is refreshed at the end of search_vector_refreshed_once().
_search_updates_deferred = ContextVar("search_updates_deferred", default=None)


class TopicQuerySet(models.QuerySet):
    def get_by_natural_key(self, name):
        """Backups made with --natural-foreign name topics by name (taggit's natural key)."""
        return self.get(name=name)

    def live(self):
        """Topics with at least one live release, by name: one EXISTS per topic through the
        (topic, release) index (13 ms at 100,000 releases, where popular() takes seconds)."""
        return self.filter(
            Exists(
                TaggedRelease.objects.filter(
                    tag=OuterRef("pk"), content_object__in=Release.objects.live().values("pk")
                )
            )
        )

    def popular(self, days=30):
        """Topics of live releases, most read in the last `days` first, then those with the
        most live releases. Topics without a live release are left out."""
        from press.models.reads import ReleaseRead

        live_ids = Release.objects.live().values("pk")
        reads = (
            ReleaseRead.objects.since(days)
            .filter(release__in=live_ids, release__tagged_items__tag=OuterRef("pk"))
            .values("release__tagged_items__tag")
            .annotate(total=Sum("count"))
            .values("total")
        )
        return (
            # Both counts are subqueries: an aggregate over the outer query would put the reads
            # subquery in its GROUP BY and run it once per tagged release.
            self.annotate(
                live_count=_count(TaggedRelease.objects.filter(content_object__in=live_ids), "tag"),
                recent_reads=Coalesce(Subquery(reads), 0),
            )
            .filter(live_count__gt=0)
            .order_by("-recent_reads", "-live_count", "name")
        )

    def popular_list(self, days=30, by_name=False):
        """popular() as a list, worked out in one statement joining two grouped subqueries
        (topics with their live releases counted; reads per topic) instead of two subqueries
        per topic: a fraction of a second at 100,000 releases instead of ten. Each topic has
        `live_count` and `recent_reads`; in popular() order, or by name with `by_name`.

        The subqueries are the ORM's own, compiled: the live rule and the reads window are
        written once, in live() and since()."""
        from press.models.reads import ReleaseRead

        live_ids = Release.objects.live().values("pk")
        counts = (
            TaggedRelease.objects.filter(content_object__in=live_ids)
            .order_by()
            .values(topic_id=F("tag"))
            .annotate(live_count=Count("pk"))
        )
        reads = (
            ReleaseRead.objects.since(days)
            .filter(release__in=live_ids, release__tagged_items__tag__isnull=False)
            .order_by()
            .values(topic_id=F("release__tagged_items__tag"))
            .annotate(total=Sum("count"))
        )
        counts_sql, counts_params = counts.query.sql_with_params()
        reads_sql, reads_params = reads.query.sql_with_params()
        table = self.model._meta.db_table
        topics = list(
            self.model.objects.raw(
                f'SELECT "{table}".*, counts.live_count, COALESCE(reads.total, 0) AS recent_reads '
                f'FROM "{table}" JOIN ({counts_sql}) counts ON counts.topic_id = "{table}".id '
                f'LEFT JOIN ({reads_sql}) reads ON reads.topic_id = "{table}".id '
                f'ORDER BY "{table}".name',
                (*counts_params, *reads_params),
            )
        )
        if not by_name:
            # Stable: topics as popular as each other stay in name order.
            topics.sort(key=lambda topic: (-topic.recent_reads, -topic.live_count))
        return topics


class Topic(TagBase):
    description = models.TextField(blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("press:topic-detail", args=[self.slug])


@reversion.register()
class TaggedRelease(TaggedItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_releases")
    content_object = models.ForeignKey(
        "Release", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_release")
        ]
        indexes = [
            # Related Articles and You may also be interested in: the newest releases of a
            # topic, read backwards without touching the table.
            models.Index(fields=["tag", "content_object"], name="tagged_release_newest_idx"),
        ]

    def __str__(self):
        return f"{self.content_object} / {self.tag}"


class ReleaseQuerySet(models.QuerySet):
    def live(self, now=None):
        """Live releases (press.models.publication)."""
        return self.filter(live_condition(now=now))

    def scheduled(self):
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def distributable(self, now=None):
        """Releases that may be sent to journalists: live, or scheduled (under embargo)."""
        return self.filter(distributable_condition(now=now))

    def next_change(self):
        """The next moment a release goes live or expires by itself, or None. One query."""
        return publication.next_change(self)

    def with_cards(self):
        """What a release card in a list needs, in the same query, without the long texts a
        card never shows (body, search vector, boilerplates): a list of 20 reads kilobytes
        instead of hundreds."""
        return self.select_related("byline").defer(*CARD_DEFERRED)


@reversion.register(follow=["quotes", "tagged_items", "images"])
class Release(models.Model):
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
        help_text="The release text. Pasted formatting is cleaned; scripts and styles are removed.",
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
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)
    correction_note = models.CharField(
        max_length=300,
        blank=True,
        help_text='Shown on the public page as "Updated <date>: <note>".',
    )
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
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text="Up to three releases shown first under Related Articles.",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # The matching text with the hits marked, set on search results (press.search). Empty
    # here so that a card outside search finds it: a template's failed lookup costs a dir()
    # of the whole model, a fifth of the time a card takes.
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
            # live() ordered newest first: every public list. With the key and the expiry time
            # in the index, a deep page of the release list finds its 20 keys past 40,000
            # others without reading the table (PostgreSQL; elsewhere a plain index).
            models.Index(
                fields=["status", "-published_at", "-id"],
                include=["expires_at"],
                name="release_live_idx",
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
        before = self._saved_state() if self.pk else None
        if before and self.dateline_date and self.dateline_date == _local_date(before):
            # The date was taken from the publication time, not typed: it follows a reschedule.
            self.dateline_date = None
        if self.published_at and not self.dateline_date:
            self.dateline_date = self.published_at.astimezone(self.tz).date()
        being_published = before is None or before["status"] != self.Status.PUBLISHED
        if self.status == self.Status.PUBLISHED and being_published and not self.boilerplate:
            # Copied once, when published: editing the organization later changes nothing.
            self.boilerplate = self.byline.boilerplate
        super().save(*args, **kwargs)
        self.keep_old_address(before)
        if kwargs.get("update_fields") is None:
            self._remember_saved_state()
        else:
            self._state_in_db = None  # other fields may differ from the row: ask next time
        self.update_search_vector()

    def get_absolute_url(self):
        day = self.day
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

    def is_embargoed(self, now=None):
        """Published for a time still to come: sent now, it goes out under embargo."""
        return publication.stage(self.status, self.published_at, None, now) == SCHEDULED

    def format_time(self, value):
        """A time as editors read it, never ambiguous: in the dateline's zone, with its UTC
        offset, and in UTC: "Wed 01 May 2030, 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC"."""
        if value is None:
            return ""
        local = timezone.localtime(value, self.tz)
        utc = timezone.localtime(value, datetime.UTC)
        if local.utcoffset() == datetime.timedelta(0) and self.dateline_time_zone in (
            "UTC",
            "Etc/UTC",
        ):
            return f"{local:%a %d %b %Y, %H:%M} UTC"
        offset = f"{local:%z}"
        return (
            f"{local:%a %d %b %Y, %H:%M} {self.dateline_time_zone} "
            f"(UTC{offset[:3]}:{offset[3:]}) = {utc:%H:%M} UTC"
        )

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
    def dateline(self):
        """The printed dateline: "SINGAPORE, September 23, 2021"."""
        if self.dateline_override:
            return self.dateline_override
        parts = [self.dateline_place] if self.dateline_place else []
        if self.dateline_date:
            parts.append(date_format(self.dateline_date, "F j, Y"))
        return ", ".join(parts)

    def is_live(self):
        return self.state == self.Status.PUBLISHED

    is_live.boolean = True
    is_live.short_description = "live"

    def can_edit(self, user):
        """Editors edit any release; contributors only their own drafts."""
        if not user.has_perm("press.change_release"):
            return False
        if user.has_perm("press.edit_any_release"):
            return True
        return self.author_id == user.pk and self.status == self.Status.DRAFT

    def can(self, action, user):
        """Whether `user` may take `action` on this release now."""
        step = WORKFLOW[action]
        if self.status not in step.sources or not user.has_perm(step.permission):
            return False
        if action == "submit":
            return self.author_id == user.pk or user.has_perm("press.edit_any_release")
        return True

    def available_actions(self, user):
        return [action for action in WORKFLOW if self.can(action, user)]

    def move(self, action, user, comment="", publish_at=None):
        """Take a workflow step: check it is allowed, change the status, record who did it and
        save a version. Publishing at a future time schedules the release."""
        step = WORKFLOW[action]
        if self.status not in step.sources:
            raise ValidationError(
                f"A release that is {self.get_status_display().lower()} cannot be {step.done}."
            )
        if not self.can(action, user):
            raise PermissionDenied(f"You may not {step.verb} this release.")
        recorded = action
        if action == "publish":
            self.published_at = publish_at or timezone.now()
            if self.published_at > timezone.now():
                recorded = "schedule"
            if self.expires_at and self.expires_at <= self.published_at:
                raise ValidationError("The expiry time must come after the publication time.")
        from_status, self.status = self.status, step.target
        with transaction.atomic(), reversion.create_revision():
            self.last_edited_by = user
            self.save()
            reversion.set_user(user)
            reversion.set_comment(f"{step.done.capitalize()}. {comment}".strip())
            self.transitions.create(
                action=recorded,
                from_status=from_status,
                to_status=self.status,
                user=user,
                comment=comment,
                publish_at=self.published_at if action == "publish" else None,
            )

    def update_search_vector(self):
        """Refresh the stored search document (see search_document()). PostgreSQL only; one
        UPDATE. Called when the release or a quote is saved, except inside
        search_vector_refreshed_once(), which refreshes it once at its end."""
        if connection.vendor != "postgresql":
            return
        deferred = _search_updates_deferred.get()
        if deferred is not None and self.pk in deferred:
            return
        Release.objects.filter(pk=self.pk).update(search_vector=search_document())

    @contextmanager
    def search_vector_refreshed_once(self):
        """Saves and deletes of this release and its quotes inside the block leave the search
        vector alone; it is refreshed once when the block ends. For forms that save a release
        with many quotes: one UPDATE instead of one per quote."""
        deferred = _search_updates_deferred.get()
        if deferred is not None and self.pk in deferred:
            yield  # an outer block refreshes it
            return
        token = _search_updates_deferred.set({*(deferred or ()), self.pk})
        try:
            yield
        finally:
            _search_updates_deferred.reset(token)
        self.update_search_vector()

    def related(self, limit=3):
        """Related Articles: the editor's pinned choices first, then live releases scored by
        what they share with this one (person 3, topic 2, organization 2, dateline place 1),
        newest first on ties. Never this release. One query.

        The winners are chosen in a subquery from a bounded set of candidates (see
        _related_ids()): the newest RELATED_PER_KEY releases of each shared topic, person and
        organization, the newest releases of the same place, and the pinned ones. A topic,
        person or organization with more releases than that relates only its newest ones
        (newest by creation), and within the subquery an older release counts only the keys
        whose newest ones it is among. The outer query scores the few winners in full to order
        them."""
        # The few winners are scored again, in full, to order them: in SQL written out, as
        # the ORM takes longer to build these subqueries than the database to run them.
        shared = (
            "(SELECT COUNT(*) FROM {table} x JOIN {table} m ON m.{key} = x.{key} "
            "WHERE x.{release} = press_release.id AND m.{release} = %s)"
        )
        score = " + ".join(
            f"{weight} * " + shared.format(table=table, key=key, release=release)
            for weight, table, key, release in (
                (3, "press_release_people", "person_id", "release_id"),
                (2, "press_taggedrelease", "tag_id", "content_object_id"),
                (2, "press_release_organizations", "organization_id", "release_id"),
            )
        )
        score += " + CASE WHEN UPPER(press_release.dateline_place) = UPPER(%s) THEN 1 ELSE 0 END"
        pinned = (
            "CASE WHEN EXISTS (SELECT 1 FROM press_release_pinned_related p "
            "WHERE p.from_release_id = %s AND p.to_release_id = press_release.id) "
            "THEN 1 ELSE 0 END"
        )
        return (
            Release.objects.live()
            .with_cards()
            .filter(pk__in=RawSQL(*self._related_ids(limit)))
            .exclude(pk=self.pk)
            .annotate(
                is_pinned_here=RawSQL(pinned, [self.pk]),
                score=RawSQL(score, [self.pk] * 3 + [self.dateline_place or None]),
            )
            .order_by("-is_pinned_here", "-score", "-published_at", "-pk")[:limit]
        )

    def _related_ids(self, limit):
        """SQL and parameters: the ids of the `limit` releases related() shows, best first.

        Candidates come from the (key, release) indexes, at most RELATED_PER_KEY rows per
        shared key, and are scored with one GROUP BY over them; only those that can still win
        are read from the release table. A release sharing only the place scores 1, below any
        sharing a key, so the newest `limit` live releases of the place are all it can need
        from there."""
        live, live_params = _live_sql("r")
        live_q, live_q_params = _live_sql("q")
        candidates = [
            _newest_sharing(TaggedRelease, "content_object", "tag", weight=2),
            _newest_sharing(self.people.through, "release", "person", weight=3),
            _newest_sharing(self.organizations.through, "release", "organization", weight=2),
        ]
        params = [RELATED_PER_KEY - 1, self.pk] * 3
        pinned = self.pinned_related.through._meta
        candidates.append(
            f"SELECT {pinned.get_field('to_release').column}, 0, 1 FROM {pinned.db_table} "
            f"WHERE {pinned.get_field('from_release').column} = %s"
        )
        params.append(self.pk)
        place_score = "0"
        if self.dateline_place:
            place_live, place_live_params = _live_sql("p")
            candidates.append(
                "SELECT id, 0, 0 FROM (SELECT p.id FROM press_release p "
                f"WHERE UPPER(p.dateline_place) = UPPER(%s) AND {place_live} AND p.id <> %s "
                "ORDER BY p.published_at DESC, p.id DESC LIMIT %s) same_place"
            )
            params += [self.dateline_place, *place_live_params, self.pk, limit]
            place_score = "CASE WHEN UPPER(r.dateline_place) = UPPER(%s) THEN 1 ELSE 0 END"
        union = " UNION ALL ".join(candidates)
        # A shared place adds 1 at most: once `limit` live candidates are found in order of
        # weight, one whose weight is 2 less than the last of them can never pass it, so only
        # the others are read from the release table.
        sql = (
            "WITH scored AS (SELECT release_id, SUM(weight) AS weight, MAX(pinned) AS pinned "
            f"FROM ({union}) shared GROUP BY release_id), "
            # The live test as a scalar subquery above the sort (_keep_order() keeps it there):
            # the release table is read only until `limit` are found, not for all candidates.
            "enough AS (SELECT MIN(weight) AS weight FROM (SELECT s.weight FROM ("
            f"SELECT release_id, weight FROM scored ORDER BY weight DESC {_keep_order()}) s "
            f"WHERE (SELECT q.id FROM press_release q WHERE q.id = s.release_id AND {live_q}) "
            "<> %s LIMIT %s) best) "
            "SELECT r.id FROM scored c JOIN press_release r ON r.id = c.release_id "
            f"WHERE (c.pinned = 1 OR c.weight >= (SELECT weight - 1 FROM enough)) "
            f"AND {live} AND r.id <> %s "
            f"ORDER BY c.pinned DESC, c.weight + {place_score} DESC, "
            "r.published_at DESC, r.id DESC LIMIT %s"
        )
        params += [*live_q_params, self.pk, limit, *live_params, self.pk]
        if self.dateline_place:
            params.append(self.dateline_place)
        params.append(limit)
        return sql, params

    def also_interesting(self, exclude, limit=3):
        """ "You may also be interested in": the most read live releases of the last 90 days
        in this release's topics, then the newest by the same byline, then the newest of all;
        never this release nor anything in `exclude`. One query.

        Precisely, live releases ordered by: in one of this release's topics, by the same
        byline, reads in the last 90 days, newest. The releases of the topics considered are
        the newest INTERESTING_PER_TOPIC of each topic (newest by creation): an older release of a
        topic with more than that is not counted as in the topic, however much it is read, unless
        it is also among the newest of the byline or of all.
        The winners are chosen in a subquery (see _interesting_ids()); the outer query reads
        their cards and orders them."""
        # The few winners are ranked again to order them, in SQL written out (see related()).
        tier = (
            "CASE WHEN EXISTS (SELECT 1 FROM press_taggedrelease x "
            "JOIN press_taggedrelease m ON m.tag_id = x.tag_id "
            "WHERE x.content_object_id = press_release.id AND m.content_object_id = %s) "
            "THEN 2 ELSE 0 END + CASE WHEN press_release.byline_id = %s THEN 1 ELSE 0 END"
        )
        reads = (
            "COALESCE((SELECT SUM(n.count) FROM press_releaseread n "
            "WHERE n.release_id = press_release.id AND n.day >= %s), 0)"
        )
        since = connection.ops.adapt_datefield_value(
            timezone.localdate() - datetime.timedelta(days=90)
        )
        return (
            Release.objects.live()
            .with_cards()
            .filter(pk__in=RawSQL(*self._interesting_ids(exclude, limit, since)))
            .annotate(
                tier=RawSQL(tier, [self.pk, self.byline_id]),
                recent_reads=RawSQL(reads, [since]),
            )
            .order_by("-tier", "-recent_reads", "-published_at", "-pk")[:limit]
        )

    def _interesting_ids(self, exclude, limit, since):
        """SQL and parameters: the ids of the `limit` releases also_interesting() shows, best
        first, reads counted from the day `since` (adapted for the database).

        The candidates are the newest releases of each of this release's topics (from the
        (topic, release) index) and the newest `limit + len(exclude) + 1` live releases by the
        byline and of all, enough for the places the topics leave. Whether a candidate is by
        the byline comes from the (byline, status) index and its reads from the (release, day)
        index; the release table is read only for the candidates that can still win: those
        ranked at least as high as the `limit`-th live one before publication times are
        compared."""
        from press.models.reads import ReleaseRead

        reads = ReleaseRead._meta.db_table
        enough = limit + len(exclude) + 1
        live, live_params = _live_sql("r")
        live_q, live_q_params = _live_sql("q")
        newest_live, newest_params = _live_sql("p")
        excluded = [self.pk, *(release.pk for release in exclude)]
        newest = (
            "SELECT id, 0, {0}, 1 FROM (SELECT p.id FROM press_release p WHERE {1}"
            f"{newest_live} ORDER BY p.published_at DESC, p.id DESC LIMIT %s) newest"
        )
        topics = _newest_sharing(
            TaggedRelease, "content_object", "tag", weight=1, extra_columns=", 0 AS newest"
        )
        sql = (
            # in_topics, same_byline, newest: where each candidate comes from.
            "WITH candidates AS (SELECT release_id, MAX(weight) AS in_topics, "
            "MAX(pinned) AS same_byline FROM ("
            f"{topics}"
            " UNION ALL SELECT id, 0, 1, 0 FROM press_release WHERE byline_id = %s AND status = %s"
            f" UNION ALL {newest.format(1, 'p.byline_id = %s AND ')}"
            f" UNION ALL {newest.format(0, '')}"
            ") sources GROUP BY release_id HAVING MAX(weight) = 1 OR MAX(newest) = 1), "
            # The order before publication times: in the topics, by the byline, reads.
            "ranked AS (SELECT release_id, 2 * CASE WHEN in_topics = 1 OR EXISTS ("
            "SELECT 1 FROM press_taggedrelease x WHERE x.content_object_id = c.release_id "
            "AND x.tag_id IN (SELECT mine.tag_id FROM press_taggedrelease mine "
            "WHERE mine.content_object_id = %s)) THEN 1 ELSE 0 END + same_byline AS tier, "
            f"COALESCE((SELECT SUM(n.count) FROM {reads} n "
            "WHERE n.release_id = c.release_id AND n.day >= %s), 0) AS reads "
            "FROM candidates c "
            f"WHERE release_id NOT IN ({', '.join(['%s'] * len(excluded))})), "
            # The `limit`-th live one, the live test above the sort (_keep_order() keeps it there).
            "last AS (SELECT tier, reads FROM ("
            "SELECT release_id, tier, reads FROM ranked ORDER BY tier DESC, reads DESC "
            f"{_keep_order()}"
            f") k WHERE (SELECT q.id FROM press_release q WHERE q.id = k.release_id AND {live_q})"
            " IS NOT NULL LIMIT 1 OFFSET %s) "
            # Scalar subqueries, worked out once, so that the others are left out before the
            # release table is read.
            "SELECT r.id FROM ranked k JOIN press_release r ON r.id = k.release_id "
            "WHERE (NOT EXISTS (SELECT 1 FROM last) OR k.tier > (SELECT tier FROM last) "
            "OR (k.tier = (SELECT tier FROM last) AND k.reads >= (SELECT reads FROM last))) "
            f"AND {live} "
            "ORDER BY k.tier DESC, k.reads DESC, r.published_at DESC, r.id DESC LIMIT %s"
        )
        params = [
            INTERESTING_PER_TOPIC - 1,
            self.pk,
            self.byline_id,
            Release.Status.PUBLISHED.value,
            self.byline_id,
            *newest_params,
            enough,
            *newest_params,
            enough,
            self.pk,
            since,
            *excluded,
            *live_q_params,
            limit - 1,
            *live_params,
            limit,
        ]
        return sql, params


@reversion.register()
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
        self.release.update_search_vector()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.release.update_search_vector()
        return result


def search_document():
    """The search vector of the release of the row being updated: title (A), subtitle and
    summary (B), body and quotes in their order (C). Also written in bulk by generate_data."""
    quotes = (
        Quote.objects.filter(release=OuterRef("pk"))
        .order_by()
        .values("release")
        .annotate(text=StringAgg("text", delimiter=" ", order_by=("order", "pk")))
        .values("text")
    )
    config = search_config()
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("subtitle", "summary", weight="B", config=config)
        + SearchVector(
            "body",
            Coalesce(Subquery(quotes), Value(""), output_field=TextField()),
            weight="C",
            config=config,
        )
    )


def _count(rows, release_field):
    """A subquery: how many of `rows` point at the outer release through `release_field`."""
    matching = rows.filter(**{release_field: OuterRef("pk")}).values(release_field)
    return Coalesce(Subquery(matching.annotate(n=Count("pk")).values("n")), 0)


def _newest_sharing(through, release_field, key_field, weight, extra_columns=""):
    """SQL: (release_id, weight, 0, then `extra_columns`) for the newest releases (by id) of
    each `key_field` (topic, person, organization) the release with id %s has, read backwards
    from the (key, release) index. Parameters: how many of the newest, minus one; the release
    id."""
    table = through._meta.db_table
    release = through._meta.get_field(release_field).column
    key = through._meta.get_field(key_field).column
    # The id of the last of the newest releases of the key: the candidates start there.
    floor = (
        f"SELECT n.{release} FROM {table} n WHERE n.{key} = mine.{key} "
        f"ORDER BY n.{release} DESC LIMIT 1 OFFSET %s"
    )
    return (
        f"SELECT t.{release} AS release_id, {weight} AS weight, 0 AS pinned{extra_columns} "
        f"FROM {table} t JOIN ("
        f"SELECT mine.{key}, COALESCE(({floor}), 0) AS floor FROM {table} mine "
        f"WHERE mine.{release} = %s"
        f") keys ON t.{key} = keys.{key} AND t.{release} >= keys.floor"
    )


def _keep_order():
    """Ends a sorted subquery that PostgreSQL must not merge into the query around it (SQLite
    has no OFFSET without LIMIT, and keeps the subquery as it is)."""
    return "OFFSET 0" if connection.vendor == "postgresql" else ""


def _live_sql(alias):
    """ReleaseQuerySet.live() in SQL, for the release table aliased `alias`, with its
    parameters. The querysets built on it apply live() again."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return (
        f"{alias}.status = %s AND {alias}.published_at <= %s "
        f"AND ({alias}.expires_at IS NULL OR {alias}.expires_at > %s)",
        [Release.Status.PUBLISHED.value, now, now],
    )


def _local_date(values):
    """The publication date at the dateline of a release read with .values()."""
    if not values["published_at"]:
        return None
    zone = zoneinfo.ZoneInfo(values["dateline_time_zone"])
    return values["published_at"].astimezone(zone).date()


class Step:
    """One kind of move through the workflow."""

    def __init__(self, sources, target, permission, verb, done):
        self.sources, self.target, self.permission = sources, target, permission
        self.verb, self.done = verb, done


_S = Release.Status
WORKFLOW = {
    "submit": Step({_S.DRAFT}, _S.IN_REVIEW, "press.submit_release", "submit", "submitted"),
    "return": Step({_S.IN_REVIEW}, _S.DRAFT, "press.publish_release", "return", "returned"),
    "publish": Step(
        {_S.DRAFT, _S.IN_REVIEW}, _S.PUBLISHED, "press.publish_release", "publish", "published"
    ),
    "unpublish": Step(
        {_S.PUBLISHED, _S.ARCHIVED}, _S.DRAFT, "press.publish_release", "unpublish", "unpublished"
    ),
    "archive": Step({_S.PUBLISHED}, _S.ARCHIVED, "press.publish_release", "archive", "archived"),
}
