"""The queryset every public list of releases starts from (live, scheduled, in a language, with
cards), and the field lists it and Release.save() share: the long texts a card never shows and
the fields save() compares with the row as stored."""

from django.conf import settings
from django.db import models
from modeltranslation.utils import build_localized_fieldname

from press.models import publication
from press.models.publication import distributable_condition, live_condition, scheduled_condition
from press.models.workflow import KEPT_ON_REVERT

# Long columns release cards never show (see ReleaseQuerySet.with_cards).
# A release's fields a list or a sort should not carry: kilobytes each.
LONG_TEXTS = ("body", "search_vector", "boilerplate")
# The byline's About text, in each language too (press/translation.py).
BYLINE_ABOUT = (
    "byline__boilerplate",
    *(
        f"byline__{build_localized_fieldname('boilerplate', code)}"
        for code, _ in settings.LANGUAGES
    ),
)
CARD_DEFERRED = (*LONG_TEXTS, *BYLINE_ABOUT)
# What Release.save() compares with the row as stored.
SAVED_STATE_FIELDS = (
    "dateline_date", "slug", "status", "published_at", "dateline_time_zone", "byline_id",
)  # fmt: skip


class ReleaseQuerySet(models.QuerySet):
    def live(self, now=None):
        """Live releases (press.models.publication)."""
        return self.filter(live_condition(now=now))

    def scheduled(self, now=None):
        """Releases under embargo: published for a time still to come."""
        return self.filter(scheduled_condition(now=now))

    def distributable(self, now=None):
        """Releases that may be sent to journalists: live, or scheduled (under embargo)."""
        return self.filter(distributable_condition(now=now))

    def in_language(self, language):
        """Releases written in `language` (a code such as "es"); None: every language."""
        return self if language is None else self.filter(language=language)

    def live_translations(self, release):
        """The live releases of `release`'s translation group other than itself, for the
        alternates of its page: what their addresses need."""
        return (
            self.other_live_translations(release.translation_key, release.pk)
            .only("language", "slug", "dateline_date", "translation_key")
            .order_by("language")
        )

    def other_live_translations(self, translation_key, pk):
        """The live releases of the translation group `translation_key` other than the release
        `pk` (values or OuterRef()s: Exists() of them says whether a release has any)."""
        return self.live().filter(translation_key=translation_key).exclude(pk=pk)

    def next_change(self):
        """The next moment a release goes live or expires by itself, or None. One query."""
        return publication.next_change(self)

    def with_cards(self):
        """What a release card in a list needs, in the same query, without the long texts a
        card never shows (body, search vector, boilerplates): a list of 20 reads kilobytes
        instead of hundreds."""
        return self.select_related("byline").defer(*CARD_DEFERRED)

    def standing(self, pk):
        """Where release `pk` stands, as stored: its address, and the fields only workflow
        steps change, which a revert keeps (ReleaseWorkflow.save_reverted()). None if there
        is no such release."""
        return self.filter(pk=pk).values(*SAVED_STATE_FIELDS, *KEPT_ON_REVERT).first()
