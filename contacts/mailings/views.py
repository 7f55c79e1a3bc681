from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from contacts.mailings import tracking
from contacts.mailings.embargo import delivery_from_token
from contacts.models import EmbargoOpen
from press.models import Release
from press.views import render_release

# A transparent GIF of one pixel.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


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


# Never cached, by browsers or proxies: each open and click must reach us to be counted.
@never_cache
@require_safe
def opened(request, token):
    """The tracking pixel of one email to a journalist: records an open, answers the GIF."""
    pk = tracking.delivery_opened(token)
    if pk is None:
        raise Http404("This address is not one of ours.")
    tracking.record_open(pk)
    return HttpResponse(PIXEL, content_type="image/gif")


@never_cache
@require_safe
def clicked(request, token):
    """A link in an email to a journalist: records the click and leads to the link. Only to a
    link we signed: a forged or altered address is a 404, never a redirect."""
    signed = tracking.delivery_clicked(token)
    if signed is None:
        raise Http404("This link is not one of ours.")
    pk, url = signed
    tracking.record_click(pk, url)
    return HttpResponseRedirect(url)
