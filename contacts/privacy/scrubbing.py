"""Addresses and names replaced in text and JSON columns, for erasure: the rows that mention
an address found with one regular expression per column, and each value rewritten in Python
(JSON walked: lists, dicts, keys and strings). A row of a table kept as JSON (an upload's first
rows) that holds an address is about its person: every cell of it goes."""

import re

from django.db.models import Q, TextField
from django.db.models.functions import Cast

NAME_PLACEHOLDER = "[erased]"


def mentioning(queryset, fields, variants):
    """The rows of `queryset` with one of `variants` (in any case) in one of `fields` (JSON read
    as text): one regular expression per field, so a table is read once however many."""
    any_variant = "|".join(map(re.escape, sorted(set(variants), key=len, reverse=True)))
    condition = Q(pk__in=[])
    for name in fields:
        alias = f"_{name}_text"
        queryset = queryset.alias(**{alias: Cast(name, output_field=TextField())})
        condition |= Q(**{f"{alias}__iregex": any_variant})
    return queryset.filter(condition)


def scrub(queryset, fields, scrubbers):
    """In `fields` of the rows of `queryset`, what each (pattern, replacement) of `scrubbers`
    matches replaced; the ids of the rows changed."""
    changed = set()
    for row in queryset.only("pk", *fields):
        values = {}
        for name in fields:
            value = getattr(row, name)
            scrubbed = replace(value, scrubbers)
            if scrubbed != value:
                values[name] = scrubbed
        if values:
            type(row).objects.filter(pk=row.pk).update(**values)
            changed.add(row.pk)
    return changed


def replace(value, scrubbers):
    """`value` (text, or JSON: lists, dicts, strings) with what `scrubbers` match replaced."""
    if isinstance(value, str):
        for pattern, replacement in scrubbers:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, list) and not any(isinstance(item, list | dict) for item in value):
        if any(isinstance(item, str) and matches(item, scrubbers) for item in value):
            # A row of a table (an upload's first rows) with the address is about the person:
            # every cell of it goes.
            return [_erase_cell(item, scrubbers) for item in value]
    if isinstance(value, list):
        return [replace(item, scrubbers) for item in value]
    if isinstance(value, dict):
        return {replace(key, scrubbers): replace(item, scrubbers) for key, item in value.items()}
    return value


def matches(text, scrubbers):
    return any(pattern.search(text) for pattern, _ in scrubbers)


def _erase_cell(cell, scrubbers):
    if not isinstance(cell, str) or not cell:
        return cell
    return replace(cell, scrubbers) if matches(cell, scrubbers) else NAME_PLACEHOLDER
