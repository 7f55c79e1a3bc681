import tomllib
import zoneinfo
from importlib import resources

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from contacts.models import PressContact, PressOffice
from newsroom import demo_pictures
from press.models import Organization, Person, Quote, Release, Role, Topic


class Command(BaseCommand):
    """Load the demo newsroom from newsroom/demo.toml.

    Idempotent: every row is written with update_or_create on its natural key (slugs; a
    release's dateline date and slug; a quote's release and order; ...) and every many-to-many
    with .set(), so running it again updates rows in place and never duplicates them. Demo
    admin accounts are created only when DEBUG is on.
    """

    help = "Load demo organizations, people, releases and press contacts (safe to run again)."

    def handle(self, *args, **options):
        demo = tomllib.loads(
            resources.files("newsroom").joinpath("demo.toml").read_text(encoding="utf-8")
        )
        # The demo's fields are English (name = "Events" is the English name); its
        # translations are named (name_ko). Whatever language the thread last served.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            organizations = self.load_organizations(demo["organizations"])
            people = self.load_people(demo["people"])
            self.load_roles(demo["roles"], people, organizations)
            topics = self.load_topics(demo["topics"])
            releases = self.load_releases(demo["releases"], organizations, people, topics)
            contacts = self.load_press_contacts(demo["press_offices"], demo["press_contacts"])
            self.add_pictures(releases, people.values())
        self.create_demo_accounts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(organizations)} organizations, {len(people)} people, "
                f"{len(releases)} releases, {len(contacts)} press contacts."
            )
        )

    def load_organizations(self, rows):
        organizations = {}
        for data in rows:
            fields = {key: value for key, value in data.items() if key not in ("slug", "parent")}
            parent = data.get("parent")
            fields["parent"] = organizations[parent] if parent else None
            organizations[data["slug"]], _ = Organization.objects.update_or_create(
                slug=data["slug"], defaults=fields
            )
        return organizations

    def load_people(self, rows):
        people = {}
        for data in rows:
            fields = {key: value for key, value in data.items() if key != "slug"}
            people[data["slug"]], _ = Person.objects.update_or_create(
                slug=data["slug"], defaults=fields
            )
        return people

    def load_roles(self, rows, people, organizations):
        for data in rows:
            Role.objects.update_or_create(
                person=people[data["person"]],
                organization=organizations[data["organization"]],
                title=data["title"],
                defaults={
                    "kind": data["kind"],
                    "start_date": data.get("start_date"),
                    "end_date": data.get("end_date"),
                    **translations(data, "title"),
                },
            )

    def load_topics(self, rows):
        topics = {}
        for data in rows:
            topics[data["slug"]], _ = Topic.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "description": data["description"],
                    **translations(data, "name"),
                },
            )
        return topics

    def load_releases(self, rows, organizations, people, topics):
        releases, by_slug = [], {}
        for data in rows:
            published_at = data.get("published_at")
            if published_at is not None:
                published_at = published_at.replace(
                    tzinfo=zoneinfo.ZoneInfo(data["dateline_time_zone"])
                )
            media_contact = data.get("media_contact")
            original = data.get("translation_of")
            group = {"translation_key": by_slug[original].translation_key} if original else {}
            release, _ = Release.objects.update_or_create(
                dateline_date=data["dateline_date"],
                slug=data.get("slug") or slugify(data["title"])[:200],
                defaults={
                    "title": data["title"],
                    "summary": data["summary"],
                    "body": data["body"],
                    "byline": organizations[data["byline"]],
                    "dateline_place": data["dateline_place"],
                    "dateline_time_zone": data["dateline_time_zone"],
                    "published_at": published_at,
                    "status": data.get("status", Release.Status.PUBLISHED),
                    "is_pinned": data.get("is_pinned", False),
                    "media_contact": people[media_contact] if media_contact else None,
                    "language": data.get("language", settings.LANGUAGE_CODE),
                    **group,
                },
            )
            by_slug[release.slug] = release
            release.topics.set([topics[slug] for slug in data.get("topics", [])])
            release.people.set([people[slug] for slug in data.get("people", [])])
            release.organizations.set(
                [organizations[slug] for slug in data.get("organizations", [])]
            )
            self.load_quotes(release, data.get("quotes", []), people)
            releases.append(release)
        return releases

    def load_quotes(self, release, quotes, people):
        """Quotes are numbered 1, 2, 3... in the order given. An empty attribution follows the
        speaker's roles on the release date, and is written when the release is published
        (by Quote.save() for one published already)."""
        for order, data in enumerate(quotes, start=1):
            fields = {"person": people[data["person"]], "text": data["text"]}
            if data.get("attribution"):
                fields["attribution"] = data["attribution"]
            Quote.objects.update_or_create(release=release, order=order, defaults=fields)
        release.quotes.exclude(order__in=range(1, len(quotes) + 1)).delete()

    def add_pictures(self, releases, people):
        """Drawn pictures (newsroom/demo_pictures.py) for releases and people that have none, or
        whose file is gone: a second run finds them and draws nothing."""
        for release in releases:
            if _stored(release.featured_image):
                continue
            picture, alt = demo_pictures.release_picture(release.slug, release.title)
            name = default_storage.save(
                f"releases/demo-{release.slug[:40]}.jpg", ContentFile(picture)
            )
            # update(): a picture changes nothing that Release.save() looks after.
            Release.objects.filter(pk=release.pk).update(
                featured_image=name,
                featured_image_bytes=len(picture),
                featured_image_alt=alt,
                featured_image_credit=demo_pictures.CREDIT,
                featured_image_licence=demo_pictures.LICENCE,
            )
        for person in people:
            if not _stored(person.photo):
                picture = demo_pictures.portrait(person.slug)
                name = default_storage.save(
                    f"people/demo-{person.slug[:40]}.jpg", ContentFile(picture)
                )
                Person.objects.filter(pk=person.pk).update(photo=name)

    def load_press_contacts(self, office_rows, contact_rows):
        offices = {}
        for data in office_rows:
            offices[data["name"]], _ = PressOffice.objects.update_or_create(
                name=data["name"],
                defaults={"order": data["order"], "time_zone": data["time_zone"]},
            )
        contacts = []
        for data in contact_rows:
            office = data.get("office")
            contact, _ = PressContact.objects.update_or_create(
                office=offices[office] if office else None,
                name=data["name"],
                defaults={
                    "title": data["title"],
                    "email": data["email"],
                    "phone": data["phone"],
                    "order": data["order"],
                    "is_public": data.get("is_public", True),
                },
            )
            contacts.append(contact)
        return contacts

    def create_demo_accounts(self):
        if not settings.DEBUG:
            self.stdout.write("No demo accounts were created because DEBUG is off.")
            return
        accounts = [
            ("admin", None, "superuser"),
            ("editor", "Editor", "Editor"),
            ("writer", "Contributor", "Contributor"),
            ("press", "Press officer", "Press officer"),
        ]
        for username, group, label in accounts:
            user, _ = get_user_model().objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com"}
            )
            user.is_staff = True
            user.is_superuser = group is None
            user.set_password(username)
            user.save()
            if group:
                user.groups.set([Group.objects.get(name=group)])
            self.stdout.write(f"Demo account (DEBUG is on): {username} / {username} ({label})")


def translations(data, field):
    """The translations of `field` given in a row: `title_ko = "시장"` (press/translation.py)."""
    return {
        f"{field}_{code}": data[f"{field}_{code}"]
        for code in (code.replace("-", "_") for code, _ in settings.LANGUAGES)
        if f"{field}_{code}" in data
    }


def _stored(image_field):
    return bool(image_field) and default_storage.exists(image_field.name)
