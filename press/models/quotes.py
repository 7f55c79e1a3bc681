"""Quotes in releases, and the search document they are part of: what a search finds a release
by is its own text and what the people in it said. Release keeps its stored document up to date
through SearchDocument; the quotes name Release by string, as Release's module imports this one.
"""

from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.contrib.postgres.search import SearchVector
from django.db import connection, models
from django.db.models import TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.formats import date_format

from press.models.organizations import Person, Role, join_roles
from press.models.publication import Status
from press.search_config import DEFAULT_LANGUAGE, search_config

# The releases whose search vector is refreshed at the end of search_vector_refreshed_once().
_search_updates_deferred = ContextVar("search_updates_deferred", default=None)


@reversion.register()
class Quote(models.Model):
    release = models.ForeignKey("Release", on_delete=models.CASCADE, related_name="quotes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField()
    role = models.ForeignKey(
        Role,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="role printed first",
        help_text="Leave both roles empty to print every role the speaker held on the release "
        "date, oldest first.",
    )
    second_role = models.ForeignKey(
        Role,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="then",
    )
    attribution = models.CharField(
        max_length=300,
        blank=True,
        help_text="The speaker's role as printed. Leave empty while the release is a draft: it "
        "follows the roles chosen and the release date, and is written here when the release "
        "is published. It then stays as it was, even when their roles change; you can still "
        "edit it.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        indexes = [
            # Suggestions: the newest releases quoting a person count as theirs, read backwards
            # from this index like Release.people's (press.suggestions).
            models.Index(fields=["person", "release"], name="quote_person_release_idx"),
        ]

    def __str__(self):
        return f"{self.person}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        if not self.attribution and self.release.status == Status.PUBLISHED:
            # Added to a release already published: written once, like at publication.
            self.attribution = self.default_attribution()
        super().save(*args, **kwargs)
        self.release.update_search_vector()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.release.update_search_vector()
        return result

    def chosen_roles(self):
        """The roles the editor chose to print, in their order (none: the default)."""
        return [role for role in (self.role, self.second_role) if role is not None]

    def default_attribution(self):
        """The attribution when nobody typed one, in the release's language: the roles chosen,
        in their order, else every role the speaker held on the release date, oldest first.
        A query or two."""
        with translation.override(self.release.language):  # role titles in its language
            chosen = self.chosen_roles()
            if chosen:
                return join_roles(chosen, self.release.day)
            return self.person.attribution_on(self.release.day)

    @property
    def printed_attribution(self):
        """What the public page prints after the speaker's name: the attribution as written
        (at publication, or by hand), and for a release not published yet the default,
        which follows its date and the roles chosen."""
        if self.attribution or self.release.status == Status.PUBLISHED:
            return self.attribution
        return self.default_attribution()

    def freeze_attribution(self):
        """Write the default attribution into the quote, if none was typed: at publication."""
        if not self.attribution:
            self.attribution = self.default_attribution()
            super().save(update_fields=["attribution"])

    def role_warning(self):
        """What an editor should check about the attribution, or "": a speaker with no role
        on the release date, or a role chosen that was not held then."""
        if self.attribution:
            return ""
        day = self.release.day
        when = date_format(day, "j F Y")
        stale = [role for role in self.chosen_roles() if not role.held_on_day(day)]
        if stale:
            return f"{self.person} was not {stale[0].label_on(day)} on {when}, the release date."
        if not self.chosen_roles() and not self.person.roles.held_on(day).exists():
            return f"{self.person} held no role on {when}, the release date: no role is printed."
        return ""


def quotes_text_sql():
    """SQL for the quotes of the release of the row being read or updated (its table not
    aliased), in their order, as one text; NULL when it has none. Written once for the stored
    search vector (quotes_text()) and the search snippet (press.search_snippets)."""
    quote, release = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (Quote, Quote._meta.get_field("release").related_model)
    )
    order = connection.ops.quote_name(Quote._meta.get_field("order").column)
    return (
        f"(SELECT string_agg(q.text, ' ' ORDER BY q.{order}, q.id) FROM {quote} q "
        f"WHERE q.release_id = {release}.id)"
    )


def quotes_text():
    """quotes_text_sql() as an expression."""
    return RawSQL(quotes_text_sql(), [], output_field=TextField())


def search_document(language=DEFAULT_LANGUAGE):
    """The search vector of the release of the row being updated, read in `language`'s
    configuration: title (A), subtitle and summary (B), body and quotes in their order (C).
    Also written in bulk by generate_data."""
    config = search_config(language)
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("subtitle", "summary", weight="B", config=config)
        + SearchVector(
            "body",
            Coalesce(quotes_text(), Value(""), output_field=TextField()),
            weight="C",
            config=config,
        )
    )


class SearchDocument:
    """A release's stored search vector kept up to date (mixed into Release)."""

    def update_search_vector(self):
        """Refresh the stored search document (see search_document()). PostgreSQL only; one
        UPDATE. Called when the release or a quote is saved, except inside
        search_vector_refreshed_once(), which refreshes it once at its end."""
        if connection.vendor != "postgresql":
            return
        deferred = _search_updates_deferred.get()
        if deferred is not None and self.pk in deferred:
            return
        type(self).objects.filter(pk=self.pk).update(search_vector=search_document(self.language))

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
