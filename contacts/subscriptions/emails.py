"""The emails of a subscription: what every email to a subscriber carries (the links to manage
or end it, and the one-click unsubscribe headers), and the answers to a sign-up."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from contacts.models import Subscriber
from contacts.subscriptions.tokens import CONFIRMATION_MAX_AGE, subscriber_token
from core.models import organization_name


def absolute(path):
    """`path` as a link that works from an email."""
    return settings.SITE_URL.rstrip("/") + path


def subscriber_links(subscriber):
    """The preference page and the unsubscribe links for this subscriber, absolute."""
    manage = subscriber_token(subscriber, "manage")
    return {
        "preferences": absolute(reverse("contacts:preferences", args=[manage])),
        "unsubscribe": absolute(reverse("contacts:unsubscribe", args=[manage])),
    }


def one_click_headers(*links):
    """RFC 8058 one-click unsubscribe: mail clients POST to the https link (the first of
    `links`) themselves; a mailto link may follow, for clients that only write."""
    return {
        "List-Unsubscribe": ", ".join(f"<{link}>" for link in links),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def list_unsubscribe_headers(subscriber):
    return one_click_headers(subscriber_links(subscriber)["unsubscribe"])


def confirmation_url(subscriber):
    return absolute(reverse("contacts:confirm", args=[subscriber_token(subscriber, "confirm")]))


def confirmation_email(subscriber):
    return _subscriber_email(
        subscriber,
        _("Please confirm your subscription to %(newsroom)s"),
        "contacts/emails/confirm",
        confirm_url=confirmation_url(subscriber),
        days=CONFIRMATION_MAX_AGE // (24 * 3600),
    )


def already_subscribed_email(subscriber):
    """What a confirmed or paused subscriber gets on signing up again: nothing to confirm, and
    the preferences link, where they change topics or resume."""
    return _subscriber_email(
        subscriber,
        _("You are already subscribed to %(newsroom)s"),
        "contacts/emails/already_subscribed",
        paused=subscriber.status == Subscriber.Status.PAUSED,
    )


def _subscriber_email(subscriber, subject, template, **context):
    """Plain text and HTML, in the subscriber's language. The subject and sender are ours
    alone; the only thing from the reader is the validated address, which Django refuses to
    put in a header with a line break."""
    with translation.override(subscriber.language):
        context.update(
            newsroom_name=organization_name(),
            language=translation.get_language(),
            **subscriber_links(subscriber),
        )
        message = EmailMultiAlternatives(
            subject=str(subject) % {"newsroom": organization_name()},
            body=render_to_string(f"{template}.txt", context),
            to=[subscriber.email],
            headers=list_unsubscribe_headers(subscriber),
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
