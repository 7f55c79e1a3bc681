"""What the API answers, as django-ninja schemas: they validate nothing coming in, they
describe what goes out (and so the OpenAPI schema partners code against)."""

import datetime
import uuid

from django.utils.translation import to_locale
from ninja import Schema


def bcp47(code):
    """A Django language code as a BCP 47 tag: pt-br is pt-BR."""
    return to_locale(code).replace("_", "-")


def absolute(context, path):
    return context["request"].build_absolute_uri(path)


class Named(Schema):
    slug: str
    name: str


class Image(Schema):
    url: str
    alt: str
    caption: str
    credit: str
    licence: str


class Release(Schema):
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
    byline: Named
    topics: list[Named]
    people: list[Named]
    organizations: list[Named]
    featured_image: Image | None

    @staticmethod
    def resolve_url(release, context):
        return absolute(context, release.get_absolute_url())

    @staticmethod
    def resolve_ninjs_url(release, context):
        return absolute(context, f"/api/v1/releases/{release.pk}/ninjs")

    @staticmethod
    def resolve_language(release):
        return bcp47(release.language)

    @staticmethod
    def resolve_byline(release):
        return {"slug": release.byline.slug, "name": release.printed_byline}

    @staticmethod
    def resolve_topics(release):
        return list(release.topics.all())

    @staticmethod
    def resolve_people(release):
        return list(release.people.all())

    @staticmethod
    def resolve_organizations(release):
        return list(release.organizations.all())

    @staticmethod
    def resolve_featured_image(release, context):
        if not release.featured_image:
            return None
        return {
            "url": absolute(context, release.featured_image.url),
            "alt": release.featured_image_alt,
            "caption": release.featured_image_caption,
            "credit": release.featured_image_credit,
            "licence": release.featured_image_licence,
        }


class Quote(Schema):
    text: str
    person: Named
    attribution: str

    @staticmethod
    def resolve_attribution(quote):
        return quote.printed_attribution


class Correction(Schema):
    note: str
    created_at: datetime.datetime


class Translation(Schema):
    id: int
    language: str
    title: str
    url: str

    @staticmethod
    def resolve_language(release):
        return bcp47(release.language)

    @staticmethod
    def resolve_url(release, context):
        return absolute(context, f"/api/v1/releases/{release.pk}/")


class ReleaseDetail(Release):
    body_html: str
    boilerplate: str
    quotes: list[Quote]
    corrections: list[Correction]
    translations: list[Translation]

    @staticmethod
    def resolve_body_html(release):
        return str(release.body_with_quotes())

    @staticmethod
    def resolve_boilerplate(release):
        return release.printed_boilerplate

    @staticmethod
    def resolve_quotes(release):
        return list(release.quotes.all())

    @staticmethod
    def resolve_corrections(release):
        return release.public_corrections

    @staticmethod
    def resolve_translations(release):
        return release.live_translations


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
