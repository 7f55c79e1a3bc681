from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from contacts.models import Subscriber
from contacts.subscriptions.forms import CONSENT_TEXT_VERSION, PreferencesForm, SubscribeForm
from contacts.subscriptions.ratelimit import sign_up_refusal
from contacts.subscriptions.tasks import sign_up
from contacts.subscriptions.tokens import (
    CONFIRMATION_MAX_AGE,
    subscriber_from_token,
    subscriber_token,
)

# One answer for every sign-up, whether the address is new, pending, confirmed, paused or
# unsubscribed (or a robot's), so nobody can probe our list with the form.
SIGNED_UP = gettext_lazy(
    "Thank you. Please check your inbox to confirm: the link we sent works for 7 days."
)


@csrf_exempt  # see templates/contacts/includes/signup_form.html
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    status = 200
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            refusal = sign_up_refusal(request, form.cleaned_data["email"])
            if refusal:
                form.add_error(None, refusal)
                status = 429
            else:
                if not form.is_robot():
                    # Queued, whatever the address: the worker records it and chooses the email.
                    sign_up.enqueue(
                        form.cleaned_data["email"],
                        topic_ids=[topic.pk for topic in form.cleaned_data["topics"]],
                        source=form.cleaned_data["source"] or request.path,
                        consent_text=CONSENT_TEXT_VERSION,
                        language=form.cleaned_data["language"],
                    )
                messages.success(request, SIGNED_UP)
                return redirect("contacts:subscribe")
    else:
        form = SubscribeForm(initial={"source": request.path})
    return render(request, "contacts/subscribe.html", {"form": form}, status=status)


def link_invalid(request, expired=False):
    """A link that is forged, mistyped, too old, or whose subscriber is gone: 404, and a way
    to start again."""
    return render(
        request, "contacts/subscription_link_invalid.html", {"expired": expired}, status=404
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The link in the confirmation email. Opening it only shows a button: mail scanners that
    open every link must not confirm anyone; pressing the button (a POST) does."""
    subscriber = subscriber_from_token(token, "confirm", max_age=CONFIRMATION_MAX_AGE)
    # Unsubscribing after signing up wins over a confirmation link still in the inbox.
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return link_invalid(request, expired=True)
    if request.method == "POST":
        if subscriber.confirm():
            messages.success(request, _("Thank you: your subscription is confirmed."))
        else:
            messages.info(request, _("Your subscription was already confirmed."))
        return redirect("contacts:preferences", subscriber_token(subscriber, "manage"))
    return render(request, "contacts/subscription_confirm.html", {"subscriber": subscriber})


STATUS_CHANGES = {
    "pause": (
        Subscriber.pause,
        gettext_lazy("Your subscription is paused: we will not email you until you resume it."),
    ),
    "resume": (Subscriber.resume, gettext_lazy("Welcome back: your subscription is active again.")),
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    """Change topics or language, pause or resume, from the link in every email (which never
    expires)."""
    subscriber = subscriber_from_token(token, "manage")
    if subscriber is None:
        return link_invalid(request)
    followed = list(subscriber.topics.all())
    if request.method == "POST":
        form = PreferencesForm(request.POST, subscriber=subscriber)
        if form.is_valid():
            action = form.cleaned_data["action"]
            if action == "topics":
                subscriber.choose_topics(form.cleaned_data["topics"])
                messages.success(request, _("Your topics are saved."))
            elif action == "language":
                subscriber.choose_language(form.cleaned_data["language"])
                messages.success(request, _("We will write to you in this language."))
            else:
                change, done = STATUS_CHANGES[action]
                if change(subscriber):
                    messages.success(request, done)
                else:
                    messages.error(
                        request, _("Only a confirmed subscription can be paused or resumed.")
                    )
            return redirect(request.path)
    else:
        form = PreferencesForm(subscriber=subscriber, initial={"topics": followed})
    return render(
        request,
        "contacts/subscription_preferences.html",
        {"subscriber": subscriber, "form": form, "topics": followed, "token": token},
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks; POST unsubscribes. The POST is also the RFC 8058 one-click target: mail
    clients send `List-Unsubscribe=One-Click` with no cookie and no CSRF token, so CSRF checks
    are off here. The signed token in the URL is what authenticates the request, and a forged
    one gets a 404."""
    subscriber = subscriber_from_token(token, "manage")
    if subscriber is None:
        return link_invalid(request)
    if request.method == "POST":
        subscriber.unsubscribe()
        return render(request, "contacts/subscription_unsubscribed.html")
    return render(
        request,
        "contacts/subscription_unsubscribe.html",
        {"subscriber": subscriber, "token": token},
    )
