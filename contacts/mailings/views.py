from django.http import Http404
from django.shortcuts import redirect

from contacts.mailings.embargo import delivery_from_token
from contacts.models import EmbargoOpen
from press.models import Release
from press.views import render_release


def embargoed_release(request, token):
    """A journalist's own link to an embargoed release: the release, marked not for publication
    before the lift, while it is embargoed and the link is not revoked; each open is logged."""
    delivery = delivery_from_token(token)
    if delivery is None or delivery.link_revoked:
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
