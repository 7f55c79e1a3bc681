import datetime
import functools

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.caching import cached_until_changed
from core.page_cache import cache_public_page, mark_for_hits, read_part_ahead
from core.paginators import CountedPaginator
from core.rate_limits import client_address
from press.feeds import feed_links
from press.forms import PreviewDecisionForm, ReleaseFilterForm
from press.kept import (
    POPULAR_TOPICS_SECONDS,
    RELEASES_PER_PAGE,
    archive_years,
    home_releases,
    live_release_at,
    organization_at,
    organization_lists,
    person_at,
    person_lists,
    popular_topics,
    topic_at,
)
from press.models import (
    Organization,
    OrganizationName,
    PreviewLink,
    Release,
    ReleaseRead,
    Role,
    SlugRedirect,
    Topic,
    TopicRedirect,
)
from press.search import SearchForm
from press.suggestions import suggestions

# ?language=all: a list shows the releases of every language, not the reader's alone.
ALL_LANGUAGES = "all"


def shown_language(request):
    """The language whose releases a list shows: the reader's (the address's prefix: none is
    English), or every language with ?language=all (None)."""
    return None if request.GET.get("language") == ALL_LANGUAGES else get_language()


@cache_public_page(params=("language",))
def home(request):
    language = shown_language(request)
    read_part_ahead(request, "home", language is None)
    # Looked up only when the page's part showing them is rendered, not when it is kept.
    shown = SimpleLazyObject(lambda: home_releases(language))
    return render(
        request,
        "press/home.html",
        {
            "lead": lambda: shown[0],
            "latest_releases": lambda: shown[1],
            # Every release the page shows, so their pictures are read in one query.
            "shown_releases": lambda: [shown[0], *shown[1]] if shown[0] else [],
            "popular_topics": SimpleLazyObject(popular_topics),
            "all_languages": language is None,
        },
    )


@cache_public_page(params=("topic", "organization", "person", "year", "page", "language"))
def release_list(request, year=None, month=None):
    filters = ReleaseFilterForm(request.GET)
    language = shown_language(request)
    live = Release.objects.live().in_language(language).with_cards()
    releases = filters.apply(live, year=year, month=month)
    if filters.is_valid():
        name = f"releases:{language}:{year}:{month}:{sorted(filters.cleaned_data.items())}"
        read_part_ahead(request, "release-list", name, request.GET.get("page", 1))
        # Filtered lists may join (and need DISTINCT): their pages are read as usual.
        paginator = CountedPaginator(
            releases,
            RELEASES_PER_PAGE,
            name,
            keys_first=not filters.is_filtered(),
            keep_pages=True,
        )
    else:  # invalid filters match nothing: no query to save
        paginator = Paginator(releases, RELEASES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "press/release_list.html",
        {
            "page": page,
            "filters": filters,
            "year": year,
            "month": datetime.date(year, month, 1) if month else None,
            "years": archive_years,  # called only when the page's part is rendered
            "all_languages": language is None,
            # The page's part ({% kept %}) is kept under the list's name (valid filters only:
            # ReleaseFilterForm.apply() says an invalid one's page is not kept).
            "list_name": getattr(paginator, "name", None),
        },
    )


def release_archive(request, year, month=None):
    if month is not None and not 1 <= month <= 12:
        raise Http404("No such month.")
    return release_list(request, year=year, month=month)


@cache_public_page
def release_detail(request, year, month, day, slug):
    try:
        dateline_date = datetime.date(year, month, day)
    except ValueError:
        raise Http404("No such date.") from None
    for part in ("release-head", "release-page"):
        read_part_ahead(request, part, dateline_date, slug)
    release = live_release_at(dateline_date, slug)
    if release is None:
        moved = SlugRedirect.objects.filter(
            dateline_date=dateline_date, slug=slug, release__in=Release.objects.live()
        ).select_related("release")
        old_address = moved.first()
        if old_address is None:
            raise Http404("No live release at this address.")
        return redirect(old_address.release, permanent=True)
    if release.language != get_language():
        # Under another language's prefix: the release's own address.
        return redirect(release, permanent=True)
    response = render_release(request, release)
    # Served again from the page cache, the page's read is counted there (PressConfig.ready).
    mark_for_hits(response, "release-read", release.pk)
    ReleaseRead.objects.record_when_sent(release.pk, request)
    return response


def read_when_shown(read, **where):
    """Template values taken from what read() returns (`name=index or key`), each a callable
    the template calls where it shows the value: read() runs once, at the first of them, and
    not at all when the part of the page showing them is kept ({% kept %})."""
    found = SimpleLazyObject(read)
    return {name: (lambda at=at: found[at]) for name, at in where.items()}


def render_release(request, release, preview_label="", extra_context=None):
    """The public release page; previews render the same page with a banner and noindex."""
    if preview_label:
        suggested = functools.partial(suggestions, release)
        translations = list(Release.objects.live_translations(release))
    else:
        # The same for every reader until content changes; "also interesting" follows read
        # counts too, hence the timeout.
        suggested = functools.partial(
            cached_until_changed,
            f"suggestions:{release.pk}",
            functools.partial(suggestions, release),
            timeout=POPULAR_TOPICS_SECONDS,
        )
        translations = release.kept_translations  # read with it (live_release_at)
    response = render(
        request,
        "press/release_detail.html",
        {
            "release": release,
            **read_when_shown(suggested, related_releases=0, interesting_releases=1),
            # The page in each language it exists in (switcher, hreflang alternates).
            **dict(zip(("versions", "x_default"), release.versions(translations), strict=True)),
            # The sign-up form offers the topics of the release read (fetched with it), not
            # the site's popular ones: no statement over every topic on a cold page.
            "signup_topics": release.topics.all(),
            "preview_label": preview_label,
            **(extra_context or {}),
        },
    )
    if preview_label:
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


def preview(request, token):
    """A draft read through a shared link, by someone without an account, who may answer."""
    link = PreviewLink.from_token(token)
    if link is None:
        raise Http404("This preview link does not work any more.")
    form = PreviewDecisionForm(request.POST or None, release=link.release)
    if request.method == "POST" and form.is_valid():
        form.instance.link = link
        form.save()
        messages.success(request, _("Thank you: your answer has been passed to the editors."))
        return redirect(request.path)
    return render_release(
        request,
        link.release,
        preview_label=_("Preview for approval: not public"),
        extra_context={"decision_form": form, "preview_link": link},
    )


# A search for one plain word (?q=flood) is kept like any page; other searches (several words,
# capitals, a page number) are answered and never stored: addresses of that kind have no end.
# The results of every search are kept a minute besides ({% kept "search-results" ... only %}).
@cache_public_page(params=("q",))
def search(request):
    form = SearchForm(request.GET)
    query, page_number = form.page_asked_for()
    if query:
        # The part showing the results, read with the matches kept for the words: a search
        # made again is one round trip.
        read_part_ahead(request, "search-results", query, page_number, only=True)
    results = form.results(get_language(), address=client_address(request))
    return render(
        request,
        "press/search.html",
        {"form": form, "results": results, "search_query": results["query"]},
        status=results.get("status", 200),
    )


@cache_public_page
def topic_list(request):
    return render(
        request,
        "press/topic_list.html",
        {
            "topics": cached_until_changed(
                "topics-by-name", lambda: Topic.objects.popular_list(by_name=True)
            )
        },
    )


@cache_public_page
def leadership(request):
    organization = Organization.objects.filter(slug=settings.NEWSROOM_ORGANIZATION).first()
    roles = (
        Role.objects.current()
        .filter(kind__in=[Role.Kind.BOARD, Role.Kind.EXECUTIVE])
        .select_related("person", "organization")
        .order_by("kind", "title", "person__name")
    )
    if organization:
        roles = roles.filter(organization=organization)
    return render(
        request,
        "press/leadership.html",
        {
            "organization": organization,
            "board": [role for role in roles if role.kind == Role.Kind.BOARD],
            "executives": [role for role in roles if role.kind == Role.Kind.EXECUTIVE],
        },
    )


@cache_public_page(params=("page", "language"))
def topic_detail(request, slug):
    language = shown_language(request)
    read_part_ahead(request, "topic", slug, request.GET.get("page", 1), language is None)
    CountedPaginator.read_count_ahead(f"topic:{slug}:{language}")
    topic = topic_at(slug)
    if topic is None:
        # The address of a topic merged into another.
        old_address = get_object_or_404(TopicRedirect.objects.select_related("topic"), slug=slug)
        return redirect(old_address.topic, permanent=True)
    live = Release.objects.live().filter(tagged_items__tag=topic)
    releases = live.in_language(language).with_cards()
    page = CountedPaginator(
        releases, RELEASES_PER_PAGE, f"topic:{slug}:{language}", keep_pages=True
    ).get_page(request.GET.get("page"))
    if not page.paginator.count and (language is None or not live.exists()):
        # A topic used only by drafts or scheduled releases would give their subject away.
        raise Http404("No live release has this topic.")
    return render(
        request,
        "press/topic_detail.html",
        {
            "topic": topic,
            "page": page,
            "feed_links": feed_links(topic),
            "all_languages": language is None,
        },
    )


@cache_public_page(params=("language",))
def person_detail(request, slug):
    language = shown_language(request)
    read_part_ahead(request, "person", slug, language is None)
    shown = person_at(slug)
    if shown is None:
        raise Http404("No such person.")
    person = shown["person"]
    return render(
        request,
        "press/person_detail.html",
        {
            **shown,
            **read_when_shown(
                lambda: person_lists(person, language), quotes="quotes", releases="releases"
            ),
            "feed_links": feed_links(person),
            "all_languages": language is None,
        },
    )


@cache_public_page(params=("language",))
def organization_detail(request, slug):
    language = shown_language(request)
    read_part_ahead(request, "organization", slug, language is None)
    organization = organization_at(slug)
    if organization is None:
        # The address it had under a former name.
        former = OrganizationName.objects.filter(slug=slug).select_related("organization")
        former = former.order_by("-valid_until").first()
        if former is None:
            raise Http404("No such organization.")
        return redirect(former.organization, permanent=True)
    return render(
        request,
        "press/organization_detail.html",
        {
            "organization": organization,
            **read_when_shown(
                lambda: organization_lists(organization, language),
                roles="roles",
                bylined_releases="bylined_releases",
                mentioned_releases="mentioned_releases",
            ),
            "feed_links": feed_links(organization),
            "all_languages": language is None,
        },
    )
