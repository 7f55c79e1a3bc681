"""Media contacts as spreadsheet columns: those of an export, named and turned into cells by
the django-import-export Resource; and the registry of the fields an import can fill
(IMPORTABLE), each suggested for the headings that mean it, the export's own among them, so an
exported file imports back unchanged."""

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from import_export import fields, resources, widgets

from contacts.models import ContactTag, MediaContact, Outlet
from press.models import Topic


class MediaContactResource(resources.ModelResource):
    email = fields.Field(attribute="email", column_name="Email")
    first_name = fields.Field(attribute="first_name", column_name="First name")
    last_name = fields.Field(attribute="last_name", column_name="Last name")
    phone = fields.Field(attribute="phone", column_name="Phone")
    outlet = fields.Field(
        attribute="outlet", column_name="Outlet", widget=widgets.ForeignKeyWidget(Outlet, "name")
    )
    job_title = fields.Field(attribute="job_title", column_name="Job title")
    beats = fields.Field(
        attribute="beats",
        column_name="Beats",
        widget=widgets.ManyToManyWidget(Topic, field="name", separator=", "),
    )
    regions = fields.Field(attribute="regions", column_name="Regions")
    languages = fields.Field(attribute="languages", column_name="Languages")
    country = fields.Field(attribute="country", column_name="Country")
    time_zone = fields.Field(attribute="time_zone", column_name="Time zone")
    language = fields.Field(attribute="language", column_name="Language code")
    # Exported for reading; an import leaves tags alone (tags are given in the admin).
    tags = fields.Field(
        attribute="tags",
        column_name="Tags",
        widget=widgets.ManyToManyWidget(ContactTag, field="name", separator=", "),
        readonly=True,
    )
    notes = fields.Field(attribute="notes", column_name="Notes")
    source = fields.Field(attribute="source", column_name="Source")
    consent_basis = fields.Field(attribute="consent_basis", column_name="Consent basis")
    consent_date = fields.Field(
        attribute="consent_date", column_name="Consent date", widget=widgets.DateWidget("%Y-%m-%d")
    )
    do_not_contact = fields.Field(attribute="do_not_contact", column_name="Do not contact")
    do_not_contact_reason = fields.Field(
        attribute="do_not_contact_reason", column_name="Do-not-contact reason"
    )
    do_not_contact_since = fields.Field(
        attribute="do_not_contact_since", column_name="Do-not-contact since", readonly=True
    )
    created_at = fields.Field(attribute="created_at", column_name="Created", readonly=True)
    updated_at = fields.Field(attribute="updated_at", column_name="Updated", readonly=True)

    class Meta:
        model = MediaContact
        fields = [
            "email", "first_name", "last_name", "phone", "outlet", "job_title", "beats",
            "regions", "languages", "country", "time_zone", "language", "tags", "notes",
            "source", "consent_basis", "consent_date",
            "do_not_contact", "do_not_contact_reason", "do_not_contact_since",
            "created_at", "updated_at",
        ]  # fmt: skip
        import_id_fields = ["email"]

    def dehydrate_country(self, contact):
        return contact.country.code

    def dehydrate_do_not_contact(self, contact):
        return "yes" if contact.do_not_contact else ""

    def dehydrate_do_not_contact_since(self, contact):
        return _timestamp(contact.do_not_contact_since)

    def dehydrate_created_at(self, contact):
        return _timestamp(contact.created_at)

    def dehydrate_updated_at(self, contact):
        return _timestamp(contact.updated_at)


def _timestamp(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass(frozen=True)
class Importable:
    """A field an import can fill from a column of a file.

    `name` is a MediaContact field, or one the write knows how to store (outlet, beats; full_name
    fills `fills` instead); `aliases` are headings that mean it besides its label and its name
    (compared by `heading_key`, so case, spaces and hyphens don't matter); `clean`, when the
    cell's text isn't the value as it is, turns the text into the value or raises a
    ValidationError whose message names the problem in an editor's words. A field of another
    model (an outlet's type) also needs its write in contacts/imports/write.py, as outlet has.
    """

    name: str
    aliases: tuple = ()
    required: bool = False
    label: str = ""  # when the export has no column of it
    clean: Callable | None = None
    fills: tuple = ()


# What the mapping step offers, in this order. English and German headings, and those of the
# exports of Cision, Muck Rack and Mailchimp, are suggested for their field.
IMPORTABLE = [
    Importable(
        "email",
        ("e-mail", "email address", "e-mail address", "mail", "work email", "e-mail-adresse"),
        required=True,
    ),
    Importable("first_name", ("firstname", "given name", "forename", "vorname")),
    Importable(
        "last_name",
        ("lastname", "surname", "family name", "nachname", "familienname"),
        required=True,
    ),
    Importable(
        "full_name",
        ("name", "contact name", "journalist", "vollständiger name"),
        label="Full name (first and last)",
        fills=("first_name", "last_name"),
    ),
    Importable(
        "phone",
        ("telephone", "phone number", "tel", "mobile", "work phone", "telefon", "mobil", "handy"),
    ),
    Importable(
        "outlet",
        (
            "media outlet",
            "outlet name",
            "outlets",
            "publication",
            "media",
            "medium",
            "company",
            "organisation",
            "organization",
            "redaktion",
        ),
    ),  # fmt: skip
    Importable("job_title", ("title", "position", "role", "job", "funktion")),
    Importable("beats", ("beat", "topics", "topic", "subjects", "ressort", "ressorts", "themen")),
    Importable("regions", ("region", "regions or cities", "cities", "city", "location", "ort")),
    Importable("languages", ("language", "languages spoken", "sprache", "sprachen")),
    # Country, time zone and language code are read into codes by RowCleaner's clean_<name>.
    Importable("country", ("nation", "country code", "land")),
    Importable("time_zone", ("timezone", "tz", "zeitzone")),
    Importable(
        "language",
        ("language iso", "preferred language", "language code", "email language", "idioma"),
    ),
    Importable(
        "notes", ("note", "comments", "notiz", "notizen", "bemerkung", "bemerkungen", "anmerkung")
    ),
    Importable("source", ("quelle", "herkunft")),
    Importable("consent_basis", ("lawful basis", "legal basis", "rechtsgrundlage")),
    Importable("consent_date", ("einwilligung", "einwilligungsdatum")),
    Importable("do_not_contact", ("dnc", "opted out", "opt out", "kein kontakt", "sperrvermerk")),
    Importable("do_not_contact_reason", ("dnc reason", "opt out reason")),
]
# A suppression list has one column to fill.
SUPPRESSION_FIELDS = ["email"]


def heading_key(heading):
    """A heading as headings are compared: letters and digits only, in lower case, so that
    "E-Mail", "e-mail" and "EMAIL" are one."""
    return "".join(character for character in str(heading or "").casefold() if character.isalnum())


@functools.cache
def importable():
    """{name: Importable}, each with its label: the export's heading for the field."""
    headings = {name: f.column_name for name, f in MediaContactResource().fields.items()}
    return {
        field.name: dataclasses.replace(field, label=field.label or headings[field.name])
        for field in IMPORTABLE
    }


@functools.cache
def synonyms():
    """{heading_key: field name} of every heading that means a field: its label, its name and
    its aliases."""
    found = {}
    for field in importable().values():
        for heading in (field.label, field.name, *field.aliases):
            found.setdefault(heading_key(heading), field.name)
    return found


def field_choices(kind):
    """(name, label) of the fields a column may fill, for an import of `kind`."""
    fields = importable()
    names = SUPPRESSION_FIELDS if kind == "suppressions" else list(fields)
    return [(name, fields[name].label) for name in names]


def required_fields(kind):
    return (
        SUPPRESSION_FIELDS
        if kind == "suppressions"
        else [field.name for field in importable().values() if field.required]
    )


def written_fields(fields):
    """The fields the columns `fields` write (full name: first and last), in the registry's
    order."""
    chosen = set()
    for name in filter(None, fields):
        chosen.update(importable()[name].fills or [name])
    return [name for name in importable() if name in chosen]
