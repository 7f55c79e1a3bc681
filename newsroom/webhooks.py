"""The mail providers' tracking webhooks (django-anymail), as newsroom/urls.py mounts them:
`/anymail/<provider>/tracking/`, e.g. /anymail/postmark/tracking/. What they report is handled
in contacts/mailings/feedback.py.

Each answers 404 until ANYMAIL_WEBHOOK_SECRET is set: without a secret anymail only warns and
takes anyone's posts, and a post can put any address on the suppression list."""

from functools import wraps

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import Http404
from django.urls import URLPattern


def needs_secret(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            raise Http404("Mail provider webhooks are off: ANYMAIL_WEBHOOK_SECRET is not set.")
        return view(request, *args, **kwargs)

    return guarded


def tracking_webhooks():
    """anymail's tracking URL patterns (not its inbound mail ones), each guarded."""
    return [
        URLPattern(
            pattern.pattern, needs_secret(pattern.callback), pattern.default_args, pattern.name
        )
        for pattern in anymail_urls.urlpatterns
        if pattern.name and pattern.name.endswith("_tracking_webhook")
    ]
