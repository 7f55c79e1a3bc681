"""Send one mailing from this process until nothing of it is due: what a `db_worker` does
through `send_mailing` tasks, without the queue. Safe beside running workers (rows are claimed).

    python manage.py send_mailing 42
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from contacts.mailings import sending
from contacts.models import Mailing


class Command(BaseCommand):
    help = "Send the due emails of one mailing from this process."

    def add_arguments(self, parser):
        parser.add_argument("mailing_id", type=int)
        parser.add_argument("--worker-id", default="", help="Defaults to host:pid:random.")
        parser.add_argument("--batch-size", type=int, default=sending.BATCH_SIZE)
        parser.add_argument(
            "--lease-seconds",
            type=float,
            help="How long a claim nobody renews lasts before its rows count as abandoned "
            "(default: the WORKER_TIMEOUT_SECONDS setting, 20).",
        )

    def handle(self, *args, mailing_id, worker_id, batch_size, lease_seconds, **options):
        mailing = Mailing.objects.select_related("release", "created_by").filter(pk=mailing_id)
        mailing = mailing.first()
        if mailing is None:
            raise CommandError(f"No mailing {mailing_id}.")
        mailing.start()
        run = sending.deliver(
            mailing,
            worker=worker_id or sending.worker_id(),
            limit=10**9,
            seconds=10**9,
            lease=datetime.timedelta(seconds=lease_seconds) if lease_seconds else None,
            size=batch_size,
        )
        self.stdout.write(f"Sent {run.sent} email(s).")
        if run.unreachable:
            raise CommandError(run.unreachable)
