"""Every 30 seconds: reads waiting in Redis moved to the database (at most once a minute), topic
alerts of releases that became live (once for a release and its translations), sends whose time
has come, and work a stopped worker left behind, queued for the `db_worker` processes; once an
hour, delivery and event logs past their retention (contacts/privacy/retention.py).

    python manage.py run_dispatcher            # run beside one or more `db_worker`s
    python manage.py run_dispatcher --once     # one turn, e.g. from cron every minute
"""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from contacts.mailings.tasks import dispatch


class Command(BaseCommand):
    help = "Queue topic alerts and scheduled sends when they are due, every 30 seconds."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One turn, then exit.")
        parser.add_argument(
            "--interval", type=float, default=30, help="Seconds between turns (default 30)."
        )

    def handle(self, *args, once=False, interval=30, **options):
        while True:
            queued = dispatch()
            if options["verbosity"] > 1 or (queued and options["verbosity"] > 0):
                self.stdout.write(f"Queued {queued} send(s).")
            if once:
                return
            time.sleep(interval)
            close_old_connections()  # as after a request: drop a connection the server closed
