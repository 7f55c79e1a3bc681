"""What every email to a subscriber carries: links to manage or end the subscription."""

from django.conf import settings
from django.urls import reverse

from contacts.tokens import subscriber_token


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def subscriber_links(subscriber):
    """The preference page and the unsubscribe links for this subscriber, absolute."""
    manage = subscriber_token(subscriber, "manage")
    return {
        "preferences": absolute(reverse("contacts:preferences", args=[manage])),
        "unsubscribe": absolute(reverse("contacts:unsubscribe", args=[manage])),
    }


def list_unsubscribe_headers(subscriber):
    """RFC 8058 one-click unsubscribe: mail clients POST to the https link themselves."""
    link = subscriber_links(subscriber)["unsubscribe"]
    return {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
