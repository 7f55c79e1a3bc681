"""Outlets, media contacts with their beats and lists, and subscribers: whom releases go to."""

import datetime
import itertools

from django.utils.text import slugify

from bench.generate.vocabulary import (
    ADJECTIVES,
    FIRST_NAMES,
    JOB_TITLES,
    LANGUAGES,
    LAST_NAMES,
    NOUNS,
    OUTLET_NAMES,
    PLACES,
    SUBSCRIBER_STATUSES,
    WORDS,
)
from contacts.models import (
    ContactTag,
    MediaContact,
    MediaList,
    Membership,
    Outlet,
    Subscriber,
    TaggedContact,
)
from contacts.models.codes import country_code, language_code

MEDIA_LISTS = 100
# Staff's own labels; about a quarter of contacts carry one or two.
CONTACT_TAGS = [
    "asia-desk", "europe-desk", "americas-desk", "africa-desk", "tv-bookers", "radio",
    "priority", "freelance-pool", "climate-specialists", "data-desk", "wire-editors",
    "op-ed", "podcasts", "photo-desk", "investigations", "local-press", "trade-press",
    "science-desk", "economy-desk", "embargo-trusted",
]  # fmt: skip
REACH_LABELS = ["monthly unique visitors", "daily circulation", "weekly listeners", "followers"]

Beat = MediaContact.beats.through
Follow = Subscriber.topics.through


def outlets_for(contacts):
    """One outlet for every 500 media contacts, at least one."""
    return max(1, contacts // 500)


class Contacts:
    """Rows for the journalists and readers releases go to: media contacts (beats are the
    directory's topics) and subscribers (following some of them)."""

    def make_media_contacts(self, total):
        """Contacts mostly based where their outlet is (its country, time zone and language),
        a few elsewhere, as correspondents are; freelancers anywhere."""
        if not total:
            return 0
        places = [(place, country_code(country), zone) for place, country, zone in PLACES]
        outlets, outlet_places = [], []
        for _ in range(outlets_for(total)):
            place = self.rng.choice(places)
            name = f"{place[0]} {self.rng.choice(OUTLET_NAMES)}"
            slug = self.unique_slug(name)
            outlets.append(
                {
                    # Outlet names are unique: the second "Seoul Times" is "Seoul Times 2".
                    "name": name if slug == slugify(name) else f"{name} {slug.rsplit('-', 1)[1]}",
                    "kind": self.rng.choice(Outlet.Kind.values),
                    "country": place[1],
                    "region": place[0],
                    "language": self.rng.choice(LANGUAGES),
                    "website": f"https://{slug}.example/",
                    "reach": self.rng.randint(1, 5000) * 1000,
                    "reach_label": self.rng.choice(REACH_LABELS),
                }
            )
            outlet_places.append(place)
        outlet_pks = self.write(Outlet, outlets, keys=True)
        by_outlet = [
            (pk, outlet["website"][len("https://") : -1], place, language_code(outlet["language"]))
            for pk, outlet, place in zip(outlet_pks, outlets, outlet_places, strict=True)
        ]
        codes = [language_code(language) for language in LANGUAGES]
        lists = [
            {"name": f"{self.rng.choice(ADJECTIVES)} {self.rng.choice(NOUNS)} desk {n + 1}"}
            for n in range(MEDIA_LISTS)
        ]
        list_pks = self.write(MediaList, lists, keys=True)
        tag_pks = self.write(
            ContactTag, [{"name": tag, "slug": tag} for tag in CONTACT_TAGS], keys=True
        )
        today = self.now.date()
        for batch in self.batches(total):
            rows = []
            for i in batch:
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                outlet, domain, place, language = self.rng.choice(by_outlet)
                if self.rng.random() < 0.1:  # freelancers, on an address of their own
                    outlet, domain = None, "mail.example"
                if outlet is None or self.rng.random() < 0.15:
                    place, language = self.rng.choice(places), self.rng.choice(codes)
                stopped = self.rng.random() < 0.02
                rows.append(
                    {
                        "first_name": first,
                        "last_name": last,
                        # Unique by its number; lower case, as normalize_email() stores it.
                        "email": f"{first[0]}{last}{i}@{domain}".lower(),
                        "outlet_id": outlet,
                        "job_title": self.rng.choice(JOB_TITLES),
                        "regions": place[0],
                        "languages": LANGUAGES[codes.index(language)],
                        "country": place[1],
                        "time_zone": place[2],
                        "language": language,
                        "source": "generate_data",
                        "consent_basis": "legitimate interest",
                        "consent_date": today - datetime.timedelta(days=self.rng.randint(0, 2000)),
                        "do_not_contact": stopped,
                        "do_not_contact_reason": "Asked not to be contacted" if stopped else "",
                        "do_not_contact_since": self.now if stopped else None,
                    }
                )
            pks = self.write(MediaContact, rows, keys=True)
            beats, memberships, tags = [], [], []
            for pk in pks:
                if self.topics and self.rng.random() < 0.3:
                    chosen = sorted(set(self.rng.choices(self.topics, k=self.rng.randint(1, 2))))
                    beats += [{"mediacontact_id": pk, "topic_id": topic} for topic in chosen]
                if self.rng.random() < 0.2:
                    chosen = sorted(set(self.rng.choices(list_pks, k=2)))
                    memberships += [
                        {"media_list_id": media_list, "contact_id": pk, "joined_at": self.now}
                        for media_list in chosen
                    ]
                if self.rng.random() < 0.25:
                    chosen = sorted(set(self.rng.choices(tag_pks, k=self.rng.randint(1, 2))))
                    tags += [{"content_object_id": pk, "tag_id": tag} for tag in chosen]
            self.write(Beat, beats)
            self.write(Membership, memberships)
            self.write(TaggedContact, tags)
        return total

    def make_subscribers(self, total):
        statuses = [status for status, _ in SUBSCRIBER_STATUSES]
        shares = list(itertools.accumulate(share for _, share in SUBSCRIBER_STATUSES))
        for batch in self.batches(total):
            rows = []
            for i in batch:
                status = self.rng.choices(statuses, cum_weights=shares)[0]
                consented = self.now - datetime.timedelta(minutes=self.rng.randint(0, 2_000_000))
                confirmed = status != Subscriber.Status.PENDING
                rows.append(
                    {
                        "email": f"reader.{i}.{self.rng.choice(WORDS)}@example.com",
                        "status": status,
                        "all_topics": not self.topics or self.rng.random() < 0.7,
                        "consented_at": consented,
                        "consent_text": "v1",
                        "source": "/subscribe/",
                        "confirmed_at": consented + datetime.timedelta(minutes=5)
                        if confirmed
                        else None,
                        "unsubscribed_at": self.now
                        if status == Subscriber.Status.UNSUBSCRIBED
                        else None,
                    }
                )
            pks = self.write(Subscriber, rows, keys=True)
            follows = []
            for pk, row in zip(pks, rows, strict=True):
                if not row["all_topics"]:
                    chosen = sorted(set(self.rng.choices(self.topics, k=self.rng.randint(1, 3))))
                    follows += [{"subscriber_id": pk, "topic_id": topic} for topic in chosen]
            self.write(Follow, follows)
        return total
