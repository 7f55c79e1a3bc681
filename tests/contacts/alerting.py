"""Topic alerts run as the dispatcher and a worker run them, for the alert tests."""

from contacts.mailings.tasks import dispatch, send_mailing
from contacts.models import Mailing


def run_alerts():
    """What the dispatcher and a worker do: queue the due alerts, then run their tasks here."""
    dispatch()
    for mailing in Mailing.objects.filter(kind=Mailing.Kind.ALERT).order_by("pk"):
        send_mailing.call(mailing.pk)
