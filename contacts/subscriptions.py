"""The life of a subscription: sign up (double opt-in), confirm, pause, resume, unsubscribe.

Nothing but the confirmation email is ever sent to a pending subscriber: alerts go to
Subscriber.objects.confirmed() only."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contacts.emails import absolute, list_unsubscribe_headers, subscriber_links
from contacts.models import Subscriber
from contacts.tokens import CONFIRMATION_MAX_AGE, subscriber_token

logger = logging.getLogger(__name__)

Status = Subscriber.Status


def sign_up(email, topics=(), source="", consent_text=""):
    """Record a sign-up and email the confirmation link when the address needs confirming.

    The caller answers the same way whatever happened here, so nobody can learn from the
    answer whether an address is on our list. To keep the time taken alike too, a confirmed
    or paused address gets its confirmation email rendered and built just the same, only not
    handed to the mail server; an SMTP round trip still makes a difference, which moving the
    send to a background task would remove. A failed send is logged, never shown.
    """
    subscriber = _record(email, topics, source, consent_text)
    message = confirmation_email(subscriber)
    if subscriber.status != Status.PENDING:
        message.message()  # the same work as a send, up to the SMTP conversation
        return subscriber
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("The confirmation email to subscriber %s was not sent", subscriber.pk)
    return subscriber


def _record(email, topics, source, consent_text):
    try:
        return _record_once(email, topics, source, consent_text)
    except IntegrityError:
        # The same address signed up twice at once and the other request created it: now
        # this one finds it.
        return _record_once(email, topics, source, consent_text)


@transaction.atomic
def _record_once(email, topics, source, consent_text):
    subscriber = Subscriber.objects.sign_up(
        email, source=source, topics=topics, all_topics=not topics, consent_text=consent_text
    )
    if subscriber.status == Status.PENDING:
        # New, pending or back after unsubscribing: what they confirm is what they asked for
        # last. A confirmed subscriber's choices are left alone; they change them from the
        # link in our emails.
        subscriber.all_topics = not topics
        subscriber.consented_at = timezone.now()
        subscriber.source = source
        subscriber.consent_text = consent_text
        subscriber.save(update_fields=["all_topics", "consented_at", "source", "consent_text"])
        subscriber.topics.set(topics)
    return subscriber


def confirmation_url(subscriber):
    return absolute(reverse("contacts:confirm", args=[subscriber_token(subscriber, "confirm")]))


def confirmation_email(subscriber):
    """Plain text and HTML. The subject and sender are ours alone; the only thing from the
    reader is the validated address, which Django refuses to put in a header with a line break.
    """
    context = {
        "newsroom_name": settings.NEWSROOM_NAME,
        "confirm_url": confirmation_url(subscriber),
        "days": CONFIRMATION_MAX_AGE // (24 * 3600),
        **subscriber_links(subscriber),
    }
    message = EmailMultiAlternatives(
        subject=f"Please confirm your subscription to {settings.NEWSROOM_NAME}",
        body=render_to_string("contacts/emails/confirm.txt", context),
        to=[subscriber.email],
        headers=list_unsubscribe_headers(subscriber),
    )
    message.attach_alternative(
        render_to_string("contacts/emails/confirm.html", context), "text/html"
    )
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
