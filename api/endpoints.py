"""/api/v1/: the live content, read-only, as JSON (django-ninja). The same one rule as the
public pages: a release is here when Release.objects.live() says so, and nothing that is not
live shows through a filter, a topic, a translation or a ninjs association.

Every answer carries Cache-Control and an ETag (ConditionalGetMiddleware: If-None-Match gives
304); rates are per key or per address (api/limits.py); CORS for GET (settings: /api/ only).
"""

import datetime
import functools
import uuid

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from ninja import NinjaAPI, Query
from ninja.pagination import CursorPagination, paginate

from api import schemas
from api.limits import KeyHeader, PerClientThrottle
from api.ninjs import for_ninjs, ninjs
from api.releases import detail, item, live_releases, page
from contacts.models import PressContact, PressOffice
from press.models import Organization, Person, Quote, Release, Role, Topic

NINJS_TYPE = "application/ninjs+json"
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


class ReadApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return with_cache_headers(response)


def with_cache_headers(response):
    """Shared caches may keep a good answer for API_CACHE_SECONDS (a release going live at
    09:00 shows by then at the latest); errors and refusals are never kept."""
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
    else:
        patch_cache_control(response, no_store=True)
    return response


def documented(view):
    """The docs page and the schema carry Cache-Control too."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return with_cache_headers(view(request, *args, **kwargs))

    return wrapper


api = ReadApi(
    title="Newsroom API",
    version="1",
    description="Live press releases, topics, people, organizations and press offices. "
    "Anonymous callers are limited per address; send an API key in X-API-Key for a higher "
    "limit. Lists are paged with `cursor` (follow `next`). Each release is also IPTC ninjs 2.2.",
    auth=KeyHeader(),
    throttle=PerClientThrottle(),
    urls_namespace="api",
    docs_decorator=documented,
)


def cursor_pages(*ordering):
    return paginate(
        CursorPagination, ordering=ordering, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE
    )


@api.get("/releases/", response=schemas.ReleasePage, tags=["releases"])
def releases(
    request,
    topic: str | None = None,
    organization: str | None = None,
    person: str | None = None,
    language: str | None = None,
    translation_key: uuid.UUID | None = None,
    updated_since: datetime.datetime | None = None,
    cursor: str | None = None,
    page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Live releases, newest first, `page_size` a page; follow `next` for the following page.
    `topic`, `organization` (byline or mentioned) and `person` (mentioned or quoted) take
    slugs; `language` a tag such as pt-BR; `translation_key` gives a release and its
    translations; `updated_since` the releases changed since then."""
    found = live_releases()
    if topic:
        # A join (one row per release and topic): the database starts from the topic's
        # releases, where a subquery per release would probe each one in turn.
        found = found.filter(tagged_items__tag__slug=topic)
    if organization:
        mentioned = Release.organizations.through.objects.filter(
            release=OuterRef("pk"), organization__slug=organization
        )
        found = found.filter(Q(byline__slug=organization) | Q(Exists(mentioned)))
    if person:
        mentioned = Release.people.through.objects.filter(
            release=OuterRef("pk"), person__slug=person
        )
        quoted = Quote.objects.filter(release=OuterRef("pk"), person__slug=person)
        found = found.filter(Q(Exists(mentioned)) | Q(Exists(quoted)))
    if language:
        found = found.filter(language=language.lower())
    if translation_key:
        found = found.filter(translation_key=translation_key)
    if updated_since:
        found = found.filter(updated_at__gte=updated_since)

    def next_url(following):
        query = request.GET.copy()
        query["cursor"] = following
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    results, following = page(found, cursor, page_size, next_url)
    absolute = request.build_absolute_uri
    return {"next": following, "results": [item(release, absolute) for release in results]}


def live_release(pk):
    release = for_ninjs(Release.objects.live().defer("search_vector")).filter(pk=pk).first()
    if release is None:
        raise Http404("No live release has this id.")
    return release


@api.get("/releases/{int:release_id}/", response=schemas.ReleaseDetail, tags=["releases"])
def release(request, release_id: int, response: HttpResponse):
    """One live release, with its body, quotes, corrections and live translations. Asked with
    `Accept: application/ninjs+json`, the release as IPTC ninjs."""
    found = live_release(release_id)
    patch_vary_headers(response, ["Accept"])
    if NINJS_TYPE in request.headers.get("Accept", ""):
        return as_ninjs(request, found)
    translations = (
        Release.objects.live()
        .filter(translation_key=found.translation_key)
        .exclude(pk=found.pk)
        .only("pk", "language", "title")
        .order_by("language")
    )
    return detail(found, translations, request.build_absolute_uri)


@api.get("/releases/{int:release_id}/ninjs", tags=["releases"])
def release_ninjs(request, release_id: int):
    """One live release as an IPTC ninjs 2.2 news item (application/ninjs+json)."""
    return as_ninjs(request, live_release(release_id))


def as_ninjs(request, release):
    response = JsonResponse(
        ninjs(release, request.build_absolute_uri),
        content_type=NINJS_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    patch_vary_headers(response, ["Accept"])
    return with_cache_headers(response)


@api.get("/topics/", response=list[schemas.Topic], tags=["topics"])
@cursor_pages("name", "pk")
def topics(request):
    """Topics with at least one live release, by name."""
    return Topic.objects.live()


@api.get("/people/", response=list[schemas.Person], tags=["people"])
@cursor_pages("name", "pk")
def people(request):
    """People, by name, with their roles (current and past) at their organizations."""
    roles = Role.objects.select_related("organization").only(
        "pk", "person_id", "title", "kind", "start_date", "end_date",
        "organization__slug", "organization__name",
    )  # fmt: skip
    return Person.objects.prefetch_related(Prefetch("roles", roles)).defer("email", "phone")


@api.get("/organizations/", response=list[schemas.Organization], tags=["organizations"])
@cursor_pages("name", "pk")
def organizations(request):
    """Organizations, by name."""
    return Organization.objects.select_related("parent").defer("boilerplate", "parent__boilerplate")


@api.get("/press-offices/", response=schemas.PressOffices, tags=["press offices"])
def press_offices(request):
    """The press offices with their public contacts, and the global public contacts."""
    public = PressContact.objects.public()
    offices = PressOffice.objects.prefetch_related(Prefetch("contacts", public))
    return {"global_contacts": list(public.filter(office=None)), "offices": list(offices)}
