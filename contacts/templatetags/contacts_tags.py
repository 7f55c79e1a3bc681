"""Blocks that `contacts` adds to pages of other apps (the release page), so that `press`
never has to import `contacts`."""

from django import template
from django.utils.translation import get_language

from contacts.models import PressContact
from contacts.subscriptions.forms import SubscribeForm
from core.caching import cached_until_changed

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


@register.inclusion_tag("contacts/includes/newsletter_signup.html", takes_context=True)
def newsletter_signup(context):
    """The sign-up form, posting to /subscribe/. Where the page already fetched topics to
    offer (a release's own, the home page's popular ones), those are offered, at no extra
    query; elsewhere every topic with a live release is."""
    request = context["request"]
    form = SubscribeForm(initial={"source": request.path})
    offered = context.get("signup_topics", context.get("popular_topics"))
    if offered is not None:
        form.fields["topics"].choices = [
            (topic.pk, topic.name) for topic in sorted(offered, key=lambda topic: topic.name)
        ]
    return {"form": form, "csrf_token": context.get("csrf_token")}
