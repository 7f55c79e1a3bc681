"""Row ids: those typed into forms and addresses (ASCII digits only, small enough for any integer
column; or, for any key, a value its column can hold), and the next ones of a table's sequence
for rows written with COPY.

SQLite raises OverflowError (a 500) for an integer beyond 64 bits instead of matching nothing,
and `str.isdigit()` accepts "²" and "٣", which `int()` then refuses or reads differently.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections

LARGEST_ID = 2**63 - 1


def parse_id(text):
    """The id `text` stands for, or None when it cannot be one."""
    text = str(text).strip()
    if text.isascii() and text.isdigit() and int(text) <= LARGEST_ID:
        return int(text)
    return None


def fits(model_field, value):
    """Whether `value`, as typed or posted, could be stored in `model_field` (a primary key, the
    target of a foreign key): "abc" for an integer column, an integer beyond its range or text
    with NUL (which PostgreSQL refuses) can match no row, and reaching a query they fail."""
    if "\x00" in str(value):
        return False
    try:
        model_field.run_validators(model_field.to_python(value))
    except ValidationError:
        return False
    return True


def _refuse_impossible(field, values):
    for value in values:
        field.validate_no_null_characters(value)  # Django's own message for NUL comes first
        if value not in field.empty_values and parse_id(value) is None:
            raise ValidationError(
                field.error_messages["invalid_pk_value"],
                code="invalid_pk_value",
                params={"pk": value},
            )


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an impossible id before it reaches a query."""

    default_error_messages = {"invalid_pk_value": "“%(pk)s” is not a valid value."}

    def to_python(self, value):
        _refuse_impossible(self, [value])
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses impossible ids before they reach a query."""

    def _check_values(self, value):
        _refuse_impossible(self, value)
        return super()._check_values(value)


def next_ids(model, count):
    """The next `count` ids of `model`'s sequence (PostgreSQL), for rows written with COPY,
    which gives none back: one query."""
    connection = connections[model.objects.db]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column, count],
        )
        return [value for (value,) in cursor.fetchall()]
