"""Paging and filtering the media contacts changelist, built for a million rows."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django_countries import countries

from contacts.models import ContactTag, MediaList, Outlet, Segment
from contacts.models.codes import LANGUAGES
from contacts.models.segments import rules_q
from core.ids import parse_id
from press.models import Topic
from press.time_zones import available_time_zones


class LargeTablePaginator(Paginator):
    """Pages a million rows without counting or sorting them all.

    Unfiltered on PostgreSQL the count is the planner's estimate of the table's size; filtered,
    counting stops at `limit` + 1 rows, and the page says "more than 10,000".

    A search (`searched`) is paged differently. No plan finds the first page of matches in
    name order cheaply for every word: walking the name index is quick when matches are
    everywhere ("anna") and reads half the table when they sit together ("Müller"); sorting
    the matches is quick when they are few and slow when they are many. So the paginator
    takes the first `limit` + 1 matches the trigram indexes find, in no order, has the
    database sort those, and shows them a page at a time: a search matching more than
    10,000 contacts shows 10,000 of them, and the search box says to add a word.

    A filter matching at most `limit` contacts is paged the same way, after its count: all its
    matches are among those found, so the pages are exactly those of the name order. (Walking
    the name index to find the 50 first members of a list of 4,000 reads some 20,000 contacts.)
    A filter matching more walks the name index, where its matches are dense enough to fill a
    page soon.

    A page deep in the name order (from row `deferred_from`) takes the ids first, from the name
    index alone, then those rows: the rows skipped are never read from the table. (bench/crm.py
    measures these pages at a million contacts.)"""

    limit = 10_000
    deferred_from = 1_000
    estimated = capped = False

    def __init__(self, *args, searched=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.searched = searched

    @cached_property
    def count(self):
        if self.searched:
            return len(self.found)
        queryset = self.object_list
        connection = connections[queryset.db]
        if not queryset.query.where and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            if estimate > self.limit:  # -1 until the table is first analyzed
                self.estimated = True
                return estimate
        count = queryset.order_by().values("pk")[: self.limit + 1].count()
        self.capped = count > self.limit
        return count

    @property
    def by_found_ids(self):
        """Whether pages are slices of `found`: a search, or a filter matching at most `limit`
        contacts. Reads the count."""
        if self.searched:
            return True
        return self.count <= self.limit and bool(self.object_list.query.where)

    @cached_property
    def found(self):
        """The ids of the first `limit` + 1 matches in the changelist's order: one query, sorted
        by the database (in its collation, as the unfiltered list is)."""
        queryset = self.object_list
        ordering = queryset.query.order_by or queryset.model._meta.ordering or ["pk"]
        order = [(name.lstrip("-"), name.startswith("-")) for name in ordering]
        names = ["pk", *[name for name, _ in order if name != "pk"]]
        probe = queryset.order_by().values_list(*names)[: self.limit + 1]
        try:
            sql, params = probe.query.sql_with_params()
        except EmptyResultSet:  # a filter no row can match, like an outlet id of 30 digits
            self.capped = False
            return []
        connection = connections[queryset.db]
        quote = connection.ops.quote_name
        order_by = ", ".join(f"{quote(name)}{' DESC' * desc}" for name, desc in order)
        with connection.cursor() as cursor:
            # The subquery's LIMIT keeps the planner from walking the name index instead.
            cursor.execute(f"SELECT {quote('pk')} FROM ({sql}) found ORDER BY {order_by}", params)
            ids = [row[0] for row in cursor.fetchall()]
        self.capped = len(ids) > self.limit
        return ids

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.by_found_ids:
            ids = self.found[bottom : bottom + self.per_page]
        elif bottom >= self.deferred_from:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        else:
            return super().page(number)
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)

    @property
    def count_text(self):
        if self.estimated:
            return f"About {self.count:,}"
        if self.capped:
            return f"More than {self.limit:,}"
        return f"{self.count:,}"


class ContactChangeList(ChangeList):
    def get_ordering(self, request, queryset):
        """Sorted by name either way, the order is the whole (last_name, first_name, id) of
        the name index, read forwards or backwards. (Django would sort by last name, then by
        id descending: a sort of every contact sharing a last name, on every page.)"""
        ordering = super().get_ordering(request, queryset)
        if ordering and ordering[0] in ("last_name", "-last_name"):
            sign = "-" if ordering[0].startswith("-") else ""
            return [f"{sign}last_name", f"{sign}first_name", f"{sign}pk"]
        return ordering

    def get_results(self, request):
        super().get_results(request)
        if self.paginator.by_found_ids and (
            not self.multi_page or (self.show_all and self.can_show_all)
        ):
            # Django shows a single page (or "show all") as the whole queryset: a second search
            # of the table. The matches are already found: their rows are read by id.
            self.result_list = self.queryset.filter(pk__in=self.paginator.found)


class TextFilter(admin.SimpleListFilter):
    """A filter typed into a box: for free text with too many values to list."""

    template = "admin/contacts/text_filter.html"
    lookup = None

    def lookups(self, request, model_admin):
        return [("", "")]  # one entry, so the filter shows

    def choices(self, changelist):
        params = {k: v for k, v in changelist.params.items() if k != self.parameter_name}
        params.pop("p", None)
        yield {
            "value": self.value() or "",
            "hidden": params,
            "name": self.parameter_name,
            "options": self.options(),
        }

    def options(self):
        """The values offered, as (value, label): none for a box typed into."""
        return []

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.lookup: self.value().strip()})
        return queryset


class SelectFilter(TextFilter):
    """A filter picked from a drop-down: for codes with too many values to show as links
    (every country, every time zone), all offered whether any contact has them or not, so the
    page never asks a million contacts which they have."""

    template = "admin/contacts/select_filter.html"

    def lookups(self, request, model_admin):
        return self.options()

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "options": self.lookup_choices}


class RegionFilter(TextFilter):
    title = "region or city"
    parameter_name = "region"
    lookup = "regions__icontains"


class CountryFilter(SelectFilter):
    title = "country"
    parameter_name = "country"
    lookup = "country"

    def options(self):
        return list(countries)


class LanguageFilter(SelectFilter):
    title = "language"
    parameter_name = "language"
    lookup = "language"

    def options(self):
        return LANGUAGES


class TimeZoneFilter(SelectFilter):
    title = "time zone"
    parameter_name = "time_zone"
    lookup = "time_zone"

    def options(self):
        return [(zone, zone) for zone in available_time_zones()]


class TagFilter(SelectFilter):
    """Shown once there is a tag; the tags are read with the other filters' choices, before
    the page."""

    title = "tag"
    parameter_name = "tag"

    def options(self):
        return [(str(pk), name) for pk, name in ContactTag.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value():
            # One row per contact and tag (a unique constraint): no duplicates.
            return queryset.filter(tagged_items__tag=parse_id(self.value()) or 0)
        return queryset


class OutletKindFilter(admin.SimpleListFilter):
    title = "outlet type"
    parameter_name = "outlet_kind"

    def lookups(self, request, model_admin):
        return Outlet.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(outlet__kind=self.value())
        return queryset


class BeatFilter(admin.SimpleListFilter):
    title = "beat"
    parameter_name = "beat"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Topic.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(beats=parse_id(self.value()) or 0)
        return queryset


class ListFilter(admin.SimpleListFilter):
    title = "list"
    parameter_name = "list"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in MediaList.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value():
            # One current membership per list and contact (a unique constraint): no duplicates.
            list_id = parse_id(self.value()) or 0
            return queryset.filter(
                memberships__media_list=list_id, memberships__left_at__isnull=True
            )
        return queryset


class SegmentFilter(admin.SimpleListFilter):
    """The members of a segment now (the "Members" link of a segment's page)."""

    title = "segment"
    parameter_name = "segment"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Segment.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value():
            segment = Segment.objects.filter(pk=parse_id(self.value()) or 0).first()
            rules = segment.rules if segment else {}
            return queryset.filter(rules_q(rules), erased_at__isnull=True)
        return queryset
