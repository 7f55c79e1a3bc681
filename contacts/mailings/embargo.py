"""Embargoed releases: a journalist's own link to a release before it is public.

The link names one Delivery and is signed with SECRET_KEY; nothing is stored for it. It works
while the release is scheduled (until its publication time, the lift), can be revoked recipient
by recipient (an EmbargoRevocation row), and logs every open (an EmbargoOpen row: who, when).
After the lift it leads to the public page, which now serves the release itself (the view is
contacts/mailings/views.py).
"""

from django.core import signing

from contacts.models import Delivery

SALT = "contacts.embargo"


def embargo_token(delivery):
    return signing.dumps(delivery.pk, salt=SALT)


def delivery_from_token(token):
    """The delivery a token names, or None when the token is forged or the delivery is gone."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Delivery.objects.select_related("mailing__release", "release", "embargo_revocation")
        .filter(pk=pk, mailing__kind="distribution", status__in=["sent", "sending"])
        .first()
    )
