"""Search at /search/?q=...: live releases ranked by relevance, then people and organizations.

On PostgreSQL releases are found through the stored `Release.search_vector` and its GIN index
(migration 0004), so the cost does not grow with the length of the releases; snippets are
computed afterwards, for the page shown only (press.search_snippets). On SQLite (a fresh clone,
quick tests) a plain `icontains` stands in: same page, newest first, summary as the snippet.
"""

import re

from django import forms
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Prefetch, Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modeltranslation.settings import DEFAULT_LANGUAGE as MODELTRANSLATION_DEFAULT
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as translation_language

from core.caching import kept_per_query
from core.page_cache import page_not_kept
from core.paginators import KnownCountPaginator
from press.models import Organization, OrganizationName, Person, Release, Role
from press.search_config import DEFAULT_LANGUAGE, UNSTEMMED, search_config
from press.search_limits import SearchStopped, count_new_search, within_time_limit
from press.search_snippets import add_summaries, headline, marked_headline
from press.search_words import search_query, words_matched

RESULTS_PER_PAGE = 20
# On PostgreSQL the newest RANKED matches are ranked by relevance and paged through; more are
# reported as "more than RANKED" rather than counted: a common word matches most releases,
# and ranking or counting them all would read every one of them for a page of 20.
RANKED = 200
# A quoted phrase ("sea level") is checked word position by word position in each release's
# stored vector: the index only narrows it to the releases holding all its words, often most of
# them, so its newest matches are found by reading releases newest first, hundreds for each
# match of a phrase met in one release in a hundred. Fewer are ranked for it: three pages.
PHRASE_RANKED = 60
OTHERS_SHOWN = 10
# Longer queries are cut, not refused: nobody types more, and a long one is pasted by mistake.
QUERY_LENGTH = 200
# What the page shows for an empty query, and for a search that was stopped (SearchStopped).
NOTHING_SHOWN = {"page": None, "people": [], "organizations": [], "count": 0}
# What an organization is found by, in the reader's language and in English, which every
# organization has (organization_columns()).
ORGANIZATION_FIELDS = ("name", "short_name", "boilerplate")


class QueryField(forms.CharField):
    """Whatever was typed, made searchable: NUL characters (which PostgreSQL rejects) dropped,
    whitespace collapsed, cut to QUERY_LENGTH characters. Never invalid."""

    def to_python(self, value):
        value = super().to_python(value).replace("\x00", "")
        return " ".join(value.split())[:QUERY_LENGTH].strip()


class SearchForm(forms.Form):
    q = QueryField(required=False, label=_("Search releases, people and organizations"))
    page = forms.IntegerField(required=False, min_value=1)

    def page_asked_for(self):
        """The words searched for, as cleaned, and the number of the page of results asked
        for (1 when none is, or not a number)."""
        self.is_valid()
        return self.cleaned_data.get("q", ""), self.cleaned_data.get("page") or 1

    def results(self, language=DEFAULT_LANGUAGE, address=None):
        """What the search page shows, as a dict:

        Releases are those written in `language` (the reader's), searched with its text
        search configuration.

        - query: the words searched for, as cleaned ("" shows the form alone);
        - page: a Page of live releases, each with a `snippet` (safe HTML, hits in <mark>),
          or None for an empty query;
        - people, organizations: lists of at most OTHERS_SHOWN;
        - count: the releases found plus the people and organizations shown;
        - more: True when more than RANKED releases match (PostgreSQL): the count then
          stops at RANKED;
        - stopped, status: why the releases were not looked for, for the reader, and the
          HTTP status to answer with, when they were not: finding them took longer than
          SEARCH_TIME_LIMIT_MS (PostgreSQL), or the reader's `address` (None: not counted)
          made more than SEARCHES_PER_MINUTE searches that were not kept. Nothing else is
          shown then, and nothing is kept, not even the page (page_not_kept()).

        The releases found, in the order shown, are kept a minute (kept_per_query()): the
        page number is checked against them without a query. What the page shows of them and
        the people and organizations are read when first used, not at all when the part of
        the page showing them is kept. Five queries (the matches, ranked on PostgreSQL;
        the page's releases, with their snippets on PostgreSQL; people; their current roles;
        organizations), one fewer when nobody is found; none for an empty query. A bad page
        number is not an error: it shows page 1.
        """
        query, page_number = self.page_asked_for()
        if not query:
            return {**NOTHING_SHOWN, "query": ""}
        try:
            found, more = kept_per_query(
                f"search-matches:{language}:{query}",
                lambda: new_search(query, language, address),
            )
        except SearchStopped as stopped:
            page_not_kept()  # made again, the search may be answered
            return {
                **NOTHING_SHOWN,
                "query": query,
                "stopped": stopped.message % {"query": query},
                "status": stopped.status,
            }
        page = KnownCountPaginator(found, RESULTS_PER_PAGE, count=len(found)).get_page(page_number)
        shown = page.object_list
        page.object_list = SimpleLazyObject(lambda: releases_shown(shown, query, language))
        people = SimpleLazyObject(lambda: people_found(query))
        organizations = SimpleLazyObject(lambda: organizations_found(query))
        return {
            "query": query,
            "page": page,
            "people": people,
            "organizations": organizations,
            "count": SimpleLazyObject(lambda: len(found) + len(people) + len(organizations)),
            "more": more,
        }


def new_search(query, language, address):
    """found_releases() for a search not kept from the last minute, counted against the
    `address` that made it (unless None): see press.search_limits."""
    if address is not None:
        count_new_search(address)
    return found_releases(query, language)


def found_releases(query, language):
    """The keys of the live releases in `language` matching `query`, in the order shown, and
    whether more match than are listed (PostgreSQL: ranked_releases())."""
    if connection.vendor == "postgresql":
        return within_time_limit(ranked_releases, query, language)
    return list(matching_releases(query, language).values_list("pk", flat=True)), False


def releases_shown(keys, query, language):
    """The releases with these keys, in their order, as cards with a snippet each: one query
    (on PostgreSQL the snippets are worked out in it: headline())."""
    releases = Release.objects.with_cards().filter(pk__in=keys)
    if connection.vendor == "postgresql":
        releases = releases.annotate(headline=headline(query, language))
    else:
        releases = releases.defer(None)  # the snippet may come from the body
    by_key = {release.pk: release for release in releases}
    shown = [by_key[key] for key in keys if key in by_key]
    if connection.vendor == "postgresql":
        for release in shown:
            release.snippet = marked_headline(release.headline or "")
    else:
        add_summaries(shown, query)
    return shown


def people_found(query):
    """People with every word in their name or bio, each with their current roles, the first
    shown beside the name."""
    return list(
        Person.objects.filter(all_words(query, "name", "bio")).prefetch_related(
            Prefetch(
                "roles",
                Role.objects.current().select_related("organization"),
                to_attr="current_roles",
            )
        )[:OTHERS_SHOWN]
    )


def organizations_found(query):
    """Organizations with every word in their names (the reader's language's and English),
    boilerplate or a former name: readers search for the name they remember. Two queries:
    which organizations' former names hold each word, then the organizations found."""
    wanted, unwanted = words_matched(query)
    if not wanted:
        return []
    words = [*wanted, *unwanted]
    # Former names are looked up first and given as keys: with no subquery in the OR,
    # PostgreSQL can answer a rare word from each column's trigram index (migration 0023) and
    # a common one by reading organizations in name order until it has enough.
    holds = {
        f"holds_{index}": ExpressionWrapper(Q(name__icontains=word), output_field=BooleanField())
        for index, word in enumerate(words)
    }
    former_names = list(
        OrganizationName.objects.annotate(**holds)
        .filter(Q.create([(name, True) for name in holds], Q.OR))
        .values("organization", *holds)
    )
    keys = {
        word: {row["organization"] for row in former_names if row[f"holds_{index}"]}
        for index, word in enumerate(words)
    }

    columns = organization_columns()

    def named(word):
        return any_field(word, columns) | Q(pk__in=keys[word])

    return list(Organization.objects.filter(each_word(query, named))[:OTHERS_SHOWN])


def organization_columns():
    """ORGANIZATION_FIELDS' columns in the reader's language and in English, each named once:
    on an English page they are the same, and each column named twice was read twice for
    every organization PostgreSQL checked."""
    languages = dict.fromkeys([translation_language(), MODELTRANSLATION_DEFAULT])
    return [
        build_localized_fieldname(field, code)
        for field in ORGANIZATION_FIELDS
        for code in languages
    ]


def all_words(query, *fields):
    """Each word of `query` in at least one of `fields`, and no word written -word in any
    (each_word())."""
    return each_word(query, lambda word: any_field(word, fields))


def any_field(word, fields):
    return Q.create([(f"{field}__icontains", word) for field in fields], Q.OR)


def each_word(query, found):
    """found(word) (a condition) for each word of `query` (up to WORDS_MATCHED), and its
    negation for each word written -word. Search syntax is read as full-text search reads
    it: quotes and "or" set aside, so `"sea level"` looks for sea and level, and `-flood rain`
    for rain without flood. A query of negated words alone matches nothing here."""
    wanted, unwanted = words_matched(query)
    if not wanted:
        return Q(pk__in=[])
    condition = Q()
    for word in wanted:
        condition &= found(word)
    for word in unwanted:
        condition &= ~found(word)
    return condition


# PostgreSQL


def release_matches(query, language):
    """Live releases in `language` matching `query`: by their stored vector, and in a language
    read word for word also by words inside theirs (a Korean compound holds several)."""
    condition = Q(search_vector=search_query(query, language))
    if search_config(language) == UNSTEMMED:
        wanted, unwanted = words_matched(query)
        fields = ("title", "summary", "body")
        condition |= all_words(" ".join(wanted), *fields)
        for word in unwanted:
            condition &= ~any_field(word, fields)
    return Release.objects.live().in_language(language).filter(condition)


def ranked_releases(query, language=DEFAULT_LANGUAGE):
    """The keys of the newest RANKED (PHRASE_RANKED for a phrase) live releases whose stored
    vector matches, best first (a title hit outranks a body hit by the weights), newest first
    among equals; and whether more match.

    The matches are found newest first, a LIMIT stopping the scan (through the GIN index for
    a rare word, or the publication index checking vectors for a common one), and only they
    are ranked: one query."""
    ranked_count = PHRASE_RANKED if has_phrase(query) else RANKED
    newest = (
        release_matches(query, language)
        .order_by("-published_at", "-pk")
        .values("pk")[: ranked_count + 1]
    )
    ranked = list(
        Release.objects.filter(pk__in=newest)
        .annotate(rank=SearchRank(F("search_vector"), search_query(query, language)))
        .order_by("-rank", "-published_at", "-pk")
        .values_list("pk", "published_at")
    )
    more = len(ranked) > ranked_count
    if more:
        # The one past the newest ranked only told that there are more.
        ranked.remove(min(ranked, key=lambda row: (row[1], row[0])))
    return [pk for pk, _ in ranked], more


def has_phrase(query):
    """Whether `query` holds a quoted phrase of two words or more, as websearch syntax reads
    it (a quote left open runs to the end)."""
    return any(len(re.findall(r"\w+", quoted)) > 1 for quoted in re.findall(r'"([^"]*)"?', query))


# SQLite and other databases without full-text search


def matching_releases(query, language=DEFAULT_LANGUAGE):
    """Live releases in `language` with every word in the title, summary or body, newest
    first."""
    return (
        Release.objects.live()
        .in_language(language)
        .with_cards()
        .defer(None)  # the snippet may come from the body
        .filter(all_words(query, "title", "summary", "body"))
        .order_by("-published_at", "-pk")
    )
