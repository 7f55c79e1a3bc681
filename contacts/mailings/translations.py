"""Which translation of a mailing's release each recipient is sent: the one in their language
(a subscriber's chosen language, a journalist's language) when it may be sent, else the
mailing's release. Topic alerts always do this; a send to media when asked to
(`Mailing.in_their_language`)."""

from contacts.models import Mailing
from contacts.models.codes import closest_language, newsroom_language
from press.models import Release


def sendable_translations(mailing, now=None):
    """{language: release} of the releases of the mailing's translation group its recipients
    may be sent instead of its release: the live ones for an alert, the ones that may be
    distributed (live or under embargo) for a send to media in each journalist's language;
    empty otherwise. One query, two with the releases' topics."""
    release = mailing.release
    if mailing.kind == Mailing.Kind.ALERT:
        group = Release.objects.live(now)
    elif mailing.in_their_language:
        group = Release.objects.distributable(now)
    else:
        return {}
    group = (
        group.filter(translation_key=release.translation_key)
        .exclude(pk=release.pk)
        .select_related("byline")
        .prefetch_related("topics")
        .order_by("published_at", "pk")
    )
    translations = {release.language: release}
    for translation in group:
        translations.setdefault(translation.language, translation)
    return translations


def translation_for(delivery, release, translations):
    """The release to send this row: the translation in its recipient's language, else
    `release`."""
    recipient = delivery.subscriber or delivery.contact
    language = getattr(recipient, "language", "")
    return translations.get(closest_language(language, translations), release)


def email_language(mailing, release, delivery):
    """The language an email is written in around the release: a subscriber's own; for a
    journalist, the language of the release they are sent."""
    if mailing.kind == Mailing.Kind.ALERT and delivery.subscriber is not None:
        return delivery.subscriber.language
    return newsroom_language(release.language)
