"""Media contacts as spreadsheet columns: those of an export, which are also the columns an
import understands, so an exported file imports back unchanged. The django-import-export
Resource names the columns and turns a contact into cells."""

import re

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


# The headings an import accepts for each field, besides the export's own (compared in lower
# case with spaces, hyphens and underscores alike).
ALIASES = {
    "email": ["e-mail", "email address", "e-mail address", "mail"],
    "first_name": ["firstname", "given name", "forename"],
    "last_name": ["lastname", "surname", "family name"],
    "phone": ["telephone", "phone number", "tel", "mobile"],
    "outlet": ["media outlet", "publication", "media", "organisation", "organization"],
    "job_title": ["title", "position", "role"],
    "beats": ["beat", "topics", "topic"],
    "regions": ["region", "regions or cities", "cities", "city"],
    "languages": ["language", "languages spoken"],
    "country": ["nation", "country code", "land"],
    "time_zone": ["timezone", "tz"],
    "language": ["language iso", "preferred language"],
    "notes": ["note", "comments"],
    "consent_basis": ["lawful basis", "legal basis"],
    "do_not_contact": ["dnc", "opted out", "opt out"],
    "do_not_contact_reason": ["dnc reason", "opt out reason"],
}


def normalize_heading(heading):
    return re.sub(r"[\s_\-]+", " ", str(heading or "")).strip().lower()


def import_columns():
    """{normalized heading: field name} for the columns an import writes, and the set of
    headings it reads past: those an export adds for information (created, updated)."""
    resource = MediaContactResource()
    columns, ignored = {}, {"id"}
    for name, field in resource.fields.items():
        heading = normalize_heading(field.column_name)
        if field.readonly:
            ignored.add(heading)
            continue
        columns[heading] = name
        columns[normalize_heading(name)] = name
        for alias in ALIASES.get(name, []):
            columns[normalize_heading(alias)] = name
    return columns, ignored


def import_headings():
    """The headings of the columns an import writes, as an export names them."""
    return [f.column_name for f in MediaContactResource().get_export_fields() if not f.readonly]
