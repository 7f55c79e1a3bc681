"""The opt-out link of every email to a journalist, and its RFC 8058 one-click headers.

The link names one Delivery and is signed with SECRET_KEY (nothing is stored for it) and never
expires: an opt-out from a years-old email must still work. Opening it asks; a POST, from the
page's button or from a mail client's one-click unsubscribe, opts the address out (contacts/
mailings/feedback.py). The view is contacts/mailings/views.py."""

from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.urls import reverse

from contacts.models import Delivery
from contacts.subscriptions.emails import absolute, one_click_headers

SALT = "contacts.opt-out"


def opt_out_token(delivery):
    return signing.dumps(delivery.pk, salt=SALT)


def opt_out_url(delivery):
    """The absolute link; a preview (an unsaved row) gets one that works nowhere."""
    token = opt_out_token(delivery) if delivery.pk else "preview"
    return absolute(reverse("contacts:opt-out", args=[token]))


def list_unsubscribe_headers(delivery):
    """One-click opt-out (RFC 8058): mail clients POST to the https link themselves; the
    mailto address, when the office has one (LIST_UNSUBSCRIBE_MAILTO), for clients that only
    write."""
    links = [opt_out_url(delivery)]
    if settings.LIST_UNSUBSCRIBE_MAILTO:
        subject = quote(f"Opt out {delivery.email}")
        links.append(f"mailto:{settings.LIST_UNSUBSCRIBE_MAILTO}?subject={subject}")
    return one_click_headers(*links)


def delivery_from_token(token):
    """The delivery a token names, or None when the token is forged or the delivery is gone."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Delivery.objects.select_related("mailing", "contact")
        .filter(pk=pk, mailing__kind="distribution")
        .first()
    )
