"""Plain factory functions with obvious defaults. Pass only what a test is about."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from contacts.models import PressContact, PressOffice
from press.models import Organization, Person, Quote, Release, Role, Topic


def make_organization(name="Resilient Cities Network", **fields):
    fields.setdefault("slug", slugify(name))
    fields.setdefault("boilerplate", f"{name} helps cities prepare for shocks and stresses.")
    return Organization.objects.create(name=name, **fields)


def make_person(name="Lauren Sorkin", **fields):
    fields.setdefault("slug", slugify(name))
    return Person.objects.create(name=name, **fields)


def make_role(person, organization, title="Executive Director", **fields):
    return Role.objects.create(person=person, organization=organization, title=title, **fields)


def make_topic(name="Urban Resilience", **fields):
    fields.setdefault("slug", slugify(name))
    return Topic.objects.create(name=name, **fields)


def make_release(title="Cities join forces on heat", byline=None, topics=(), **fields):
    """A live release by default: published a day ago."""
    fields.setdefault("slug", slugify(title))
    fields.setdefault("status", Release.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=1))
    fields.setdefault("summary", f"Summary of {title}.")
    fields.setdefault("body", f"<p>Body of {title}.</p>")
    if byline is None:
        byline = Organization.objects.first() or make_organization()
    release = Release.objects.create(title=title, byline=byline, **fields)
    if topics:
        release.topics.set(topics)
    return release


def make_draft(title="A draft nobody may see", **fields):
    return make_release(title, status=Release.Status.DRAFT, published_at=None, **fields)


def make_scheduled(title="A release scheduled for tomorrow", **fields):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    return make_release(title, published_at=tomorrow, **fields)


def make_quote(release, person, text="We are proud of this work.", **fields):
    return Quote.objects.create(release=release, person=person, text=text, **fields)


def make_office(name="New York City", **fields):
    fields.setdefault("time_zone", "America/New_York")
    return PressOffice.objects.create(name=name, **fields)


def make_press_contact(name="Thomas Halaczinsky", office=None, **fields):
    fields.setdefault("email", f"{slugify(name)}@example.org")
    return PressContact.objects.create(name=name, office=office, **fields)
