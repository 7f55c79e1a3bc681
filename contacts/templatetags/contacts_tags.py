"""Blocks that `contacts` adds to pages of other apps (the release page), so that `press`
never has to import `contacts`."""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from contacts.models import PressContact
from contacts.subscriptions.forms import SubscribeForm
from core.caching import cached_until_changed, kept_per_address

register = template.Library()


@register.inclusion_tag("contacts/includes/press_contacts_block.html")
def press_contacts_block():
    """The public press contacts, grouped by office in the template: one query, kept until
    content changes (every release page shows them), per language (offices are ordered by
    their name in it)."""
    return {
        "contacts": cached_until_changed(
            f"press-contacts:{get_language()}",
            lambda: list(PressContact.objects.public().by_office()),
        )
    }


@register.simple_tag(takes_context=True)
def newsletter_signup(context):
    """The sign-up form, posting to /subscribe/. Where the page already fetched topics to
    offer (a release's own, the home page's popular ones), those are offered, at no extra
    query; elsewhere every topic with a live release is.

    Rendered once per page, language and topics offered, and kept until content changes:
    the form's widgets, each a template of its own, took a third of a release page's
    rendering. It holds nothing of the reader (no CSRF token: see signup_form.html)."""
    request = context["request"]
    offered = context.get("signup_topics", context.get("popular_topics"))
    choices = None
    if offered is not None:
        choices = [
            (topic.pk, topic.name) for topic in sorted(offered, key=lambda topic: topic.name)
        ]

    def rendered():
        form = SubscribeForm(initial={"source": request.path})
        if choices is not None:
            form.fields["topics"].choices = choices
        return render_to_string("contacts/includes/newsletter_signup.html", {"form": form})

    # One per page: kept a few minutes at most, as the page's release is.
    return kept_per_address(f"signup-form:{get_language()}:{request.path}:{choices}", rendered)
