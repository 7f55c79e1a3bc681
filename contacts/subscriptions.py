"""The life of a subscription: sign up (double opt-in), confirm, pause, resume, unsubscribe.

Nothing but the confirmation email is ever sent to a pending subscriber: alerts go to
Subscriber.objects.confirmed() only."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from contacts.emails import absolute, list_unsubscribe_headers, subscriber_links
from contacts.models import Subscriber
from contacts.tokens import CONFIRMATION_MAX_AGE, subscriber_token
from core import workers
from press.models import Topic

logger = logging.getLogger(__name__)

Status = Subscriber.Status


@task()
def sign_up(email, topic_ids=(), source="", consent_text=""):
    """Record a sign-up from the form and answer it by email: the confirmation link to an
    address that needs confirming (new, pending, or back after unsubscribing), and to a
    confirmed or paused subscriber a note that they are subscribed already, with the link to
    their preferences.

    A task, never run in the request: the form must answer every address alike, in its page
    and in its time, and everything here (rows written or not, an SMTP conversation, which
    email) depends on what we know of the address. A failed send is logged; signing up again
    sends another.
    """
    with transaction.atomic():
        topics = list(Topic.objects.filter(pk__in=topic_ids))  # one may be gone since
        subscriber = Subscriber.objects.sign_up(
            email, topics=topics, source=source, consent_text=consent_text
        )
    if subscriber.status == Status.PENDING:
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


def confirmation_url(subscriber):
    return absolute(reverse("contacts:confirm", args=[subscriber_token(subscriber, "confirm")]))


def confirmation_email(subscriber):
    return _subscriber_email(
        subscriber,
        f"Please confirm your subscription to {settings.NEWSROOM_NAME}",
        "contacts/emails/confirm",
        confirm_url=confirmation_url(subscriber),
        days=CONFIRMATION_MAX_AGE // (24 * 3600),
    )


def already_subscribed_email(subscriber):
    """What a confirmed or paused subscriber gets on signing up again: nothing to confirm, and
    the preferences link, where they change topics or resume."""
    return _subscriber_email(
        subscriber,
        f"You are already subscribed to {settings.NEWSROOM_NAME}",
        "contacts/emails/already_subscribed",
        paused=subscriber.status == Status.PAUSED,
    )


def _subscriber_email(subscriber, subject, template, **context):
    """Plain text and HTML. The subject and sender are ours alone; the only thing from the
    reader is the validated address, which Django refuses to put in a header with a line break.
    """
    context.update(newsroom_name=settings.NEWSROOM_NAME, **subscriber_links(subscriber))
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[subscriber.email],
        headers=list_unsubscribe_headers(subscriber),
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def confirm(subscriber):
    """Confirm a pending subscriber; True when this confirmed them."""
    if subscriber.status != Status.PENDING:
        return False
    subscriber.status = Status.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    return True


def choose_topics(subscriber, topics):
    """Follow these topics, or everything when there are none."""
    subscriber.all_topics = not topics
    subscriber.save(update_fields=["all_topics"])
    subscriber.topics.set(topics)


def pause(subscriber):
    """Stop emails for now, keeping the topics: only a confirmed subscription pauses."""
    return _move(subscriber, Status.CONFIRMED, Status.PAUSED)


def resume(subscriber):
    return _move(subscriber, Status.PAUSED, Status.CONFIRMED)


def _move(subscriber, before, after):
    if subscriber.status != before:
        return False
    subscriber.status = after
    subscriber.save(update_fields=["status"])
    return True


def unsubscribe(subscriber):
    """End the subscription; signing up again starts a new double opt-in. Idempotent: the
    first unsubscribe time is kept."""
    if subscriber.status == Status.UNSUBSCRIBED:
        return False
    subscriber.status = Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    return True
