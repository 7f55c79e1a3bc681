"""Releases with their links (topics, people, organizations), quotes and daily reads."""

import datetime

from django.db import connection

from bench.generate.search import SearchDocuments
from bench.generate.vocabulary import PLACES, TITLE_ADJECTIVES, TITLE_VERBS, WORDS, ZONES
from press.models import Correction, Quote, Release, ReleaseRead, TaggedRelease

# Releases are spread over this many days before now, oldest first, as a real newsroom's rows
# are: primary keys follow publication order, and the planner's statistics see that.
HISTORY_DAYS = 3650
# Statuses by position, not by chance, so every share shows up even in a run of 30 releases:
# of each 100 releases, 4 are drafts, 2 scheduled, 1 in review, 1 archived, 1 expired; 91 live.
DRAFT_SLOTS = {3, 28, 53, 78}
SCHEDULED_SLOTS = {7, 57}
IN_REVIEW_SLOTS = {19}
ARCHIVED_SLOTS = {11}
EXPIRED_SLOTS = {41}
# Every release published in the last READ_DAYS days has daily read counts; so has one in
# READ_EVERY of the older live ones, on a few of those days.
READ_DAYS = 30
READ_EVERY = 10
# About this many releases have their generated search vector compared with PostgreSQL's.
CHECKED_VECTORS = 200

CORRECTION = "Corrected a figure in the third paragraph."

PeopleLink = Release.people.through
OrganizationLink = Release.organizations.through


class Releases:
    """Rows for the releases, written by the directory's organizations, about its people and
    organizations, filed under its topics."""

    def make_releases(self, total):
        if not total:
            return 0
        printed = {pk: (name, boilerplate) for pk, name, boilerplate in self.organizations}
        organizations = [pk for pk, _, _ in self.organizations]
        organization_weights = self.weights(len(organizations))
        people_weights = self.weights(len(self.people))
        topic_weights = self.weights(len(self.topics), skew=0.8)
        history = datetime.timedelta(days=HISTORY_DAYS)
        oldest = self.now - history
        documents = SearchDocuments() if connection.vendor == "postgresql" else None
        checked = []
        for batch in self.batches(total):
            releases, links = [], []
            for i in batch:
                slot = oldest + history * ((i + self.rng.random()) / total)
                byline = self.pick(organizations, organization_weights)[0]
                people = self.pick(self.people, people_weights, self.rng.choice((0, 1, 1, 2, 3)))
                mentioned = self.pick(organizations, organization_weights, self.rng.randint(0, 2))
                topics = self.pick(self.topics, topic_weights, self.rng.randint(1, 4))
                releases.append(self.release(i, slot, byline, printed[byline], people))
                links.append((people, mentioned, topics))
            # The quotes are drawn before the releases are written (in the same order as
            # ever, so the same seed gives the same quotes): the search vector includes them.
            quoted = [self.quotes(people) for people, _, _ in links]
            if documents:
                for release, quotes in zip(releases, quoted, strict=True):
                    release["search_vector"] = documents.vector(release, quotes)
            pks = self.write(Release, releases, keys=True)
            tags, people_links, mentions, quotes, reads, corrections = [], [], [], [], [], []
            for i, pk, release, (people, mentioned, topics), release_quotes in zip(
                batch, pks, releases, links, quoted, strict=True
            ):
                tags += [{"content_object_id": pk, "tag_id": topic} for topic in topics]
                people_links += [{"release_id": pk, "person_id": person} for person in people]
                mentions += [{"release_id": pk, "organization_id": org} for org in mentioned]
                for quote in release_quotes:
                    quote["release_id"] = pk
                quotes += release_quotes
                reads += self.reads(i, pk, release)
                if release["corrected_at"]:
                    # What Release.correct() records with the time it sets.
                    corrections.append(
                        {
                            "release_id": pk,
                            "note": CORRECTION,
                            "created_at": release["corrected_at"],
                        }
                    )
            checked += pks[:: max(1, total // CHECKED_VECTORS)]
            self.write(TaggedRelease, tags)
            self.write(PeopleLink, people_links)
            self.write(OrganizationLink, mentions)
            self.write(Quote, quotes)
            self.write(ReleaseRead, reads)
            self.write(Correction, corrections)
        # The newest live release leads the home page.
        newest = Release.objects.live().order_by("-published_at").values("pk")[:1]
        Release.objects.filter(pk__in=newest).update(is_pinned=True)
        if documents:
            documents.check(checked)
        return total

    def release(self, i, slot, byline, printed, people):
        position = i % 100
        status, published_at, expires_at = Release.Status.PUBLISHED, slot, None
        scheduled_at = self.now + datetime.timedelta(minutes=self.rng.randint(60, 30 * 24 * 60))
        if position in DRAFT_SLOTS:
            status, published_at = Release.Status.DRAFT, None
        elif position in IN_REVIEW_SLOTS:
            status, published_at = Release.Status.IN_REVIEW, None
        elif position in ARCHIVED_SLOTS:
            status = Release.Status.ARCHIVED
        elif position in SCHEDULED_SLOTS:
            published_at = scheduled_at
        elif position in EXPIRED_SLOTS:
            published_at = min(slot, self.now - datetime.timedelta(days=2))
            expires_at = self.now - datetime.timedelta(hours=1)
        place, country, zone = self.rng.choice(PLACES)
        title = self.title(place)
        subtitle = self.text(self.rng.randint(8, 14)) if self.rng.random() < 0.5 else ""
        corrected = (
            self.rng.random() < 0.02 and published_at is not None and published_at < self.now
        )
        uppercase = self.rng.random() < 0.7
        contact = people[0] if people and self.rng.random() < 0.6 else None
        return {
            "title": title,
            "slug": self.unique_slug(title),
            "subtitle": subtitle,
            "summary": self.text(30),
            "body": self.body(),
            "byline_id": byline,
            "dateline_place": place.upper() if uppercase else f"{place}, {country}",
            # What Release.save() sets: the publication date where the dateline is.
            "dateline_date": published_at.astimezone(ZONES[zone]).date() if published_at else None,
            "dateline_time_zone": zone,
            "status": status,
            "published_at": published_at,
            "expires_at": expires_at,
            "corrected_at": published_at + datetime.timedelta(days=1) if corrected else None,
            "media_contact_id": contact,
            # Copied from the byline when first published, as Release.save() does.
            "byline_name": printed[0] if published_at else "",
            "boilerplate": printed[1] if published_at else "",
        }

    def title(self, place):
        words = self.rng.choices(WORDS, k=self.rng.randint(2, 5))
        verb, adjective = self.rng.choice(TITLE_VERBS), self.rng.choice(TITLE_ADJECTIVES)
        return f"{place} {verb} {adjective} {' '.join(words)}"

    def quotes(self, people):
        """Half the releases that mention people quote one or two of them (release_id is
        filled in once the release has its key)."""
        if not people or self.rng.random() < 0.5:
            return []
        return [
            {
                "person_id": person,
                "text": f"\u201c{self.text(40)}\u201d",
                # What Quote.save() fills in: the speaker's role (today's, not the release
                # date's: close enough for load, and no query per quote).
                "attribution": self.attributions.get(person, ""),
                "order": order,
            }
            for order, person in enumerate(people[: self.rng.randint(1, 2)])
        ]

    def reads(self, i, release, row):
        if row["status"] != Release.Status.PUBLISHED or row["published_at"] > self.now:
            return []
        today = self.now.date()
        age = (today - row["published_at"].date()).days
        if age < READ_DAYS:
            days, most = range(age + 1), 400
        elif i % READ_EVERY == 0:
            days, most = self.reads_rng.sample(range(READ_DAYS), self.reads_rng.randint(1, 5)), 40
        else:
            return []
        return [
            {
                "release_id": release,
                "day": today - datetime.timedelta(days=day),
                "count": self.reads_rng.randint(1, most),
            }
            for day in days
        ]
