"""Live releases as the API shows them: the list's keyset cursor, and each release as a dict
(api/schemas.py describes them)."""

import base64
import binascii
import datetime

from django.db.models import Prefetch, Q
from ninja.errors import HttpError

from api.schemas import bcp47
from press.models import Organization, Person, Release, TaggedRelease


def live_releases():
    """Live releases with what a list item shows: four queries a page, whatever its size."""
    return (
        Release.objects.live()
        .with_cards()
        .prefetch_related(
            Prefetch("tagged_items", TaggedRelease.objects.select_related("tag")),
            Prefetch("people", Person.objects.only("pk", "slug", "name")),
            Prefetch("organizations", Organization.objects.only("pk", "slug", "name")),
        )
    )


def page(releases, cursor, size, next_url):
    """One page of `releases` (newest first) after `cursor`, and the next page's address or
    None. A keyset on (publication time, id), the order of the release_live_idx index: a
    page deep in the list costs what the first does."""
    releases = releases.order_by("-published_at", "-pk")
    if cursor:
        published_at, pk = _decoded(cursor)
        # The plain bound lets the index start at the cursor; the rest breaks ties.
        releases = releases.filter(published_at__lte=published_at).filter(
            Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk)
        )
    found = list(releases[: size + 1])
    following = None
    if len(found) > size:
        last = found[size - 1]
        following = next_url(cursor_after(last.published_at, last.pk))
    return found[:size], following


def cursor_after(published_at, pk):
    """The cursor of the page that follows the release published at `published_at`, `pk`."""
    return base64.urlsafe_b64encode(f"{published_at.isoformat()}|{pk}".encode()).decode()


def _decoded(cursor):
    try:
        moment, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.datetime.fromisoformat(moment), int(pk)
    except (ValueError, binascii.Error, UnicodeError):
        raise HttpError(400, "This cursor is not one the API gave.") from None


def item(release, absolute):
    """A release of a list, as a dict (reads its prefetched links)."""
    image = release.featured_image
    return {
        "id": release.pk,
        "url": absolute(release.get_absolute_url()),
        "ninjs_url": absolute(f"/api/v1/releases/{release.pk}/ninjs"),
        "title": release.title,
        "subtitle": release.subtitle,
        "summary": release.summary,
        "language": bcp47(release.language),
        "translation_key": release.translation_key,
        "published_at": release.published_at,
        "modified_at": release.modified_at,
        "corrected_at": release.corrected_at,
        "expires_at": release.expires_at,
        "dateline": release.dateline,
        "dateline_place": release.dateline_place,
        "byline": {"slug": release.byline.slug, "name": release.printed_byline},
        "topics": [_link(tagged.tag) for tagged in release.tagged_items.all()],
        "people": [_link(person) for person in release.people.all()],
        "organizations": [_link(org) for org in release.organizations.all()],
        "featured_image": {
            "url": absolute(image.url),
            "alt": release.featured_image_alt,
            "caption": release.featured_image_caption,
            "credit": release.featured_image_credit,
            "licence": release.featured_image_licence,
        }
        if image
        else None,
    }


def detail(release, translations, absolute):
    """A release with its body, quotes, corrections and live `translations`, as a dict."""
    return {
        **item(release, absolute),
        "body_html": str(release.body_with_quotes()),
        "boilerplate": release.printed_boilerplate,
        "quotes": [
            {
                "text": quote.text,
                "person": _link(quote.person),
                "attribution": quote.printed_attribution,
            }
            for quote in release.quotes.all()
        ],
        "corrections": [
            {"note": correction.note, "created_at": correction.created_at}
            for correction in release.public_corrections
        ],
        "translations": [
            {
                "id": translation.pk,
                "language": bcp47(translation.language),
                "title": translation.title,
                "url": absolute(f"/api/v1/releases/{translation.pk}/"),
            }
            for translation in translations
        ],
    }


def _link(thing):
    return {"slug": thing.slug, "name": thing.name}
