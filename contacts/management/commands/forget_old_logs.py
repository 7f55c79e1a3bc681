"""Delete events and embargo link opens, and anonymise deliveries, older than the retention
settings (NEWSROOM_EVENT_LOG_DAYS, NEWSROOM_DELIVERY_LOG_DAYS; contacts/privacy/retention.py).
The dispatcher does the same once an hour, a bounded amount each time; this does all of it.

    python manage.py forget_old_logs
    python manage.py forget_old_logs --dry-run    # only count
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from contacts.privacy import retention


class Command(BaseCommand):
    help = "Delete or anonymise delivery and event logs older than the retention settings."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        if dry_run:
            events, opens = retention.old_events(now)
            done = {
                "events": events.count(),
                "embargo_opens": opens.count(),
                "deliveries": retention.old_deliveries(now).count(),
                "history": retention.old_history(now).count(),
            }
        else:
            done = retention.forget_old_logs(now)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {done['events']} event(s), {done['embargo_opens']} embargo link open(s) "
            f"and {done['history']} history line(s); "
            f"{'would anonymise' if dry_run else 'anonymised'} {done['deliveries']} delivery(ies)."
        )
