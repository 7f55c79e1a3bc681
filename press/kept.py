"""What the public pages show that is the same for every reader, worked out once and kept in
the shared cache until content changes or a scheduled moment (core.caching): a warm page builds
no query for it. Values kept per release, person or organization stay a few minutes at most
(core.caching.kept_per_address)."""

from django.db.models import Exists, OuterRef, Prefetch

from core.caching import cached_until_changed, kept_per_address
from press.models import Correction, Organization, Person, Quote, Release, Role, Topic
from press.models.publication import live_condition
from press.models.release_queries import LONG_TEXTS

RELEASES_PER_PAGE = 20
# Cards under the home page's lead story: three rows of three at desktop width.
HOME_CARDS = 9
# Quotes shown on a person's page, newest first: the busiest speaker has thousands.
QUOTES_SHOWN = 20
POPULAR_TOPICS_SHOWN = 10
# What a quote prints under a release not yet published (Quote.printed_attribution).
QUOTE_ROLES = ("person", "role__organization", "second_role__organization")
# Popular topics follow read counts, which change without a content change: worked out again
# after this many seconds at most.
POPULAR_TOPICS_SECONDS = 300


def popular_topics():
    """The most popular topics, cached (see TopicQuerySet.popular_list)."""
    return cached_until_changed(
        "popular-topics",
        lambda: Topic.objects.popular_list()[:POPULAR_TOPICS_SHOWN],
        timeout=POPULAR_TOPICS_SECONDS,
    )


def archive_years():
    """The years with live releases, newest first, for the archive links."""
    return cached_until_changed(
        "archive-years",
        lambda: list(Release.objects.live().dates("dateline_date", "year", order="DESC")),
    )


def home_releases(language):
    """The home page's lead story and latest releases in `language`, kept until content
    changes (_home_releases())."""
    return cached_until_changed(
        f"home-releases:{language}",
        lambda: _home_releases(language),
    )


def _home_releases(language):
    """The lead story (the newest pinned release, or else the newest of all) and the latest
    releases after it, in `language` (None: every language). Kept until content changes."""
    live = Release.objects.live().in_language(language).with_cards()
    lead = live.filter(is_pinned=True).first()
    if lead:
        return lead, list(live.exclude(pk=lead.pk)[:HOME_CARDS])
    lead, *latest = list(live[: HOME_CARDS + 1]) or [None]
    return lead, latest


def live_release_at(dateline_date, slug):
    """The live release at this address with what its page shows (byline, media contact,
    quotes with their speakers' roles, topics, images, public corrections, and in
    `kept_translations` its group's other live releases), kept until content changes or one of
    its scheduled moments: a warm page reads it in one Redis round trip instead of seven
    statements built and compiled (about 10 KB). None (an unknown or moved address) is never
    kept."""
    return kept_per_address(
        f"release-at:{dateline_date.isoformat()}:{slug}",
        lambda: _live_release_at(dateline_date, slug),
    )


def _live_release_at(dateline_date, slug):
    """Its public corrections and other live translations are read only when the release's
    own row says there are some (most releases have neither): a cold page makes two queries
    fewer."""
    release = (
        Release.objects.live()
        .defer("search_vector")
        .select_related("byline", "media_contact")
        .annotate(
            has_public_corrections=Exists(
                Correction.objects.public().filter(release=OuterRef("pk"))
            ),
            has_live_translations=Exists(
                Release.objects.other_live_translations(OuterRef("translation_key"), OuterRef("pk"))
            ),
        )
        .prefetch_related(
            Prefetch("quotes", Quote.objects.select_related(*QUOTE_ROLES)),
            "topics",
            "images",
        )
        .filter(dateline_date=dateline_date, slug=slug)
        .first()
    )
    if release is not None:
        release.public_corrections = (
            list(release.corrections.public()) if release.has_public_corrections else []
        )
        release.kept_translations = (
            list(Release.objects.live_translations(release))
            if release.has_live_translations
            else []
        )
    return release


def topic_at(slug):
    """The topic at this address, kept until content changes; None (no topic, or one merged
    into another) is never kept."""
    return kept_per_address(f"topic-at:{slug}", lambda: Topic.objects.filter(slug=slug).first())


def person_at(slug):
    """The person at this address and their roles (what the page's head shows), or None,
    kept until content changes. What the rest of the page lists: person_lists()."""
    return kept_per_address(f"person-at:{slug}", lambda: _person_at(slug))


def _person_at(slug):
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        return None
    return {"person": person, "roles": list(person.roles.select_related("organization"))}


def person_lists(person, language):
    """A person's live quotes and the live releases mentioning them, in `language`, kept
    until content changes: read only when the page's part listing them is rendered."""
    return kept_per_address(
        f"person-lists:{person.pk}:{language}", lambda: _person_lists(person, language)
    )


def _person_lists(person, language):
    return {
        # Through a join, so the database walks live releases newest first until it has
        # enough, rather than checking each of a busy speaker's quotes against a subquery;
        # without the releases' long texts, which the rows would otherwise carry.
        "quotes": list(
            Quote.objects.filter(live_condition("release__"), person=person)
            .filter(**({"release__language": language} if language else {}))
            .select_related("release")
            .defer(*(f"release__{field}" for field in LONG_TEXTS))
            .order_by("-release__published_at", "order")[:QUOTES_SHOWN]
        ),
        "releases": list(
            Release.objects.live()
            .in_language(language)
            .with_cards()
            .filter(people=person)[:RELEASES_PER_PAGE]
        ),
    }


def organization_at(slug):
    """The organization at this address now (with its parent and former names: what the
    page's head shows), or None, kept until content changes. What the rest of the page lists:
    organization_lists()."""
    return kept_per_address(
        f"organization-at:{slug}",
        lambda: (
            Organization.objects.select_related("parent")
            .prefetch_related("former_names")
            .filter(slug=slug)
            .first()
        ),
    )


def organization_lists(organization, language):
    """An organization's current people and the live releases it wrote or is mentioned in,
    in `language`, kept until content changes: read only when the page's part listing them is
    rendered."""
    return kept_per_address(
        f"organization-lists:{organization.pk}:{language}",
        lambda: _organization_lists(organization, language),
    )


def _organization_lists(organization, language):
    live = Release.objects.live().in_language(language).with_cards()
    return {
        "roles": list(
            Role.objects.current()
            .filter(organization=organization)
            .select_related("person")
            .order_by("kind", "title", "person__name")
        ),
        "bylined_releases": list(live.filter(byline=organization)[:RELEASES_PER_PAGE]),
        "mentioned_releases": list(live.filter(organizations=organization)[:RELEASES_PER_PAGE]),
    }
