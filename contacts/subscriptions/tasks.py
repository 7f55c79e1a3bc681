"""Signing up: the task that records a sign-up and answers it by email. Stored under
contacts.subscriptions (see contacts/task_paths.py)."""

import logging
import smtplib

from django.db import transaction
from django_tasks import task

from contacts.models import Subscriber
from contacts.subscriptions.emails import already_subscribed_email, confirmation_email
from contacts.task_paths import stored_at
from core import workers
from press.models import Topic

logger = logging.getLogger(__name__)


@task()
@stored_at("contacts.subscriptions")
def sign_up(email, topic_ids=(), source="", consent_text="", language=""):
    """Record a sign-up from the form and answer it by email: the confirmation link to an
    address that needs confirming (new, pending, or back after unsubscribing), and to a
    confirmed or paused subscriber a note that they are subscribed already, with the link to
    their preferences; in the subscriber's language (`language` for a new or pending one: the
    page's, or the one they chose).

    A task, never run in the request: the form must answer every address alike, in its page
    and in its time, and everything here (rows written or not, an SMTP conversation, which
    email) depends on what we know of the address. A failed send is logged; signing up again
    sends another.
    """
    with transaction.atomic():
        topics = list(Topic.objects.filter(pk__in=topic_ids))  # one may be gone since
        subscriber = Subscriber.objects.sign_up(
            email, topics=topics, source=source, consent_text=consent_text, language=language
        )
    if subscriber.status == Subscriber.Status.PENDING:
        message = confirmation_email(subscriber)
    else:
        message = already_subscribed_email(subscriber)
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("The sign-up email to subscriber %s was not sent", subscriber.pk)
        return {"sent": False}
    return {"sent": True}


# Run again if its worker dies: the worst case is a second email to the same address.
workers.when_worker_dies(sign_up, retry=True)
