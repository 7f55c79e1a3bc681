"""Embargoed releases: a journalist's own link to a release before it is public.

The link names one Delivery and is signed with SECRET_KEY; nothing is stored for it. It works
while the release is scheduled (until its publication time, the lift), can be revoked recipient
by recipient (an EmbargoRevocation row), and logs every open (an EmbargoOpen row: who, when).
After the lift it leads to the public page, which now serves the release itself.
"""

from django.core import signing
from django.http import Http404
from django.shortcuts import redirect

from press.models import Release

SALT = "contacts.embargo"


def embargo_token(delivery):
    return signing.dumps(delivery.pk, salt=SALT)


def delivery_from_token(token):
    """The delivery a token names, or None when the token is forged or the delivery is gone."""
    from contacts.models import Delivery

    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Delivery.objects.select_related("mailing__release", "embargo_revocation")
        .filter(pk=pk, mailing__kind="distribution", status__in=["sent", "sending"])
        .first()
    )


def embargoed_release(request, token):
    from contacts.models import EmbargoOpen
    from press.views import render_release

    delivery = delivery_from_token(token)
    if delivery is None or hasattr(delivery, "embargo_revocation"):
        raise Http404("This link does not work.")
    release = delivery.mailing.release
    if not release.is_embargoed():
        # Lifted: the public page serves the release now (if it is live at all).
        if Release.objects.live().filter(pk=release.pk).exists():
            return redirect(release)
        raise Http404("This link does not work any more.")
    EmbargoOpen.objects.create(delivery=delivery)
    lift = release.format_time(release.published_at)
    return render_release(
        request, release, preview_label=f"Embargoed until {lift}: not for publication before then"
    )
