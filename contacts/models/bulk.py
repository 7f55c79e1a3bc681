"""Queries over many rows at once: a list cut into batches, and a long list of values as one
parameter. The import reads and writes its rows this way, and so do list changes and the
erased-address check."""

from django.db import connection
from django.db.models.expressions import RawSQL


def batches(items, size):
    """`items` (a list) in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def any_of(values, db_type):
    """The right side of an `__in` lookup on many `values`. On PostgreSQL one array parameter,
    `IN (SELECT unnest(%s::db_type[]))`, which the driver adapts in C, where Django would
    prepare each value of a list in Python. Elsewhere the list itself."""
    values = list(values)
    if connection.vendor == "postgresql" and values:
        return RawSQL(f"SELECT unnest(%s::{db_type}[])", [values])
    return values
