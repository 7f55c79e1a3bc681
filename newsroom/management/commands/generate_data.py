"""Fill an empty database with a large, realistic, reproducible newsroom for benchmarks.

    python manage.py generate_data                      # 100,000 releases, 1,000,000 contacts...
    python manage.py generate_data --releases 2000 --contacts 0

The same seed gives the same rows (titles, slugs, names, emails, statuses, links) on every run;
only the times move with the clock, so "live", "scheduled" and "read in the last 30 days" keep
their meaning whenever it runs. Rows are made and inserted batch by batch with bulk_create, so
memory stays flat whatever the sizes; bulk_create skips save(), so what save() would add
(dateline date, copied boilerplate, quote attribution, search vector) is written here directly,
the search vector in one set-based UPDATE at the end, with the weights of
Release.update_search_vector().

It refuses a database that already holds any of the kinds it makes, rather than mixing generated
rows with real ones or guessing what to delete: use a fresh database (see bench/README.md).
"""

import bisect
import datetime
import itertools
import random
import resource
import time
import zoneinfo

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from contacts.models import (
    MediaContact,
    MediaList,
    Membership,
    Outlet,
    PressContact,
    PressOffice,
    Subscriber,
)
from press.models import (
    Organization,
    Person,
    Quote,
    Release,
    ReleaseRead,
    Role,
    TaggedRelease,
    Topic,
)

DEFAULTS = {
    "releases": 100_000,
    "people": 20_000,
    "organizations": 5_000,
    "topics": 500,
    "contacts": 1_000_000,
    "subscribers": 200_000,
}

# Releases are spread over this many days before now, oldest first, as a real newsroom's rows
# are: primary keys follow publication order, which the planner's statistics see.
HISTORY_DAYS = 3650
# Statuses by position, not by chance, so every share shows up even in a run of 30 releases:
# of each 100 releases, 4 are drafts, 2 scheduled, 1 in review, 1 archived, 1 expired.
DRAFT_SLOTS = {3, 28, 53, 78}
SCHEDULED_SLOTS = {7, 57}
IN_REVIEW_SLOTS = {19}
ARCHIVED_SLOTS = {11}
EXPIRED_SLOTS = {41}
# One live release in ten (and every release of the last 30 days) has been read lately.
READ_EVERY = 10
READ_DAYS = 30

WORDS = """
city cities resilience resilient climate heat flood floods water coastal urban network mayor
mayors council partnership partners program programme community communities neighborhood
housing infrastructure transport transit energy solar grid storm storms drought wildfire risk
risks adaptation planning plan strategy strategies funding fund investment investments
finance bond bonds public private sector health hospital schools school youth jobs economy
economic recovery emergency response preparedness data research report study survey index
pilot project projects launch launches announces announced commitment commitments leaders
leadership summit forum conference workshop members member global regional local national
international cooperation collaboration support new first annual million billion residents
citizens people families workers businesses green trees parks river rivers sea level rise
rain rainfall cooling shade buildings roads bridges ports food security equity inclusion
women children elderly vulnerable neighborhoods districts region country countries year years
week month today tomorrow future past present goal goals target targets progress results
impact impacts lessons practice practices tools guide toolkit training experts officials
government governments agency agencies foundation foundations university universities
""".split()
ADJECTIVES = """
Urban Coastal Climate Water Heat Flood Green Digital Social Economic Public Community Housing
Energy Transport Health Food Youth Regional Global Local Circular Blue Nature Disaster
""".split()
NOUNS = """
Resilience Adaptation Planning Finance Equity Security Innovation Infrastructure Recovery
Preparedness Mobility Governance Partnerships Data Research Policy Leadership Inclusion Risk
Justice Systems Networks Solutions Investment Action
""".split()
FIRST_NAMES = """
Maria James Aisha Wei Olga Carlos Fatima John Priya Ahmed Sofia Liam Chen Amara Lucas Yuki
Elena Omar Grace David Nadia Kwame Laura Mateo Hana Samuel Ines Ivan Zara Daniel Mei Tomas
Leila Peter Ana Ravi Claire Jorge Noor Michael Sara Kenji Julia Ali Emma Pablo Lina Arjun
Rosa Felix Amina Hugo Chloe Diego Yara Oscar Nina Marco Alice Tariq Eva Jonas Lucia Kofi
Helen Andre Maya Samir Irene Victor Dana Paulo Rita Min Tara Bruno Lea Hassan Vera Nikolai
""".split()
LAST_NAMES = """
Garcia Smith Okafor Wang Petrova Silva Haddad Johnson Sharma Khan Rossi Murphy Chen Mensah
Martin Tanaka Popescu Farouk Kim Cohen Nguyen Boateng Muller Lopez Sato Adeyemi Costa Ivanov
Ali Park Novak Santos Yilmaz Brown Fernandez Kowalski Hansen Dubois Moreau Schmidt Rahman
Tan Nakamura Oliveira Mwangi Jensen Bianchi Lee Walker Reyes Hughes Abdi Lindqvist Castro
Diaz Sokolov Ahmed Evans Takahashi Wilson Asante Kruger Suzuki Romero Herrera Larsen Singh
Patel Okonkwo Horvat Vargas Nieminen Gomez Stewart Chowdhury Bauer Ortiz Hassan Eriksen Kaur
""".split()
HONORIFICS = ["", "", "", "", "Dr.", "Mr.", "Ms."]
# (place as printed in datelines, country, time zone)
PLACES = [
    ("New York", "United States", "America/New_York"),
    ("Houston", "United States", "America/Chicago"),
    ("Los Angeles", "United States", "America/Los_Angeles"),
    ("Mexico City", "Mexico", "America/Mexico_City"),
    ("Bogota", "Colombia", "America/Bogota"),
    ("Sao Paulo", "Brazil", "America/Sao_Paulo"),
    ("Buenos Aires", "Argentina", "America/Argentina/Buenos_Aires"),
    ("London", "United Kingdom", "Europe/London"),
    ("Paris", "France", "Europe/Paris"),
    ("Rotterdam", "Netherlands", "Europe/Amsterdam"),
    ("Athens", "Greece", "Europe/Athens"),
    ("Istanbul", "Turkey", "Europe/Istanbul"),
    ("Lagos", "Nigeria", "Africa/Lagos"),
    ("Nairobi", "Kenya", "Africa/Nairobi"),
    ("Cape Town", "South Africa", "Africa/Johannesburg"),
    ("Accra", "Ghana", "Africa/Accra"),
    ("Dubai", "United Arab Emirates", "Asia/Dubai"),
    ("Chennai", "India", "Asia/Kolkata"),
    ("Dhaka", "Bangladesh", "Asia/Dhaka"),
    ("Bangkok", "Thailand", "Asia/Bangkok"),
    ("Jakarta", "Indonesia", "Asia/Jakarta"),
    ("Singapore", "Singapore", "Asia/Singapore"),
    ("Manila", "Philippines", "Asia/Manila"),
    ("Seoul", "South Korea", "Asia/Seoul"),
    ("Tokyo", "Japan", "Asia/Tokyo"),
    ("Sydney", "Australia", "Australia/Sydney"),
    ("Wellington", "New Zealand", "Pacific/Auckland"),
]
ORGANIZATION_PATTERNS = [
    ("City of {place}", Organization.Kind.CITY_GOVERNMENT),
    ("{place} {noun} Office", Organization.Kind.CITY_GOVERNMENT),
    ("{adjective} {noun} Foundation", Organization.Kind.FOUNDATION),
    ("{place} {adjective} Fund", Organization.Kind.FOUNDATION),
    ("{adjective} {noun} Network", Organization.Kind.NETWORK),
    ("{last} {noun} Group", Organization.Kind.COMPANY),
    ("{place} {adjective} Partners", Organization.Kind.COMPANY),
    ("The {place} {adjective} Herald", Organization.Kind.MEDIA),
    ("{adjective} {noun} Institute", Organization.Kind.OTHER),
]
ROLE_TITLES = [
    ("Mayor", Role.Kind.ELECTED_OFFICIAL),
    ("Deputy Mayor", Role.Kind.ELECTED_OFFICIAL),
    ("Chief Resilience Officer", Role.Kind.STAFF),
    ("Executive Director", Role.Kind.EXECUTIVE),
    ("Director of Programs", Role.Kind.EXECUTIVE),
    ("Board member", Role.Kind.BOARD),
    ("Chair of the Board", Role.Kind.BOARD),
    ("Program Manager", Role.Kind.STAFF),
    ("Senior Advisor", Role.Kind.OTHER),
]
TITLE_VERBS = [
    "launches",
    "announces",
    "joins",
    "expands",
    "renews",
    "welcomes",
    "publishes",
    "opens",
    "commits to",
    "celebrates",
]
OUTLET_KINDS = list(Outlet.Kind)
OUTLET_NAMES = ["Times", "Post", "Radio", "Daily", "Review", "Wire", "Journal", "News", "Observer"]
JOB_TITLES = ["Reporter", "Editor", "Correspondent", "Producer", "Columnist", "Freelancer"]
LANGUAGES = ["English", "Spanish", "French", "Portuguese", "Korean", "Japanese", "Arabic"]
MEDIA_LISTS = 100
# Each media contact is on this many lists, at most, and subscribers follow up to 3 topics.
LISTS_PER_CONTACT = 2
SUBSCRIBER_STATUSES = [
    (Subscriber.Status.CONFIRMED, 70),
    (Subscriber.Status.PENDING, 15),
    (Subscriber.Status.PAUSED, 5),
    (Subscriber.Status.UNSUBSCRIBED, 10),
]


def outlets_for(contacts):
    """One outlet for every 500 media contacts, at least one."""
    return max(1, contacts // 500)


class Command(BaseCommand):
    help = "Fill an empty database with a large generated newsroom, for benchmarks."

    def add_arguments(self, parser):
        for kind, default in DEFAULTS.items():
            parser.add_argument(
                f"--{kind}",
                type=int,
                default=default,
                help=f"How many {kind} to make (default {default:,}; 0 makes none).",
            )
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same rows.")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        started = time.monotonic()
        self.verbosity = options["verbosity"]
        sizes = {kind: options[kind] for kind in DEFAULTS}
        if any(size < 0 for size in sizes.values()):
            raise CommandError("Sizes are counts: 0 or more.")
        if sizes["releases"] and not sizes["organizations"]:
            raise CommandError("Releases need a byline: --organizations must be at least 1.")
        self.refuse_a_database_with_data()
        generator = Generator(
            seed=options["seed"],
            batch_size=options["batch_size"],
            now=timezone.now(),
            say=self.say,
        )
        with transaction.atomic():
            generator.run(sizes)
        self.analyze()
        self.say("statistics updated")
        elapsed = time.monotonic() - started
        # ru_maxrss is in kilobytes on Linux.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(f"Generated in {elapsed:.1f} s; peak memory {peak:.0f} MB.")
        )

    def say(self, message):
        if self.verbosity >= 1:
            self.stdout.write(message)

    def refuse_a_database_with_data(self):
        models = [Organization, Person, Topic, Release, Outlet, MediaContact, Subscriber]
        found = {
            model._meta.verbose_name_plural: model.objects.count()
            for model in models
            if model.objects.exists()
        }
        if found:
            listed = ", ".join(f"{count:,} {name}" for name, count in found.items())
            raise CommandError(
                f"This database already has data ({listed}). generate_data only fills an empty "
                "database: create a fresh one (see bench/README.md)."
            )

    def analyze(self):
        """Fresh planner statistics, as autovacuum would have after a real load. VACUUM (which
        also sets the visibility map that index-only counts use) cannot run inside a
        transaction, so inside one (tests) this is a plain ANALYZE."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute("VACUUM (ANALYZE)")
            else:
                cursor.execute("ANALYZE")


class Generator:
    """Makes the rows. Each kind is a method; everything random comes from one seeded
    random.Random, drawn in a fixed order, which is what makes runs repeatable."""

    def __init__(self, seed, batch_size, now, say):
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.now = now
        self.say = say
        self.slugs_used = {}

    def run(self, sizes):
        self.timed("organizations", self.make_organizations, sizes["organizations"])
        self.timed("people and roles", self.make_people, sizes["people"])
        self.timed("topics", self.make_topics, sizes["topics"])
        self.timed("press offices", self.make_press_offices)
        self.timed("releases, quotes, topics and reads", self.make_releases, sizes["releases"])
        if connection.vendor == "postgresql" and sizes["releases"]:
            self.timed("search vectors", self.fill_search_vectors)
        self.timed("outlets and media contacts", self.make_media_contacts, sizes["contacts"])
        self.timed("subscribers", self.make_subscribers, sizes["subscribers"])

    def timed(self, label, make, *args):
        started = time.monotonic()
        made = make(*args)
        count = f"{made:,} " if made is not None else ""
        self.say(f"{count}{label} in {time.monotonic() - started:.1f} s")

    # Text

    def words(self, count):
        return self.rng.choices(WORDS, k=count)

    def sentence(self, count):
        words = self.words(count)
        return " ".join(words).capitalize() + "."

    def text(self, words):
        """About `words` words of sentences of 8 to 18 words."""
        sentences, written = [], 0
        while written < words:
            length = self.rng.randint(8, 18)
            sentences.append(self.sentence(length))
            written += length
        return " ".join(sentences)

    def body(self):
        """About 300 words in five paragraphs, as the editor saves them."""
        return "".join(f"<p>{self.text(60)}</p>" for _ in range(5))

    def unique_slug(self, text, max_length=190):
        """slugify(text), with -2, -3... for repeats, as an editor would pick by hand."""
        base = slugify(text)[:max_length].strip("-") or "item"
        seen = self.slugs_used.get(base, 0)
        self.slugs_used[base] = seen + 1
        return base if not seen else f"{base}-{seen + 1}"

    def weights(self, count, skew=1.0):
        """Cumulative weights where item n has 1/(n+10)**skew: a few are used a lot, most
        a little, as in a real newsroom."""
        return list(itertools.accumulate(1 / (n + 10) ** skew for n in range(count)))

    def pick(self, items, cumulative, count=1):
        """`count` distinct items (fewer if there are not enough), weighted."""
        if not items:
            return []
        chosen = set()
        total = cumulative[-1]
        for _ in range(count * 3):
            if len(chosen) == count:
                break
            index = bisect.bisect_left(cumulative, self.rng.random() * total)
            chosen.add(items[min(index, len(items) - 1)])
        return sorted(chosen)

    def batches(self, total):
        for start in range(0, total, self.batch_size):
            yield range(start, min(start + self.batch_size, total))

    # Organizations, people, topics

    def make_organizations(self, total):
        self.organizations = []  # (pk, name, boilerplate), in creation order
        if not total:
            return 0
        # The first 5% are the bodies others belong to (parents), created first.
        parents = max(1, total // 20)
        for part in (range(parents), range(parents, total)):
            parent_pks = [pk for pk, _, _ in self.organizations[:parents]]
            rows = []
            for i in part:
                rows.append(self.organization(i, parent_pks))
            for start in range(0, len(rows), self.batch_size):
                created = Organization.objects.bulk_create(rows[start : start + self.batch_size])
                self.organizations += [(row.pk, row.name, row.boilerplate) for row in created]
        return total

    def organization(self, i, parent_pks):
        place, country, _ = self.rng.choice(PLACES)
        if i == 0:
            # The organization that runs the newsroom: its leadership page and bylines.
            slug = settings.NEWSROOM_ORGANIZATION
            name = slug.replace("-", " ").title()
            self.slugs_used[slug] = 1
            kind = Organization.Kind.NETWORK
        else:
            pattern, kind = self.rng.choice(ORGANIZATION_PATTERNS)
            name = pattern.format(
                place=place,
                adjective=self.rng.choice(ADJECTIVES),
                noun=self.rng.choice(NOUNS),
                last=self.rng.choice(LAST_NAMES),
            )
            slug = self.unique_slug(name)
            if slug != slugify(name):
                # The second "City of Seoul" is told apart as the slug is: "City of Seoul 2".
                name = f"{name} {slug.rsplit('-', 1)[1]}"
        short_name = "".join(word[0] for word in name.split() if word[0].isupper())
        return Organization(
            name=name,
            short_name=short_name if len(short_name) > 1 else "",
            slug=slug,
            kind=kind,
            city=place,
            country=country,
            website=f"https://{slug}.example.org/",
            boilerplate=f"About {name}: {self.text(40)}",
            parent_id=self.rng.choice(parent_pks)
            if parent_pks and self.rng.random() < 0.3
            else None,
        )

    def make_people(self, total):
        self.people = []  # pks
        self.attributions = {}  # pk -> "Title, Organization" of a current role
        if not total:
            return 0
        today = self.now.date()
        for batch in self.batches(total):
            people, roles = [], []
            for i in batch:
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                middle = (
                    f" {self.rng.choice('ABCDEFGHJKLMNPRSTW')}." if self.rng.random() < 0.5 else ""
                )
                name = f"{first}{middle} {last}"
                slug = self.unique_slug(name)
                people.append(
                    Person(
                        name=name,
                        honorific=self.rng.choice(HONORIFICS),
                        slug=slug,
                        bio=self.text(30),
                        email=f"{slug}@example.org" if self.rng.random() < 0.3 else "",
                        phone=f"+1 555 {i % 10_000:04d}" if self.rng.random() < 0.3 else "",
                    )
                )
            created = Person.objects.bulk_create(people)
            for offset, person in enumerate(created):
                self.people.append(person.pk)
                if not self.organizations:
                    continue
                for n in range(self.rng.choice((1, 1, 1, 2))):
                    # The first people lead the newsroom's own organization (leadership page).
                    leads = batch[offset] < 12 and n == 0
                    organization_pk, organization_name, _ = (
                        self.organizations[0] if leads else self.rng.choice(self.organizations)
                    )
                    title, kind = (
                        ROLE_TITLES[3 + batch[offset] % 4]
                        if leads
                        else self.rng.choice(ROLE_TITLES)
                    )
                    start = today - datetime.timedelta(days=self.rng.randint(30, 4000))
                    ended = not leads and self.rng.random() < 0.3
                    end = (
                        start + datetime.timedelta(days=self.rng.randint(1, 700)) if ended else None
                    )
                    if end and end >= today:
                        end = None
                    roles.append(
                        Role(
                            person_id=person.pk,
                            organization_id=organization_pk,
                            title=title,
                            kind=kind,
                            start_date=start if self.rng.random() < 0.9 else None,
                            end_date=end,
                        )
                    )
                    if end is None:
                        self.attributions.setdefault(person.pk, f"{title}, {organization_name}")
            Role.objects.bulk_create(roles)
        return total

    def make_topics(self, total):
        self.topics = []
        if not total:
            return 0
        names = [f"{adjective} {noun}" for adjective in ADJECTIVES for noun in NOUNS]
        self.rng.shuffle(names)
        # Past the two-word names, a third word keeps them unique.
        extra = (f"{name} {word.title()}" for word in WORDS for name in names)
        chosen = list(itertools.islice(itertools.chain(names, extra), total))
        rows = [
            Topic(
                name=name,
                slug=self.unique_slug(name, max_length=100),
                description=self.text(20),
            )
            for name in chosen
        ]
        for start in range(0, len(rows), self.batch_size):
            created = Topic.objects.bulk_create(rows[start : start + self.batch_size])
            self.topics += [topic.pk for topic in created]
        return total

    def make_press_offices(self):
        """The few press offices and contacts every release page shows; not sized."""
        offices = PressOffice.objects.bulk_create(
            PressOffice(name=name, order=order, time_zone=zone)
            for order, (name, _, zone) in enumerate([PLACES[0], PLACES[7], PLACES[21]], start=1)
        )
        contacts = [PressContact(name="Global Press Desk", email="press@example.org", order=0)]
        for office in offices:
            for n in range(2):
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                contacts.append(
                    PressContact(
                        office=office,
                        name=f"{first} {last}",
                        title="Communications Manager" if n == 0 else "Press Officer",
                        email=f"{first}.{last}@example.org".lower(),
                        phone=f"+1 555 01{office.order}{n}",
                        order=n,
                    )
                )
        PressContact.objects.bulk_create(contacts)
        return len(offices) + len(contacts)

    # Releases

    def make_releases(self, total):
        if not total:
            return 0
        organization_pks = [pk for pk, _, _ in self.organizations]
        boilerplates = {pk: boilerplate for pk, _, boilerplate in self.organizations}
        organization_weights = self.weights(len(organization_pks))
        people_weights = self.weights(len(self.people))
        topic_weights = self.weights(len(self.topics), skew=0.8)
        history = datetime.timedelta(days=HISTORY_DAYS)
        oldest = self.now - history
        PeopleLink = Release.people.through
        OrganizationLink = Release.organizations.through
        for batch in self.batches(total):
            releases, links = [], []
            for i in batch:
                slot = oldest + history * ((i + self.rng.random()) / total)
                release, link = self.release(
                    i,
                    slot,
                    self.pick(organization_pks, organization_weights)[0],
                    boilerplates,
                    people=self.pick(self.people, people_weights, self.rng.choice((0, 1, 1, 2, 3))),
                    mentioned=self.pick(
                        organization_pks, organization_weights, self.rng.randint(0, 2)
                    ),
                    topics=self.pick(self.topics, topic_weights, self.rng.randint(1, 4)),
                )
                releases.append(release)
                links.append(link)
            created = Release.objects.bulk_create(releases)
            tags, people, mentions, quotes, reads = [], [], [], [], []
            for i, release, link in zip(batch, created, links, strict=True):
                tags += [
                    TaggedRelease(content_object_id=release.pk, tag_id=pk) for pk in link["topics"]
                ]
                people += [PeopleLink(release_id=release.pk, person_id=pk) for pk in link["people"]]
                mentions += [
                    OrganizationLink(release_id=release.pk, organization_id=pk)
                    for pk in link["mentioned"]
                ]
                quotes += self.quotes(release, link["people"])
                reads += self.reads(i, release)
            TaggedRelease.objects.bulk_create(tags)
            PeopleLink.objects.bulk_create(people)
            OrganizationLink.objects.bulk_create(mentions)
            Quote.objects.bulk_create(quotes)
            ReleaseRead.objects.bulk_create(reads)
        # The newest live release leads the home page.
        newest = Release.objects.live().order_by("-published_at").values("pk")[:1]
        Release.objects.filter(pk__in=newest).update(is_pinned=True)
        return total

    def release(self, i, slot, byline, boilerplates, people, mentioned, topics):
        position = i % 100
        status, published_at, expires_at = Release.Status.PUBLISHED, slot, None
        if position in DRAFT_SLOTS:
            status, published_at = Release.Status.DRAFT, None
        elif position in IN_REVIEW_SLOTS:
            status, published_at = Release.Status.IN_REVIEW, None
        elif position in ARCHIVED_SLOTS:
            status = Release.Status.ARCHIVED
        elif position in SCHEDULED_SLOTS:
            published_at = self.now + datetime.timedelta(hours=self.rng.randint(1, 30 * 24))
        elif position in EXPIRED_SLOTS:
            published_at = min(slot, self.now - datetime.timedelta(days=2))
            expires_at = self.now - datetime.timedelta(hours=1)
        place, country, zone = self.rng.choice(PLACES)
        dateline_date = (
            published_at.astimezone(zoneinfo.ZoneInfo(zone)).date() if published_at else None
        )
        corrected = published_at and published_at < self.now and self.rng.random() < 0.02
        title = self.title(place)
        release = Release(
            title=title,
            slug=self.unique_slug(title),
            subtitle=self.sentence(self.rng.randint(8, 14)) if self.rng.random() < 0.5 else "",
            summary=self.sentence(30),
            body=self.body(),
            byline_id=byline,
            dateline_place=place.upper() if self.rng.random() < 0.7 else f"{place}, {country}",
            dateline_date=dateline_date,
            dateline_time_zone=zone,
            status=status,
            published_at=published_at,
            expires_at=expires_at,
            corrected_at=published_at + datetime.timedelta(days=1) if corrected else None,
            correction_note="Corrected a figure in the third paragraph." if corrected else "",
            media_contact_id=people[0] if people and self.rng.random() < 0.6 else None,
            boilerplate=boilerplates[byline] if status != Release.Status.DRAFT else "",
        )
        return release, {"people": people, "mentioned": mentioned, "topics": topics}

    def title(self, place):
        return " ".join(
            [
                f"{place}",
                self.rng.choice(TITLE_VERBS),
                self.rng.choice(["new", "first", "annual", "expanded", "joint", "regional"]),
                *self.words(self.rng.randint(2, 5)),
            ]
        ).capitalize()

    def quotes(self, release, people):
        """Half the releases quote one or two of the people they mention."""
        if not people or self.rng.random() < 0.5:
            return []
        return [
            Quote(
                release_id=release.pk,
                person_id=person,
                text=f"\u201c{self.text(40)}\u201d",
                # As Quote.save() would fill it: the speaker's role (today's, for speed).
                attribution=self.attributions.get(person, ""),
                order=order,
            )
            for order, person in enumerate(people[: self.rng.randint(1, 2)])
        ]

    def reads(self, i, release):
        """Daily read counts for the last READ_DAYS days: every live release published in
        that time, and one in READ_EVERY of the older ones, on a few days."""
        if release.status != Release.Status.PUBLISHED or release.published_at > self.now:
            return []
        today = self.now.date()
        age = (today - release.published_at.date()).days
        if age < READ_DAYS:
            days = range(age + 1)
        elif i % READ_EVERY == 0:
            days = sorted(self.rng.sample(range(READ_DAYS), self.rng.randint(1, 5)))
        else:
            return []
        return [
            ReleaseRead(
                release_id=release.pk,
                day=today - datetime.timedelta(days=day),
                count=self.rng.randint(1, 400 if age < READ_DAYS else 40),
            )
            for day in days
        ]

    def fill_search_vectors(self):
        """Every release's search document in one set-based UPDATE: the expression of
        Release.update_search_vector() with the quotes gathered by a subquery instead of
        a Python join. The GIN index is dropped for the update and built again after: one
        build is far faster than a hundred thousand index insertions."""
        quotes = (
            Quote.objects.filter(release=OuterRef("pk"))
            .order_by()
            .values("release")
            .annotate(text=StringAgg("text", delimiter=" ", order_by=("order", "pk")))
            .values("text")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                [Release._meta.db_table, "release_search_idx"],
            )
            index = cursor.fetchone()
            if index:
                cursor.execute("DROP INDEX release_search_idx")
            updated = Release.objects.update(
                search_vector=SearchVector("title", weight="A", config="english")
                + SearchVector("subtitle", "summary", weight="B", config="english")
                + SearchVector(
                    "body", Coalesce(Subquery(quotes), Value("")), weight="C", config="english"
                )
            )
            if index:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute(index[0])
        return updated

    # Contacts

    def make_media_contacts(self, total):
        if not total:
            return 0
        outlets = []
        for _ in range(outlets_for(total)):
            place = self.rng.choice(PLACES)
            name = f"{place[0]} {self.rng.choice(OUTLET_NAMES)}"
            slug = self.unique_slug(name)
            outlets.append(
                Outlet(
                    # Outlet names are unique: the second "Seoul Times" is "Seoul Times 2".
                    name=name if slug == slugify(name) else f"{name} {slug.rsplit('-', 1)[1]}",
                    kind=self.rng.choice(OUTLET_KINDS),
                    country=place[1],
                    language=self.rng.choice(LANGUAGES),
                    website=f"https://{slug}.example.com/",
                )
            )
        outlet_domains = [
            (outlet.pk, outlet.website.removeprefix("https://").rstrip("/"))
            for outlet in Outlet.objects.bulk_create(outlets, batch_size=self.batch_size)
        ]
        media_lists = MediaList.objects.bulk_create(
            MediaList(name=f"{self.rng.choice(ADJECTIVES)} {self.rng.choice(NOUNS)} desk {n + 1}")
            for n in range(MEDIA_LISTS)
        )
        list_pks = [media_list.pk for media_list in media_lists]
        Beat = MediaContact.beats.through
        today = self.now.date()
        for batch in self.batches(total):
            contacts = []
            for i in batch:
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                outlet_pk, domain = self.rng.choice(outlet_domains)
                if self.rng.random() >= 0.9:  # freelancers, on their own address
                    outlet_pk, domain = None, "example.net"
                stopped = self.rng.random() < 0.02
                contacts.append(
                    MediaContact(
                        first_name=first,
                        last_name=last,
                        # Unique by construction (the number), lower case as normalize_email.
                        email=f"{first}.{last}.{i}@{domain}".lower(),
                        outlet_id=outlet_pk,
                        job_title=self.rng.choice(JOB_TITLES),
                        regions=self.rng.choice(PLACES)[0],
                        languages=self.rng.choice(LANGUAGES),
                        source="generate_data",
                        consent_basis="legitimate interest",
                        consent_date=today - datetime.timedelta(days=self.rng.randint(0, 2000)),
                        do_not_contact=stopped,
                        do_not_contact_reason="Asked not to be contacted" if stopped else "",
                        do_not_contact_since=self.now if stopped else None,
                    )
                )
            created = MediaContact.objects.bulk_create(contacts)
            beats, memberships = [], []
            for contact in created:
                if self.topics and self.rng.random() < 0.3:
                    beats += [
                        Beat(mediacontact_id=contact.pk, topic_id=pk)
                        for pk in set(self.rng.choices(self.topics, k=self.rng.randint(1, 2)))
                    ]
                if self.rng.random() < 0.2:
                    memberships += [
                        Membership(media_list_id=pk, contact_id=contact.pk, joined_at=self.now)
                        for pk in set(self.rng.choices(list_pks, k=LISTS_PER_CONTACT))
                    ]
            Beat.objects.bulk_create(beats)
            Membership.objects.bulk_create(memberships)
        return total

    def make_subscribers(self, total):
        if not total:
            return 0
        statuses = [status for status, _ in SUBSCRIBER_STATUSES]
        shares = [share for _, share in SUBSCRIBER_STATUSES]
        Follow = Subscriber.topics.through
        for batch in self.batches(total):
            subscribers = []
            for i in batch:
                status = self.rng.choices(statuses, shares)[0]
                consented = self.now - datetime.timedelta(minutes=self.rng.randint(0, 2_000_000))
                all_topics = not self.topics or self.rng.random() < 0.7
                subscribers.append(
                    Subscriber(
                        email=f"reader.{i}.{self.rng.choice(WORDS)}@example.com",
                        status=status,
                        all_topics=all_topics,
                        consented_at=consented,
                        consent_text="v1",
                        source="/subscribe/",
                        confirmed_at=consented + datetime.timedelta(minutes=5)
                        if status != Subscriber.Status.PENDING
                        else None,
                        unsubscribed_at=self.now
                        if status == Subscriber.Status.UNSUBSCRIBED
                        else None,
                    )
                )
            created = Subscriber.objects.bulk_create(subscribers)
            follows = []
            for subscriber in created:
                if not subscriber.all_topics:
                    follows += [
                        Follow(subscriber_id=subscriber.pk, topic_id=pk)
                        for pk in set(self.rng.choices(self.topics, k=self.rng.randint(1, 3)))
                    ]
            Follow.objects.bulk_create(follows)
        return total
