"""Composing a mailing's email for one delivery. Sending it is contacts/mailings/sending.py;
what every email to a subscriber carries (links to manage or end the subscription) is
contacts/subscriptions/emails.py."""

import re
import unicodedata
import zoneinfo
from email.header import Header
from email.utils import formataddr
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from contacts.mailings import optout
from contacts.mailings.embargo import embargo_token
from contacts.mailings.tracking import click_url, open_url, tracked_links
from contacts.mailings.translations import email_language
from contacts.models import Mailing
from contacts.subscriptions.emails import absolute, list_unsubscribe_headers, subscriber_links
from core.models import organization_name
from press.time_zones import format_time

MAX_NAME = 120  # characters of a recipient's name shown in the To header


def one_line(text):
    """Text safe in a header: no line breaks, control characters or runs of spaces."""
    text = " ".join(str(text or "").split())
    return "".join(char for char in text if unicodedata.category(char)[0] != "C")


def address_header(name, address):
    """ "Name <address>" as one line of ASCII (RFC 2047 words for a non-ASCII name, punycode for
    an international domain), which Django sets untouched and the generator folds between
    words. Names are cut at MAX_NAME characters."""
    name = one_line(name)
    name = name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"
    local, domain = address.rsplit("@", 1)
    address = f"{local}@{domain.encode('idna').decode('ascii')}"
    if not name or not local.isascii():
        return address  # a UTF-8 address gets its whole To header in utf8_bytes()
    if name.isascii():
        return formataddr((name, address))
    return f"{Header(name, 'utf-8').encode(linesep='')} <{address}>"


def plain_text(html):
    """The release body as plain text, a blank line between paragraphs."""
    text = re.sub(r"</(p|h[1-6]|li|blockquote)>|<br\s*/?>", "\n\n", html or "")
    text = unescape(strip_tags(text))
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def message_id(delivery):
    """The same for every attempt of a row, so a rare resend is recognisably the same email."""
    host = urlsplit(settings.SITE_URL).hostname or "newsroom.invalid"
    return f"<delivery-{delivery.pk}.mailing-{delivery.mailing_id}@{host}>"


def subject_of(mailing, release, now=None):
    """The mailing's subject, or the title of the release sent: a translation sent in its
    place has its own title as the subject."""
    own = mailing.subject if release.pk == mailing.release_id else ""
    subject = one_line(own or release.title)
    if mailing.kind == Mailing.Kind.DISTRIBUTION and release.is_embargoed(now):
        # The lift in the dateline's zone with its offset, without the " = hh:mm UTC" tail.
        lift = written_time(release.published_at, release.dateline_time_zone, utc=False)
        subject = _("EMBARGOED UNTIL %(time)s: %(subject)s") % {"time": lift, "subject": subject}
    return subject


def written_time(value, zone_name, utc=True):
    """`value` in the zone named `zone_name`, with its offset, as the email's language writes
    times: in English the house style of press.time_zones ("Wed 01 May 2030, 09:00
    Asia/Singapore (UTC+08:00) = 01:00 UTC"), in the others their own date format ("1 de mayo
    de 2030 a las 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC"); without the UTC tail
    unless `utc`."""
    english = format_time(value, zone_name)
    if translation.get_language() == "en":
        return english if utc else english.split(" = ")[0]
    local = timezone.localtime(value, zoneinfo.ZoneInfo(zone_name))
    offset = local.strftime("%z")
    written = f"{date_format(local, 'DATETIME_FORMAT')} {zone_name} (UTC{offset[:3]}:{offset[3:]})"
    if utc and " = " in english:
        written += " = " + english.split(" = ")[1]
    return written


def their_time(value, release, contact):
    """`value` in the journalist's own time zone, when we know it and it is not the
    dateline's: "Tue 30 Apr 2030, 19:00 Europe/Berlin (UTC+02:00)"; else empty."""
    zone = contact.time_zone if contact is not None else ""
    if not zone or zone == release.dateline_time_zone:
        return ""
    return written_time(value, zone, utc=False)


def compose(mailing, release, delivery, now=None):
    """The email of one row, sending `release` (the mailing's, or a translation of it), in the
    language of its reader (contacts.mailings.translations.email_language). Builds links (one
    query for a subscriber's, none otherwise)."""
    with translation.override(email_language(mailing, release, delivery)):
        return _compose(mailing, release, delivery, now)


def _compose(mailing, release, delivery, now):
    name = ""
    context = {
        "mailing": mailing,
        "release": release,
        "newsroom_name": organization_name(),
        "release_url": absolute(release.get_absolute_url()),
        "body_text": plain_text(release.body_with_quotes()),
        "language": translation.get_language(),
    }
    headers = {"Message-ID": message_id(delivery)}
    reply_to = []
    if mailing.kind == Mailing.Kind.ALERT:
        context["topics"] = [topic.name for topic in release.topics.all()]
        context.update(subscriber_links(delivery.subscriber))
        headers.update(list_unsubscribe_headers(delivery.subscriber))
    else:
        name = str(delivery.contact or "")
        context["contact"] = delivery.contact
        context["opt_out_url"] = optout.opt_out_url(delivery)
        headers.update(optout.list_unsubscribe_headers(delivery))
        # Links in the HTML part go through signed redirects that count clicks; the pixel is
        # there only where the office allows it (contacts/mailings/tracking.py).
        context["body_html"] = tracked_links(release.body_with_quotes(), delivery)
        context["release_link"] = click_url(delivery, context["release_url"])
        context["open_pixel"] = open_url(delivery)
        if release.is_embargoed(now):
            context["embargo"] = written_time(release.published_at, release.dateline_time_zone)
            context["embargo_theirs"] = their_time(release.published_at, release, delivery.contact)
            token = embargo_token(delivery) if delivery.pk else "preview"
            context["embargo_url"] = absolute(reverse("embargo:release", args=[token]))
        if mailing.created_by_id and mailing.created_by.email:
            reply_to = [
                address_header(mailing.created_by.get_full_name(), mailing.created_by.email)
            ]
    template = f"contacts/emails/{mailing.kind}"
    message = EmailMultiAlternatives(
        subject=subject_of(mailing, release, now),
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address_header(name, delivery.email)],
        reply_to=reply_to,
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.recipient_name = one_line(name)[:MAX_NAME]
    return message
