"""What the API answers, as django-ninja schemas: they validate nothing coming in, they
describe what goes out (and so the OpenAPI schema partners code against)."""

import datetime
import uuid

from django.utils.translation import to_locale
from ninja import Schema
from pydantic import BaseModel


def bcp47(code):
    """A Django language code as a BCP 47 tag: pt-br is pt-BR."""
    return to_locale(code).replace("_", "-")


def absolute(context, path):
    return context["request"].build_absolute_uri(path)


class Named(Schema):
    slug: str
    name: str


# Releases are read in bulk: their schemas are plain pydantic models filled from dicts
# (api/releases.py), several times cheaper than reading model instances attribute by attribute.
class Link(BaseModel):
    slug: str
    name: str


class Image(BaseModel):
    url: str
    alt: str
    caption: str
    credit: str
    licence: str


class Release(BaseModel):
    id: int
    url: str
    ninjs_url: str
    title: str
    subtitle: str
    summary: str
    language: str
    translation_key: uuid.UUID
    published_at: datetime.datetime
    modified_at: datetime.datetime
    corrected_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    dateline: str
    dateline_place: str
    byline: Link
    topics: list[Link]
    people: list[Link]
    organizations: list[Link]
    featured_image: Image | None


class ReleasePage(BaseModel):
    next: str | None
    results: list[Release]


class Quote(BaseModel):
    text: str
    person: Link
    attribution: str


class Correction(BaseModel):
    note: str
    created_at: datetime.datetime


class Translation(BaseModel):
    id: int
    language: str
    title: str
    url: str


class ReleaseDetail(Release):
    body_html: str
    boilerplate: str
    quotes: list[Quote]
    corrections: list[Correction]
    translations: list[Translation]


class Topic(Schema):
    slug: str
    name: str
    description: str
    url: str

    @staticmethod
    def resolve_url(topic, context):
        return absolute(context, topic.get_absolute_url())


class Role(Schema):
    title: str
    kind: str
    organization: Named
    start_date: datetime.date | None
    end_date: datetime.date | None


class Person(Schema):
    slug: str
    name: str
    honorific: str
    bio: str
    url: str
    roles: list[Role]

    @staticmethod
    def resolve_url(person, context):
        return absolute(context, person.get_absolute_url())

    @staticmethod
    def resolve_roles(person):
        return list(person.roles.all())


class Organization(Schema):
    slug: str
    name: str
    short_name: str
    kind: str
    city: str
    country: str
    website: str
    url: str
    parent: Named | None

    @staticmethod
    def resolve_url(organization, context):
        return absolute(context, organization.get_absolute_url())


class PressContact(Schema):
    name: str
    title: str
    email: str
    phone: str


class PressOffice(Schema):
    name: str
    time_zone: str
    contacts: list[PressContact]

    @staticmethod
    def resolve_contacts(office):
        return list(office.contacts.all())


class PressOffices(Schema):
    global_contacts: list[PressContact]
    offices: list[PressOffice]
