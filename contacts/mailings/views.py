from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from contacts.mailings import feedback, optout, tracking
from contacts.mailings.embargo import delivery_from_token
from contacts.models import EmbargoOpen, Suppression
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
    release = delivery.sent_release
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


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request, token):
    """The opt-out link in an email to a journalist. GET asks; POST opts the address out. The
    POST is also the RFC 8058 one-click target: mail clients send `List-Unsubscribe=One-Click`
    with no cookie and no CSRF token, so CSRF checks are off here; the signed token in the URL
    is what authenticates the request, and a forged one gets a 404."""
    delivery = optout.delivery_from_token(token)
    if delivery is None:
        return render(request, "contacts/opt_out_invalid.html", status=404)
    if request.method == "POST":
        feedback.opt_out(delivery)
        return render(request, "contacts/opted_out.html", {"email": delivery.email})
    return render(
        request,
        "contacts/opt_out.html",
        {"email": delivery.email, "opted_out": Suppression.objects.covers(delivery.email)},
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
