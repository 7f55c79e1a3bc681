"""Roll up the insights figures now: what changed since the last run, or everything.

python manage.py rollup_insights           # as the dispatcher does every few minutes
python manage.py rollup_insights --full    # every day again, e.g. after deleting data
"""

from django.core.management.base import BaseCommand

from insights.rollups import rollup


class Command(BaseCommand):
    help = "Roll up the insights figures (reads, subscribers, mailings, coverage) by day."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Every day, not just the latest.")

    def handle(self, *args, full=False, **options):
        first = rollup(full=full)
        if options["verbosity"] > 0:
            self.stdout.write(f"Rolled up the figures from {first} on.")
