"""Plain factory functions with obvious defaults. Pass only what a test is about."""

import datetime
import io
from html.parser import HTMLParser

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from contacts.models import (
    Delivery,
    Mailing,
    MediaContact,
    MediaList,
    Membership,
    Outlet,
    PressContact,
    PressOffice,
    Subscriber,
)
from core.models import SiteSettings
from press.models import Organization, Person, Quote, Release, Role, Topic


def days_ago(days):
    """The time `days` days before now: when a test's release was published, say."""
    return timezone.now() - datetime.timedelta(days=days)


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


def make_expired(title="A release that expired yesterday", **fields):
    """Published two days ago, expired a day ago: no longer public."""
    now = timezone.now()
    fields.setdefault("published_at", now - datetime.timedelta(days=2))
    return make_release(title, expires_at=now - datetime.timedelta(days=1), **fields)


def make_quote(release, person, text="We are proud of this work.", **fields):
    return Quote.objects.create(release=release, person=person, text=text, **fields)


def make_office(name="New York City", **fields):
    fields.setdefault("time_zone", "America/New_York")
    return PressOffice.objects.create(name=name, **fields)


def make_press_contact(name="Thomas Halaczinsky", office=None, **fields):
    fields.setdefault("email", f"{slugify(name)}@example.org")
    return PressContact.objects.create(name=name, office=office, **fields)


def make_subscriber(email="reader@example.org", **fields):
    fields.setdefault("consented_at", timezone.now())
    return Subscriber.objects.create(email=email, **fields)


def make_outlet(name="The Daily Planet", **fields):
    return Outlet.objects.create(name=name, **fields)


def make_media_contact(first_name="Lois", last_name="Lane", outlet=None, **fields):
    """A journalist, with an address made from the name: pass `email` for a namesake."""
    fields.setdefault("email", f"{slugify(first_name)}.{slugify(last_name)}@example.com")
    return MediaContact.objects.create(
        first_name=first_name, last_name=last_name, outlet=outlet, **fields
    )


def make_media_list(name="Climate desks", contacts=(), **fields):
    """A media list with `contacts` as current members."""
    media_list = MediaList.objects.create(name=name, **fields)
    for contact in contacts:
        Membership.objects.create(media_list=media_list, contact=contact)
    return media_list


def make_mailing(release=None, kind=Mailing.Kind.DISTRIBUTION, **fields):
    return Mailing.objects.create(release=release or make_release(), kind=kind, **fields)


def make_delivery(mailing, contact, **fields):
    """One email of `mailing` to `contact`, at the contact's address unless told."""
    fields.setdefault("email", contact.email)
    return Delivery.objects.create(mailing=mailing, contact=contact, **fields)


def make_image_file(name="photo.jpg", size=(1200, 800), format="JPEG", **save_options):
    """An upload as a browser sends it, drawn by Pillow: no fixture file needed. The left half
    is red and the right half blue, so a test can tell which way up it is."""
    image = Image.new("RGB", size, (220, 0, 0))
    image.paste((0, 0, 220), (size[0] // 2, 0, *size))
    buffer = io.BytesIO()
    image.save(buffer, format, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{format.lower()}")


def make_release_image(release, image=None, alt_text="Volunteers planting trees", **fields):
    return release.images.create(image=image or make_image_file(), alt_text=alt_text, **fields)


def name_the_organization(name, **fields):
    """The site settings saved with this organization name, then read once, so they are cached
    as every server has them between two saves."""
    SiteSettings(organization_name=name, **fields).save()
    return SiteSettings.objects.current()


def make_user(username="editor", group_name="Editor", **fields):
    """A staff member (not a superuser) in one of the editorial groups the migrations create:
    Contributor, Editor, Press officer or Administrator."""
    fields.setdefault("email", f"{username}@example.org")
    user = User.objects.create_user(username, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def form_data(page, form_id="release_form", **changes):
    """What a browser posts from the form with id `form_id` on `page` (an admin change or add
    page), with `changes` typed over it: every field as the page filled it in, inline
    management forms included, empty inline templates and file inputs left out."""
    reader = _FormReader(form_id)
    reader.feed(page)
    assert reader.found, f"The page has no form #{form_id}."
    return {**reader.data, **changes}


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.found, self.inside, self.data = form_id, False, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            self.found = self.found or self.inside
        elif not self.inside or "__prefix__" in name:
            return
        elif tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value") or "on")
            elif kind not in ("file", "submit", "button", "reset", "image"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self.textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "first": None}
            self.data[name] = []
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.data[self.select["name"]].append(value)

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that opens a textarea's content; so does Django.
            self.data[self.textarea] = self.data[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "select" and self.select:
            name, chosen = self.select["name"], self.data[self.select["name"]]
            if not self.select["multiple"]:
                # A single select with nothing marked sends its first option.
                self.data[name] = chosen[0] if chosen else (self.select["first"] or "")
            self.select = None
