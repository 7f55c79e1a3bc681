"""Paginators for long public lists: counts kept until content changes, pages found by their
keys, and pages kept under their number (CountedPaginator); a count already known
(KnownCountPaginator)."""

from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import SimpleLazyObject, cached_property

from core.caching import cached_until_changed, derived_key, kept_per_address, read_ahead
from core.page_cache import page_not_kept


class KnownCountPaginator(Paginator):
    """A Paginator told its count rather than asking the database. `object_list` may be a
    callable returning it, called when a page is first read: an index of pages (a sitemap's)
    needs only the count."""

    def __init__(self, object_list, per_page, count):
        self._read_list = object_list if callable(object_list) else None
        super().__init__([] if self._read_list else object_list, per_page)
        self.count = count

    def page(self, number):
        if self._read_list is not None:
            self.object_list, self._read_list = self._read_list(), None
        return super().page(number)


class CountedPaginator(Paginator):
    """A Paginator whose count (a COUNT over tens of thousands of live releases) is kept with
    cached_until_changed(); `name` tells the lists apart. A count of 0 is not kept: lists
    filtered by unknown names (?topic=anything) would each leave one. With `keep_pages`, each
    page's items (about 30 KB for 20 release cards) are kept the same way, a few minutes at
    most (kept_per_address), under its number once validated: only pages the list has."""

    def __init__(self, object_list, per_page, name, keys_first=False, keep_pages=False):
        super().__init__(object_list, per_page)
        self.name = name
        self.keys_first = keys_first
        self.keep_pages = keep_pages

    @cached_property
    def count(self):
        return cached_until_changed(
            count_name(self.name), lambda: Paginator.count.func(self), keep=bool
        )

    @staticmethod
    def read_count_ahead(name):
        """Read the count of the list `name` with the request's next look-up of a kept value
        (core.caching.read_ahead): for a view that knows the list's name before it reads."""
        read_ahead(derived_key(count_name(name)))

    def validate_number(self, number):
        """Django's, telling the page cache not to keep a page asked for by a number that is
        no page ("abc", one past the end: get_page() shows another), or the page of an empty
        list (an unknown filter): any number of such addresses show the same."""
        try:
            valid = super().validate_number(number)
        except InvalidPage:
            if number is not None:  # None: no number asked for, the first page is shown
                page_not_kept()
            raise
        if str(valid) != str(number) or not self.count:
            page_not_kept()
        return valid

    def _get_page(self, object_list, number, *args, **kwargs):
        """With `keys_first`, a page's rows are found by their keys, skipped through an index
        alone (one query with a subquery), so that page 2,000 reads 20 rows, not 40,000. For
        querysets whose keys are unique without DISTINCT. `object_list` is the page's slice,
        `number` its number, validated."""
        if self.keep_pages:
            # Read when first used: not at all when the page's part showing them is kept.
            found, key = object_list, f"page-items:{self.name}:{number}"
            object_list = SimpleLazyObject(
                lambda: kept_per_address(key, lambda: list(self._rows(found)))
            )
        else:
            object_list = self._rows(object_list)
        return super()._get_page(object_list, number, *args, **kwargs)

    def _rows(self, object_list):
        if self.keys_first:
            return self.object_list.filter(pk__in=object_list.values("pk"))
        return object_list


def count_name(name):
    """The name the count of the list `name` is kept under (CountedPaginator)."""
    return f"count:{name}"
