"""What a journalist did with a send to media: opens seen by a tracking pixel, clicks seen by
the signed redirects the links of the email go through. Both record a DeliveryEvent.

The pixel goes into an email only where the office allows it (settings.MAILING_OPEN_PIXEL):
off, emails carry none and the pixel's address records nothing. Links are rewritten either
way: a click is the reader's own act, and the redirect only leads to the address the office
wrote.

The addresses name one delivery and, for a click, the link; they are signed with SECRET_KEY
(Django's signing, a salt each), so nothing is stored for them and nobody can make the site
redirect elsewhere: an address that is not ours to begin with gets a 404. The views are
contacts/mailings/views.py.
"""

import re
from html import escape, unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

from contacts.models import Delivery, DeliveryEvent, Mailing
from contacts.subscriptions.emails import absolute

OPEN_SALT = "contacts.tracking.open"
CLICK_SALT = "contacts.tracking.click"
FOLLOWED_SCHEMES = ("http", "https")
# Release bodies are sanitized by nh3 (press/sanitize.py), which writes every attribute in
# double quotes: an href is always href="...".
HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.IGNORECASE)


def open_url(delivery):
    """The tracking pixel's absolute address for `delivery`, or "" when the office does not
    allow it (or the delivery is a preview, not saved)."""
    if not (settings.MAILING_OPEN_PIXEL and delivery.pk):
        return ""
    token = signing.dumps(delivery.pk, salt=OPEN_SALT)
    return absolute(reverse("tracking:open", args=[token]))


def click_url(delivery, url):
    """`url` as `delivery`'s signed redirect; a preview's (unsaved) links, and links that are
    not web addresses (mailto:, tel:), stay as they are."""
    if not delivery.pk or urlsplit(url).scheme.lower() not in FOLLOWED_SCHEMES:
        return url
    token = signing.dumps({"d": delivery.pk, "u": url}, salt=CLICK_SALT, compress=True)
    return absolute(reverse("tracking:click", args=[token]))


def tracked_links(html, delivery):
    """`html` (sanitized) with each web link going through `delivery`'s signed redirect."""

    def rewrite(match):
        url = click_url(delivery, unescape(match.group(2)))
        return f"{match.group(1)}{escape(url)}{match.group(3)}"

    return HREF.sub(rewrite, html or "")


def delivery_opened(token):
    """The delivery id an open token names, or None when it is not one we signed."""
    try:
        pk = signing.loads(token, salt=OPEN_SALT)
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None


def delivery_clicked(token):
    """(delivery id, link) that a click token names, or None when it is not one we signed or
    the link is not a web address."""
    try:
        data = signing.loads(token, salt=CLICK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    pk, url = data.get("d"), data.get("u")
    if not isinstance(pk, int) or not isinstance(url, str):
        return None
    if urlsplit(url).scheme.lower() not in FOLLOWED_SCHEMES or not urlsplit(url).netloc:
        return None
    return pk, url


def record_open(pk):
    """An open seen by the pixel of delivery `pk` (an email sent to media); False when there is
    no such email or the office does not allow the pixel."""
    if not settings.MAILING_OPEN_PIXEL or not _sent_to_media(pk):
        return False
    DeliveryEvent.objects.create(
        delivery_id=pk, kind=DeliveryEvent.Kind.OPENED, source=DeliveryEvent.Source.PIXEL
    )
    return True


def record_click(pk, url):
    """A click on `url` in delivery `pk` (an email sent to media); False when the email is gone
    (erased): the reader is taken to the link all the same."""
    if not _sent_to_media(pk):
        return False
    DeliveryEvent.objects.create(
        delivery_id=pk,
        kind=DeliveryEvent.Kind.CLICKED,
        source=DeliveryEvent.Source.REDIRECT,
        url=url[:2000],
    )
    return True


def _sent_to_media(pk):
    return Delivery.objects.filter(
        pk=pk,
        mailing__kind=Mailing.Kind.DISTRIBUTION,
        status__in=[Delivery.Status.SENT, Delivery.Status.SENDING],
    ).exists()
