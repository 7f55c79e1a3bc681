"""Organizations, people with their roles, topics, and the press offices with their contacts:
who writes releases, whom they are about and quote, what they are filed under, whom to ask."""

import datetime
import itertools

from django.conf import settings
from django.utils.text import slugify

from bench.generate.vocabulary import (
    ADJECTIVES,
    FIRST_NAMES,
    HONORIFICS,
    INITIALS,
    LAST_NAMES,
    LEADER_TITLES,
    LEADERS,
    NOUNS,
    ORGANIZATION_PATTERNS,
    PLACES,
    ROLE_TITLES,
    WORDS,
)
from contacts.models import PressContact, PressOffice
from press.models import Organization, Person, Role, Topic


class Directory:
    """Rows for the organizations (`self.organizations`: key, name, boilerplate), people
    (`self.people`: keys) and topics (`self.topics`: keys) that later kinds link to, and each
    person's current role (`self.attributions`), which their quotes are attributed to; and the
    press offices with their contacts, which every release page shows."""

    def make_organizations(self, total):
        """The first 5% are the bodies the others may belong to, written first."""
        parents = max(1, total // 20) if total else 0
        for part in (range(parents), range(parents, total)):
            parent_pks = [pk for pk, _, _ in self.organizations[:parents]]
            for start in range(part.start, part.stop, self.batch_size):
                rows = [
                    self.organization(i, parent_pks)
                    for i in range(start, min(start + self.batch_size, part.stop))
                ]
                pks = self.write(Organization, rows, keys=True)
                self.organizations += [
                    (pk, row["name"], row["boilerplate"]) for pk, row in zip(pks, rows, strict=True)
                ]
        return total

    def organization(self, i, parent_pks):
        place, country, _ = self.rng.choice(PLACES)
        pattern, kind = self.rng.choice(ORGANIZATION_PATTERNS)
        name = pattern.format(
            place=place,
            adjective=self.rng.choice(ADJECTIVES),
            noun=self.rng.choice(NOUNS),
            last=self.rng.choice(LAST_NAMES),
        )
        parent = self.rng.choice(parent_pks) if parent_pks and self.rng.random() < 0.3 else None
        boilerplate = self.text(40)
        if i == 0:
            # The organization that runs the newsroom: its leadership page, many bylines.
            slug, kind, parent = settings.NEWSROOM_ORGANIZATION, Organization.Kind.NETWORK, None
            name = slug.replace("-", " ").title()
            self.slugs_used[slug] = 1
        else:
            slug = self.unique_slug(name)
            if slug != slugify(name):
                # The second "City of Seoul" is told apart as its address is: "City of Seoul 2".
                name = f"{name} {slug.rsplit('-', 1)[1]}"
        initials = "".join(word[0] for word in name.split() if word[0].isupper())
        return {
            "name": name,
            "short_name": initials if len(initials) > 1 else "",
            "slug": slug,
            "kind": kind,
            "city": place,
            "country": country,
            "website": f"https://{slug}.example.org/",
            "boilerplate": f"About {name}: {boilerplate}",
            "parent_id": parent,
        }

    def make_people(self, total):
        today = self.now.date()
        for batch in self.batches(total):
            rows = []
            for i in batch:
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                initial = self.rng.choice(INITIALS)
                name = (
                    f"{first} {initial}. {last}" if self.rng.random() < 0.5 else f"{first} {last}"
                )
                slug = self.unique_slug(name)
                email, phone = self.rng.random() < 0.3, self.rng.random() < 0.3
                rows.append(
                    {
                        "name": name,
                        "honorific": self.rng.choice(HONORIFICS),
                        "slug": slug,
                        "bio": self.text(30),
                        "email": f"{slug}@example.org" if email else "",
                        "phone": f"+1 555 {i % 10_000:04d}" if phone else "",
                    }
                )
            pks = self.write(Person, rows, keys=True)
            self.people += pks
            if self.organizations:
                roles = [self.roles(i, pk, today) for i, pk in zip(batch, pks, strict=True)]
                self.write(Role, list(itertools.chain.from_iterable(roles)))
        return total

    def roles(self, i, person, today):
        roles = []
        for n in range(self.rng.choice((1, 1, 1, 2))):
            leads = i < LEADERS and n == 0
            if leads:
                (organization, organization_name, _), (title, kind) = (
                    self.organizations[0],
                    LEADER_TITLES[i % len(LEADER_TITLES)],
                )
            else:
                organization, organization_name, _ = self.rng.choice(self.organizations)
                title, kind = self.rng.choice(ROLE_TITLES)
            start = today - datetime.timedelta(days=self.rng.randint(30, 4000))
            end = start + datetime.timedelta(days=self.rng.randint(1, 700))
            ended = not leads and self.rng.random() < 0.3 and end < today
            undated = self.rng.random() < 0.1
            roles.append(
                {
                    "person_id": person,
                    "organization_id": organization,
                    "title": title,
                    "kind": kind,
                    "start_date": None if undated else start,
                    "end_date": end if ended else None,
                }
            )
            if not ended:
                self.attributions.setdefault(person, f"{title}, {organization_name}")
        return roles

    def make_topics(self, total):
        names = [f"{adjective} {noun}" for adjective in ADJECTIVES for noun in NOUNS]
        self.rng.shuffle(names)
        # Past the two-word names, a third word keeps them unique.
        longer = (f"{name} {word.title()}" for word in WORDS for name in names)
        chosen = list(itertools.islice(itertools.chain(names, longer), total))
        rows = [
            {
                "name": name,
                "slug": self.unique_slug(name, max_length=100),
                "description": self.text(20),
            }
            for name in chosen
        ]
        self.topics += self.write(Topic, rows, keys=True)
        return total

    def make_press_offices(self):
        """The few press offices and contacts every release page shows; always made."""
        places = [PLACES[0], PLACES[7], PLACES[21]]
        offices = [
            {"name": place, "order": order, "time_zone": zone}
            for order, (place, _, zone) in enumerate(places, start=1)
        ]
        office_pks = self.write(PressOffice, offices, keys=True)
        contacts = [{"name": "Global Press Desk", "email": "press@example.org", "order": 0}]
        for office, pk in zip(offices, office_pks, strict=True):
            for n, title in enumerate(["Communications Manager", "Press Officer"]):
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                contacts.append(
                    {
                        "office_id": pk,
                        "name": f"{first} {last}",
                        "title": title,
                        "email": f"{first}.{last}@example.org".lower(),
                        "phone": f"+1 555 01{office['order']}{n}",
                        "order": n,
                    }
                )
        self.write(PressContact, contacts)
        return len(offices) + len(contacts)
