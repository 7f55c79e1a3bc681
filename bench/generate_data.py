"""Fill an empty database with a large, realistic, reproducible newsroom for benchmarks.

    .venv/bin/python -m bench.generate_data               # 100,000 releases, 1,000,000 contacts...
    .venv/bin/python -m bench.generate_data --releases 2000 --contacts 0

It runs from the repository's root on the database DATABASE_URL names, with the settings
DJANGO_SETTINGS_MODULE names (newsroom.settings by default). A module of bench/ rather than a
management command: the site never needs it, so no app of the site carries it, and every
benchmark is started the same way (`python -m bench.<name>`). It is still a Django command
inside, so its options, --help and errors are a command's.

Repeatable: everything random comes from one random.Random(seed), so the same seed gives the same
titles, slugs, names, emails, statuses and links. Only the times follow the clock, so "live",
"scheduled" and "read in the last 30 days" mean the same whenever it runs.

Fast and flat in memory: rows are made batch by batch as plain dicts and written in bulk, on
PostgreSQL with COPY (primary keys taken from the table's sequence first, so links can point at
them), elsewhere with bulk_create (bench/generate/writer.py). The secondary indexes of the
tables filled, unique ones included, are dropped for the load and built again once at the end,
inside the same transaction: one build is far cheaper than millions of insertions, above all
for GIN (search, trigram) indexes, and building a unique index still checks the generator's
promises (one email per contact...): a duplicate fails the run.

Nothing here runs Model.save(), so what save() would add is written directly: the dateline
date, the boilerplate copied on publication, a quote's attribution (the speaker's current role)
and, on PostgreSQL, the search vector, made in Python with the release
(bench/generate/search.py) and checked on a sample against PostgreSQL's own. ANALYZE (VACUUM
ANALYZE outside a transaction) ends the run.

A database that already holds any of the kinds made here is refused, rather than mixing
generated rows with real ones or guessing what to delete: use a fresh database.
"""

import os
import sys

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    # Imported once Django is set up: the command's modules import the models.
    from bench.generate.command import Command

    Command().run_from_argv(["python -m", "bench.generate_data", *sys.argv[1:]])


if __name__ == "__main__":
    main()
