"""The command behind `python -m bench.generate_data` (see there): its options, the refusal of
a database with data, and the generator made of one part per kind of row."""

import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from bench.generate.contacts import Beat, Contacts, Follow
from bench.generate.directory import Directory
from bench.generate.drawing import Drawing
from bench.generate.releases import OrganizationLink, PeopleLink, Releases
from bench.generate.writer import Writer
from contacts.models import (
    ContactTag,
    MediaContact,
    MediaList,
    Membership,
    Outlet,
    Subscriber,
    TaggedContact,
)
from press.models import (
    Organization,
    Person,
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
    ContactTag,
    TaggedContact,
    Subscriber,
    Follow,
]


class Generator(Directory, Releases, Contacts, Drawing):
    """Makes the rows, kind by kind, each kind by a part of its own (bench/generate/): later
    kinds link to the keys earlier ones made, and all draw from the same Drawing, in a fixed
    order."""

    def __init__(self, writer, seed, say):
        super().__init__(seed, writer.batch_size)
        self.write = writer.insert
        self.now = writer.now
        self.say = say
        self.organizations, self.people, self.topics = [], [], []
        self.attributions = {}

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


class Command(BaseCommand):
    help = "Fill an empty database with a large generated newsroom, for benchmarks."
    # Settings are chosen before Django starts (DJANGO_SETTINGS_MODULE), not by an option.
    suppressed_base_arguments = {"--settings", "--pythonpath"}

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
