"""The cells of an imported row turned into a contact's values, and what is wrong with them in
words an editor can act on."""

import datetime
import functools
import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from contacts.imports.columns import importable
from contacts.imports.formula_injection import restore
from contacts.models import MediaContact, normalize_email
from contacts.models.codes import country_code, language_codes
from press.models import Topic
from press.time_zones import available_time_zones


class FastEmailValidator(EmailValidator):
    """Django's validator with its patterns compiled up front: Django compiles them lazily,
    behind a proxy that costs more than the match on a 100,000-row import."""

    user_regex = re.compile(EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags)
    domain_regex = re.compile(
        EmailValidator.domain_regex.pattern, EmailValidator.domain_regex.flags
    )
    literal_regex = re.compile(
        EmailValidator.literal_regex.pattern, EmailValidator.literal_regex.flags
    )


validate_import_email = FastEmailValidator()
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
ZONES = frozenset(available_time_zones())


@functools.lru_cache(maxsize=1000)
def first_language(written):
    """The code of the first language of "Korean, English" ("ko"), or ""; a file repeats the
    same few values on many rows."""
    codes = language_codes(written)
    return codes[0] if codes else ""


class RowCleaner:
    """Turns a row's cells into {field: value}, leaving out empty cells, and lists what is
    wrong with it in words an editor can act on; `fields` is the field of each column (None
    for a column read past), `required` the fields a row must have. Called once per row of the
    file, so the work per column is decided once, here."""

    def __init__(self, fields, required=("email", "last_name")):
        self.width = len(fields)
        self.required = required
        limits = {
            f.name: (f.max_length, f.verbose_name)
            for f in MediaContact._meta.get_fields()
            # A country or language is written out in full and stored as its code.
            if getattr(f, "max_length", None) and f.name not in ("country", "language")
        }
        self.columns = []
        for index, name in enumerate(fields):
            if name is not None:
                clean = importable()[name].clean
                if clean is not None:
                    clean = functools.partial(_registered, clean)
                clean = clean or getattr(self, f"clean_{name}", self.clean_text)
                limit, label = limits.get(name, (None, name))
                self.columns.append((index, name, clean, limit, str(label)))
        # The languages written out ("Korean, English") give the language code when the file
        # has no column of its own for it: the first one is the contact's language.
        self.derive_language = "languages" in fields and "language" not in fields
        self.topics, self.beats = {}, {}
        if "beats" in fields:
            for pk, name, slug in Topic.objects.values_list("pk", "name", "slug"):
                self.topics[name.lower()] = self.topics[slug.lower()] = pk

    def __call__(self, cells):
        values, errors = {}, []
        if len(cells) > self.width and any(text(c) for c in cells[self.width :]):
            errors.append("more cells than columns (a value with a comma not in quotes?)")
        count = len(cells)
        for index, name, clean, limit, label in self.columns:
            if index >= count:
                continue
            cell = cells[index]
            if cell.__class__ is datetime.datetime or cell.__class__ is datetime.date:
                if name == "consent_date":
                    values[name] = cell.date() if isinstance(cell, datetime.datetime) else cell
                    continue
            value = text(cell)
            if not value:
                continue
            if limit and len(value) > limit and name != "email":
                errors.append(f"{label} is longer than {limit} characters")
                continue
            try:
                cleaned = clean(name, value)
            except ValidationError as error:
                errors.append(error.message)
                continue
            if cleaned is not None:
                values[name] = cleaned
        if self.derive_language and "languages" in values:
            code = first_language(values["languages"])
            if code:
                values["language"] = code
        if "full_name" in values:
            first, last = values.pop("full_name")
            if last:
                values.setdefault("last_name", last)
            if first:
                values.setdefault("first_name", first)
        for name, label in (("email", "email"), ("last_name", "last name")):
            if name in self.required and name not in values:
                if not any(label in error for error in errors):
                    errors.append(f"missing {label}")
        return values, errors

    def clean_text(self, name, value):
        return value

    def clean_email(self, name, value):
        email = normalize_email(value)
        try:
            if len(email) > 254 or CONTROL.search(email):
                raise ValidationError("")
            validate_import_email(email)
        except ValidationError:
            raise ValidationError(f"invalid email “{shorten(value)}”") from None
        return email

    def clean_full_name(self, name, value):
        """(first name, last name) of "Anna Maria Müller" or "Müller, Anna Maria": the last
        word is the last name unless a comma says otherwise."""
        if "," in value:
            last, first = (part.strip() for part in value.split(",", 1))
        else:
            first, _, last = value.rpartition(" ")
        if max(len(first), len(last)) > 100:
            raise ValidationError(
                "full name is longer than 100 characters for a first or last name"
            )
        return first.strip(), last.strip()

    def clean_consent_date(self, name, value):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            raise ValidationError(
                f"consent date “{shorten(value)}” is not a date like 2024-03-31"
            ) from None

    def clean_do_not_contact(self, name, value):
        answer = value.lower()
        if answer in ("yes", "y", "true", "1", "x", "dnc", "opted out"):
            return True
        if answer in ("no", "n", "false", "0"):
            return None  # not a change: an import never switches do-not-contact off
        raise ValidationError(f"do not contact “{shorten(value)}” should be yes or no")

    def clean_country(self, name, value):
        code = country_code(value)
        if not code:
            raise ValidationError(
                f"country “{shorten(value)}” is not one we know: use its "
                "name in English or its code, such as KR"
            )
        return code

    def clean_language(self, name, value):
        codes = language_codes(value)
        if not codes:
            raise ValidationError(
                f"language “{shorten(value)}” is not one we know: use its "
                "name or its code, such as ko"
            )
        return codes[0]

    def clean_time_zone(self, name, value):
        if value not in ZONES:
            raise ValidationError(
                f"time zone “{shorten(value)}” is not one we know: use a name such as Asia/Seoul"
            )
        return value

    def clean_beats(self, name, value):
        if value not in self.beats:  # a file repeats the same few beats on many rows
            wanted = [beat.strip() for beat in re.split(r"[,;]", value) if beat.strip()]
            unknown = [beat for beat in wanted if beat.lower() not in self.topics]
            if unknown:
                plural = "s" if len(unknown) > 1 else ""
                self.beats[value] = f"unknown beat{plural} “{'”, “'.join(unknown)}”"
            else:
                self.beats[value] = sorted({self.topics[beat.lower()] for beat in wanted})
        if isinstance(self.beats[value], str):
            raise ValidationError(self.beats[value])
        return self.beats[value]


def _registered(clean, name, value):
    """A field's cleaner of the registry (contacts/imports/columns.py), which takes the text."""
    return clean(value)


def blank(cells):
    """Whether a row has nothing in it (spreadsheets leave such rows behind)."""
    for cell in cells:
        if cell is None:
            continue
        if cell.__class__ is not str or cell.strip():
            return False
    return True


def text(cell):
    """A cell as trimmed text; an export's formula escaping (contacts/imports/formula_injection.py)
    undone."""
    if cell.__class__ is str:
        value = cell.strip()
    elif cell is None:
        return ""
    elif isinstance(cell, bool):
        return "yes" if cell else "no"
    elif isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a phone number typed into a spreadsheet becomes a number
    elif isinstance(cell, datetime.date):
        return cell.isoformat()
    else:
        value = str(cell).strip()
    return restore(value).strip()


def shorten(value, length=60):
    return value if len(value) <= length else value[: length - 1] + "…"
