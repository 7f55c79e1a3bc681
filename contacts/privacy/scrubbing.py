"""Addresses and names replaced in text and JSON columns, for erasure: the rows that mention
an address found with one regular expression per column, and each value rewritten in Python
(JSON walked: lists, dicts, keys and strings). A row of a table kept as JSON (an upload's first
rows) that holds an address is about its person: every cell of it goes."""

import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from django.db import connection
from django.db.models import BooleanField, Func, Q, TextField
from django.db.models.functions import Cast
from django.db.models.lookups import IRegex

NAME_PLACEHOLDER = "[erased]"


@dataclass(frozen=True)
class Scrubber:
    """What `pattern` matches becomes `replacement`; in a text it matched, what `names` match
    (the person's names, beside their address) becomes NAME_PLACEHOLDER too."""

    pattern: re.Pattern
    replacement: str
    names: re.Pattern | None = None

    def __call__(self, text):
        if not self.pattern.search(text):
            return text
        text = self.pattern.sub(self.replacement, text)
        return self.names.sub(NAME_PLACEHOLDER, text) if self.names else text


def variants(addresses):
    """Each of `addresses` as written and URL-encoded (in a link's query string)."""
    found = set()
    for address in addresses:
        found.update([address, quote(address, safe=""), quote(address, safe="@")])
        found.add(quote_plus(address))
    return sorted(found, key=len, reverse=True)  # longest first: a match takes all of it


def address_pattern(addresses):
    """Any of `addresses`, however written, in any case; None for none."""
    if not addresses:
        return None
    return re.compile("|".join(map(re.escape, variants(addresses))), re.IGNORECASE)


def mentioning(queryset, fields, addresses):
    """The rows of `queryset` that mention one of `addresses` (see `mentions`)."""
    return queryset.filter(mentions(fields, addresses))


def mentions(fields, addresses):
    """The condition that one of `fields` (JSON read as text) holds one of `addresses`, however
    written, in any case: a table is read once, however many addresses.

    On PostgreSQL, `lower(column) LIKE ANY (patterns)`, with one pattern per address that all
    its ways of being written match (the local part up to its first character a URL encodes,
    anything, the domain): ten times faster than a regular expression of every variant, which
    the rows found are then held to by `scrub`. Elsewhere, that regular expression."""
    condition = Q(pk__in=[])
    likes = sorted({_like(address) for address in addresses})
    any_variant = "|".join(map(re.escape, variants(addresses)))
    for name in fields:
        text = Cast(name, output_field=TextField())
        if connection.vendor == "postgresql":
            condition |= Q(LikeAny(text, likes))
        else:
            condition |= Q(IRegex(text, any_variant))
    return condition


class LikeAny(Func):
    """`lower(text) LIKE ANY (patterns)`: true when the text matches one of the LIKE patterns
    (lower case)."""

    output_field = BooleanField()

    def __init__(self, expression, patterns):
        super().__init__(expression)
        self.patterns = list(patterns)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"lower({sql}) LIKE ANY (%s)", [*params, self.patterns]


def _like(address):
    local, _, domain = address.lower().rpartition("@")
    plain = re.match(r"[a-z0-9_.\-~]*", local).group()
    return f"%{_escape_like(plain)}%{_escape_like(domain)}%"


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def scrub(queryset, fields, scrubbers):
    """`fields` of the rows of `queryset` rewritten by each of `scrubbers`; the ids of the rows
    changed."""
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
        for scrubber in scrubbers:
            value = scrubber(value)
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
    return any(scrubber.pattern.search(text) for scrubber in scrubbers)


def _erase_cell(cell, scrubbers):
    if not isinstance(cell, str) or not cell:
        return cell
    return replace(cell, scrubbers) if matches(cell, scrubbers) else NAME_PLACEHOLDER
