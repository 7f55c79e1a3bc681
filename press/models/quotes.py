"""Quotes in releases, and the search document they are part of: what a search finds a release
by is its own text and what the people in it said. Release keeps its stored document up to date
through SearchDocument; the quotes name Release by string, as Release's module imports this one.
"""

from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection, models
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from press.models.organizations import Person
from press.search_config import search_config

# The releases whose search vector is refreshed at the end of search_vector_refreshed_once().
_search_updates_deferred = ContextVar("search_updates_deferred", default=None)


@reversion.register()
class Quote(models.Model):
    release = models.ForeignKey("Release", on_delete=models.CASCADE, related_name="quotes")
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


def quotes_text():
    """The quotes of the outer release, in their order, as one text: a subquery."""
    return Subquery(
        Quote.objects.filter(release=OuterRef("pk"))
        .order_by()
        .values("release")
        .annotate(text=StringAgg("text", delimiter=" ", order_by=("order", "pk")))
        .values("text")
    )


def search_document():
    """The search vector of the release of the row being updated: title (A), subtitle and
    summary (B), body and quotes in their order (C). Also written in bulk by generate_data."""
    config = search_config()
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
        type(self).objects.filter(pk=self.pk).update(search_vector=search_document())

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
