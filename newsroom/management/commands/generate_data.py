"""Fill an empty database with a large, realistic, reproducible newsroom for benchmarks.

    python manage.py generate_data                      # 100,000 releases, 1,000,000 contacts...
    python manage.py generate_data --releases 2000 --contacts 0

Repeatable: everything random comes from one random.Random(seed), so the same seed gives the same
titles, slugs, names, emails, statuses and links. Only the times follow the clock, so "live",
"scheduled" and "read in the last 30 days" mean the same whenever it runs.

Fast and flat in memory: rows are made batch by batch as plain dicts and written in bulk, on
PostgreSQL with COPY (primary keys taken from the table's sequence first, so links can point at
them), elsewhere with bulk_create. The secondary indexes of the tables filled, unique ones
included, are dropped for the load and built again once at the end, inside the same
transaction: one build is far cheaper than millions of insertions, above all for GIN (search,
trigram) indexes, and building a unique index still checks the generator's promises (one
email per contact...): a duplicate fails the run.

Nothing here runs Model.save(), so what save() would add is written directly: the dateline
date, the boilerplate copied on publication, a quote's attribution (the speaker's current role)
and, on PostgreSQL, the search vector, made in Python with the release (see SearchDocuments)
and checked on a sample against PostgreSQL's own. ANALYZE (VACUUM ANALYZE outside a
transaction) ends the run.

A database that already holds any of the kinds made here is refused, rather than mixing
generated rows with real ones or guessing what to delete: use a fresh database.
"""

import bisect
import csv
import datetime
import io
import itertools
import operator
import random
import re
import resource
import time
import zoneinfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
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
from core.ids import next_ids
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
from press.models.quotes import search_document
from press.search_config import search_config

DEFAULTS = {
    "releases": 100_000,
    "people": 20_000,
    "organizations": 5_000,
    "topics": 500,
    "contacts": 1_000_000,
    "subscribers": 200_000,
}

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
MEDIA_LISTS = 100
# About this many releases have their generated search vector compared with PostgreSQL's.
CHECKED_VECTORS = 200
# Texts are made of sentences (8 to 18 words) drawn from a pool this large.
SENTENCES = 20_000

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
INITIALS = "ABCDEFGHJKLMNPRSTW"
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
ZONES = {zone: zoneinfo.ZoneInfo(zone) for _, _, zone in PLACES}
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
# The first people lead the newsroom's own organization: its leadership page.
LEADERS = 12
LEADER_TITLES = ROLE_TITLES[3:7]
TITLE_VERBS = "launches announces joins expands renews welcomes publishes opens celebrates".split()
TITLE_ADJECTIVES = ["new", "first", "annual", "expanded", "joint", "regional"]
OUTLET_NAMES = ["Times", "Post", "Radio", "Daily", "Review", "Wire", "Journal", "News", "Observer"]
JOB_TITLES = ["Reporter", "Editor", "Correspondent", "Producer", "Columnist", "Freelancer"]
LANGUAGES = ["English", "Spanish", "French", "Portuguese", "Korean", "Japanese", "Arabic"]
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
        writer = Writer(batch_size=options["batch_size"], now=timezone.now())
        generator = Generator(writer, seed=options["seed"], say=self.say)
        with transaction.atomic():
            with writer.indexes_dropped(TABLES):
                generator.run(sizes)
            self.say(f"indexes rebuilt in {writer.index_seconds:.1f} s")
        self.analyze()
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
        """Fresh planner statistics, as autovacuum would leave them after a real load. VACUUM
        (which also sets the visibility map that index-only counts rely on) cannot run inside
        a transaction: in one (tests), ANALYZE."""
        started = time.monotonic()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute("VACUUM (ANALYZE)")
            else:
                cursor.execute("ANALYZE")
        self.say(f"statistics updated in {time.monotonic() - started:.1f} s")


class Writer:
    """Writes plain rows ({attribute name: value}, missing fields take their defaults) of a
    model in bulk, and returns their primary keys when asked."""

    def __init__(self, batch_size, now):
        self.batch_size = batch_size
        self.now = now
        self.copy = connection.vendor == "postgresql"
        self.index_seconds = 0.0

    def insert(self, model, rows, keys=False):
        if not rows:
            return []
        if not self.copy:
            objects = model.objects.bulk_create(
                [model(**row) for row in rows], batch_size=self.batch_size
            )
            return [obj.pk for obj in objects] if keys else None
        fields = [field for field in model._meta.concrete_fields if keys or not field.primary_key]
        pk = model._meta.pk.attname
        columns_and_defaults = [(field.attname, self.default(field)) for field in fields]
        with connection.cursor() as cursor:
            pks = None
            if keys:
                pks = next_ids(model, len(rows))
                for row, value in zip(rows, pks, strict=True):
                    row[pk] = value
            # CSV through the csv module's C writer: every non-number quoted, so an empty
            # string stays "" and only the nullable columns read "" as NULL. (Text fields are
            # never nullable here, so no text loses an empty string.)
            buffer = io.StringIO()
            write = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerow
            for row in rows:
                get = row.get
                write([get(name, default) for name, default in columns_and_defaults])
            buffer.seek(0)
            quote = connection.ops.quote_name
            columns = ", ".join(quote(field.column) for field in fields)
            nullable = ", ".join(quote(field.column) for field in fields if field.null)
            options = f"FORMAT csv, FORCE_NULL ({nullable})" if nullable else "FORMAT csv"
            cursor.copy_expert(
                f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN WITH ({options})",
                buffer,
            )
        return pks

    def default(self, field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if field.primary_key:
            return None
        return field.get_default()

    def indexes_dropped(self, models):
        return DroppedIndexes(self, models)


class DroppedIndexes:
    """On PostgreSQL, drop the secondary indexes of the tables of `models`, unique ones and
    unique constraints included (not primary keys, nor what a foreign key refers to), and
    create them again on the way out, in the same transaction (a failed run rolls both back).
    Building a unique index checks every row at once: a duplicate still fails the run."""

    def __init__(self, writer, models):
        self.writer = writer
        self.tables = [model._meta.db_table for model in models]
        self.definitions = []
        self.constraints = []
        self.triggers_off = False

    def __enter__(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SHOW is_superuser")
            self.triggers_off = cursor.fetchone()[0] == "on"
            if self.triggers_off:
                # No foreign key triggers, as pg_restore --disable-triggers loads: every key
                # written is one this run has just taken from a sequence and written itself.
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                # Checked as rows arrive rather than millions of checks queued for the
                # commit, which would also forbid CREATE INDEX in this transaction.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, quote_ident(c.conname),
                       pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype = 'u'
                  AND NOT EXISTS (
                    SELECT FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
                  )
                ORDER BY 1, 2
                """,
                [self.tables],
            )
            self.constraints = cursor.fetchall()
            for table, name, _ in self.constraints:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            cursor.execute(
                """
                SELECT index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid)
                FROM pg_index index
                WHERE index.indrelid = ANY(%s::regclass[])
                  AND NOT index.indisprimary
                  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = index.indexrelid)
                ORDER BY 1
                """,
                [self.tables],
            )
            self.definitions = cursor.fetchall()
            for name, _ in self.definitions:
                cursor.execute(f"DROP INDEX {name}")

    def __exit__(self, kind, error, traceback):
        if error is not None or connection.vendor != "postgresql":
            return  # on an error the transaction rolls back the drops and settings too
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for table, name, definition in self.constraints:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            for _, definition in self.definitions:
                cursor.execute(definition)
            # Back to normal for whatever else the enclosing transaction does (tests); as
            # Django's own check_constraints() leaves them.
            if self.triggers_off:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.writer.index_seconds = time.monotonic() - started


class SearchDocuments:
    """Release search vectors made here, as search_document() (what Release.save() stores)
    would make them, without PostgreSQL parsing and stemming some 40 million words: that
    took longer than everything else about the releases.

    The generated texts are plain words of letters between spaces, full stops, curly quotes
    and <p> tags, and PostgreSQL's parser reads such a text as a row of words: each takes the
    next position, stop words included, and the rest (spaces, punctuation, tags) takes none.
    Each word's lexeme (or none, for a stop word) is asked of PostgreSQL once, by the word
    itself. The weighted parts are joined as tsvector's || joins them: the positions of the
    right one shifted by the greatest position on the left. The texts are far too short to
    reach the limits on positions (16,383, and 256 per lexeme).

    check() compares a sample with PostgreSQL's own computation and stops the run (rolling
    it back) on any difference."""

    # A text's words are what lies between its spaces, once the paragraph tags are spaces too.
    WORD = re.compile(r"[^A-Za-z]*([A-Za-z]+)[^A-Za-z]*")

    def __init__(self):
        # For each word as written ("Cities", "risk.", "“Jobs"): "'lexeme':", ready for
        # its position, or "" for a stop word.
        self.entries = {}
        # For each weight, its positions as written: labels["C"][12] == "12C".
        self.labels = {weight: [] for weight in "ABC"}
        places = [word for place, _, _ in PLACES for word in place.split()]
        self.learn(WORDS + TITLE_VERBS + TITLE_ADJECTIVES + places)

    def learn(self, words):
        letters = {}
        for word in words:
            match = self.WORD.fullmatch(word)
            if not match:
                raise CommandError(f"PostgreSQL would not read {word!r} as one word.")
            letters[word] = match[1].lower()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, ARRAY(SELECT lexeme FROM unnest(to_tsvector(%s::regconfig, word)))"
                " FROM unnest(%s::text[]) AS word",
                [search_config(), sorted(set(letters.values()))],
            )
            lexemes = dict(cursor.fetchall())
        for word, plain in letters.items():
            found = lexemes[plain]
            if len(found) > 1 or (found and not found[0].isalpha()):
                raise CommandError(f"PostgreSQL does not read {word!r} as one plain word.")
            self.entries[word] = f"'{found[0]}':" if found else ""

    def vector(self, release, quotes):
        """The release's search vector as tsvector text: title (A), subtitle and summary (B),
        body and quotes in their order (C). One entry per word, in the order written (the
        tsvector input merges the positions of a lexeme), made without a Python-level loop
        over the words: this runs for some 40 million of them."""
        body = release["body"].replace("<p>", " ").replace("</p>", " ")
        parts = [
            ("A", release["title"]),
            ("B", f"{release['subtitle']} {release['summary']}"),
            ("C", " ".join([body, *(quote["text"] for quote in quotes)])),
        ]
        entries, shift, vector = self.entries, 0, []
        for weight, text in parts:
            words = text.split()
            try:
                prefixes = list(map(entries.__getitem__, words))
            except KeyError:
                self.learn(set(words).difference(entries))
                prefixes = list(map(entries.__getitem__, words))
            kept = list(map(bool, prefixes))
            end, labels = shift + len(words), self.labels[weight]
            labels += [f"{n}{weight}" for n in range(len(labels), end + 1)]
            vector += map(
                operator.add,
                itertools.compress(prefixes, kept),
                itertools.compress(labels[shift + 1 : end + 1], kept),
            )
            if True in kept:  # the next part starts after this part's last lexeme
                shift += len(kept) - kept[::-1].index(True)
        return " ".join(vector)

    def check(self, pks):
        computed = Release.objects.filter(pk__in=pks).annotate(expected=search_document())
        for pk, stored, expected in computed.values_list("pk", "search_vector", "expected"):
            if stored != expected:
                raise CommandError(
                    f"Release {pk}: the generated search vector is not PostgreSQL's.\n"
                    f"generated: {stored}\nPostgreSQL: {expected}"
                )


PeopleLink = Release.people.through
OrganizationLink = Release.organizations.through
Beat = MediaContact.beats.through
Follow = Subscriber.topics.through
# The tables whose secondary indexes are dropped for the load.
TABLES = [
    Organization,
    Person,
    Role,
    Topic,
    Release,
    TaggedRelease,
    PeopleLink,
    OrganizationLink,
    # Not Quote: the check of search vectors finds each release's quotes through its index.
    ReleaseRead,
    Outlet,
    MediaList,
    MediaContact,
    Beat,
    Membership,
    Subscriber,
    Follow,
]


class Generator:
    """Makes the rows, kind by kind. Everything random is drawn from one seeded random.Random
    in a fixed order, which is what makes runs repeatable; draws that depend on the clock
    (which days a release was read) come from a second one so they cannot shift the rest."""

    def __init__(self, writer, seed, say):
        self.write = writer.insert
        self.batch_size = writer.batch_size
        self.now = writer.now
        self.rng = random.Random(seed)
        self.reads_rng = random.Random(seed + 1)
        self.say = say
        self.slugs_used = {}
        self.organizations, self.people, self.topics = [], [], []
        self.attributions = {}
        self.sentences = []
        for _ in range(SENTENCES):
            length = self.rng.randint(8, 18)
            words = " ".join(self.rng.choices(WORDS, k=length)).capitalize() + "."
            self.sentences.append((words, length))

    def run(self, sizes):
        self.timed("organizations", self.make_organizations, sizes["organizations"])
        self.timed("people and roles", self.make_people, sizes["people"])
        self.timed("topics", self.make_topics, sizes["topics"])
        self.timed("press offices and contacts", self.make_press_offices)
        self.timed("releases with links, quotes, reads", self.make_releases, sizes["releases"])
        self.timed(
            "media contacts with outlets, lists", self.make_media_contacts, sizes["contacts"]
        )
        self.timed("subscribers", self.make_subscribers, sizes["subscribers"])

    def timed(self, label, make, *args):
        started = time.monotonic()
        made = make(*args)
        self.say(f"{made:,} {label} in {time.monotonic() - started:.1f} s")

    # Text

    def text(self, words):
        """About `words` words: sentences drawn from a pool made once, so a hundred thousand
        bodies cost one random draw per sentence rather than one per word."""
        picked, written = [], 0
        for sentence, length in self.rng.choices(self.sentences, k=words // 8 + 1):
            picked.append(sentence)
            written += length
            if written >= words - 6:  # half a sentence short: on average, `words`
                break
        return " ".join(picked)

    def body(self):
        """About 300 words in five paragraphs, as the editor saves them."""
        return "".join(f"<p>{self.text(60)}</p>" for _ in range(5))

    def unique_slug(self, text, max_length=190):
        """slugify(text), then -2, -3... for repeats, as an editor would pick by hand."""
        base = slugify(text)[:max_length].strip("-") or "item"
        seen = self.slugs_used.get(base, 0)
        self.slugs_used[base] = seen + 1
        return base if not seen else f"{base}-{seen + 1}"

    @staticmethod
    def weights(count, skew=1.0):
        """Cumulative weights where item n weighs 1/(n+10)**skew: a few are used a lot and
        most a little, as in a real newsroom."""
        return list(itertools.accumulate(1 / (n + 10) ** skew for n in range(count)))

    def pick(self, items, cumulative, count=1):
        """Up to `count` distinct items, weighted, in their original order."""
        if not items or not count:
            return []
        chosen = set()
        for _ in range(count * 3):
            index = bisect.bisect_left(cumulative, self.rng.random() * cumulative[-1])
            chosen.add(min(index, len(items) - 1))
            if len(chosen) == count:
                break
        return [items[index] for index in sorted(chosen)]

    def batches(self, total):
        for start in range(0, total, self.batch_size):
            yield range(start, min(start + self.batch_size, total))

    # Organizations, people, topics

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

    # Releases

    def make_releases(self, total):
        if not total:
            return 0
        boilerplates = {pk: boilerplate for pk, _, boilerplate in self.organizations}
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
                releases.append(self.release(i, slot, byline, boilerplates[byline], people))
                links.append((people, mentioned, topics))
            # The quotes are drawn before the releases are written (in the same order as
            # ever, so the same seed gives the same quotes): the search vector includes them.
            quoted = [self.quotes(people) for people, _, _ in links]
            if documents:
                for release, quotes in zip(releases, quoted, strict=True):
                    release["search_vector"] = documents.vector(release, quotes)
            pks = self.write(Release, releases, keys=True)
            tags, people_links, mentions, quotes, reads = [], [], [], [], []
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
            checked += pks[:: max(1, total // CHECKED_VECTORS)]
            self.write(TaggedRelease, tags)
            self.write(PeopleLink, people_links)
            self.write(OrganizationLink, mentions)
            self.write(Quote, quotes)
            self.write(ReleaseRead, reads)
        # The newest live release leads the home page.
        newest = Release.objects.live().order_by("-published_at").values("pk")[:1]
        Release.objects.filter(pk__in=newest).update(is_pinned=True)
        if documents:
            documents.check(checked)
        return total

    def release(self, i, slot, byline, boilerplate, people):
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
            "correction_note": "Corrected a figure in the third paragraph." if corrected else "",
            "media_contact_id": contact,
            # Copied from the byline when first published, as Release.save() does.
            "boilerplate": boilerplate if published_at else "",
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

    # Contacts

    def make_media_contacts(self, total):
        if not total:
            return 0
        outlets = []
        for _ in range(outlets_for(total)):
            place, country, _ = self.rng.choice(PLACES)
            name = f"{place} {self.rng.choice(OUTLET_NAMES)}"
            slug = self.unique_slug(name)
            outlets.append(
                {
                    # Outlet names are unique: the second "Seoul Times" is "Seoul Times 2".
                    "name": name if slug == slugify(name) else f"{name} {slug.rsplit('-', 1)[1]}",
                    "kind": self.rng.choice(Outlet.Kind.values),
                    "country": country,
                    "language": self.rng.choice(LANGUAGES),
                    "website": f"https://{slug}.example/",
                }
            )
        outlet_pks = self.write(Outlet, outlets, keys=True)
        domains = [
            (pk, outlet["website"][len("https://") : -1])
            for pk, outlet in zip(outlet_pks, outlets, strict=True)
        ]
        lists = [
            {"name": f"{self.rng.choice(ADJECTIVES)} {self.rng.choice(NOUNS)} desk {n + 1}"}
            for n in range(MEDIA_LISTS)
        ]
        list_pks = self.write(MediaList, lists, keys=True)
        today = self.now.date()
        for batch in self.batches(total):
            rows = []
            for i in batch:
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                outlet, domain = self.rng.choice(domains)
                if self.rng.random() < 0.1:  # freelancers, on an address of their own
                    outlet, domain = None, "mail.example"
                stopped = self.rng.random() < 0.02
                rows.append(
                    {
                        "first_name": first,
                        "last_name": last,
                        # Unique by its number; lower case, as normalize_email() stores it.
                        "email": f"{first[0]}{last}{i}@{domain}".lower(),
                        "outlet_id": outlet,
                        "job_title": self.rng.choice(JOB_TITLES),
                        "regions": self.rng.choice(PLACES)[0],
                        "languages": self.rng.choice(LANGUAGES),
                        "source": "generate_data",
                        "consent_basis": "legitimate interest",
                        "consent_date": today - datetime.timedelta(days=self.rng.randint(0, 2000)),
                        "do_not_contact": stopped,
                        "do_not_contact_reason": "Asked not to be contacted" if stopped else "",
                        "do_not_contact_since": self.now if stopped else None,
                    }
                )
            pks = self.write(MediaContact, rows, keys=True)
            beats, memberships = [], []
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
            self.write(Beat, beats)
            self.write(Membership, memberships)
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
