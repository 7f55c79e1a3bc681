"""Signed links for subscribers: confirm, manage preferences, unsubscribe.

Nothing is stored: the link carries the subscriber's id and purpose, signed with SECRET_KEY,
and the time it was made, so a confirmation link can expire."""

from django.core import signing

from contacts.models import Subscriber

SALT = "contacts.subscriber"
CONFIRMATION_MAX_AGE = 7 * 24 * 3600  # seconds


def subscriber_token(subscriber, purpose):
    return signing.dumps({"id": subscriber.pk, "for": purpose}, salt=SALT, compress=True)


def subscriber_from_token(token, purpose, max_age=None):
    """The subscriber a token names, or None when the token is forged, for another purpose,
    expired, or its subscriber is gone."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("for") != purpose:
        return None
    return Subscriber.objects.filter(pk=data.get("id")).first()
