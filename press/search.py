"""Search at /search/?q=...: live releases ranked by relevance, then people and organizations.

On PostgreSQL releases are found through the stored `Release.search_vector` and its GIN index
(migration 0004), so the cost does not grow with the length of the releases; snippets are
computed afterwards, for the page shown only. On SQLite (a fresh clone, quick tests) a plain
`icontains` stands in: same page, newest first, summary as the snippet.
"""

import html
import re

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Func,
    Prefetch,
    Q,
    TextField,
    Value,
)
from django.db.models.functions import Concat
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.caching import kept_per_query
from core.paginators import KnownCountPaginator
from press.models import Organization, OrganizationName, Person, Release, Role
from press.models.quote_blocks import QUOTE_BLOCK_SQL, without_quote_codes
from press.models.quotes import quotes_text
from press.search_config import DEFAULT_LANGUAGE, UNSTEMMED, search_config
from press.search_limits import SearchStopped, count_new_search, within_time_limit

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
# People and organizations match each word; a few are plenty to narrow down a name.
WORDS_MATCHED = 8
# ts_headline marks hits with these private-use characters rather than with <mark> itself, so
# the text around them can be escaped before the marks become tags.
START, STOP = "\ue000", "\ue001"
# What the page shows for an empty query, and for a search that was stopped (SearchStopped).
NOTHING_SHOWN = {"page": None, "people": [], "organizations": [], "count": 0}
# What an organization is found by: modeltranslation reads "name" as the reader's language's
# column; the English one too, which every organization has.
ORGANIZATION_FIELDS = (
    "name",
    "name_en",
    "short_name",
    "short_name_en",
    "boilerplate",
    "boilerplate_en",
)


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
          shown then, and nothing is kept.

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

    def named(word):
        return any_field(word, ORGANIZATION_FIELDS) | Q(pk__in=keys[word])

    return list(Organization.objects.filter(each_word(query, named))[:OTHERS_SHOWN])


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


def words_matched(query):
    """The words of `query` wanted and those written -word, up to WORDS_MATCHED of each."""
    wanted, unwanted = search_words(query)
    return wanted[:WORDS_MATCHED], unwanted[:WORDS_MATCHED]


def search_words(query):
    """The words of `query` wanted and those written -word, quotes and "or" set aside."""
    wanted, unwanted = [], []
    for word in re.findall(r'[^\s"]+', query):
        if word.lower() == "or":
            continue
        if word.startswith("-") and len(word) > 1:
            unwanted.append(word[1:])
        else:
            wanted.append(word)
    return wanted, unwanted


# PostgreSQL


def search_query(query, language=DEFAULT_LANGUAGE):
    """The query in `language`'s configuration. websearch syntax accepts anything a person
    types ("quoted phrase", -not, or) without syntax errors; a query of stop words or
    punctuation only matches nothing. In a language read word for word (UNSTEMMED: Korean)
    each word is looked for as the start of a word: particles follow the word they belong to,
    so "서울시" finds "서울시는"."""
    config = search_config(language)
    if config != UNSTEMMED:
        return SearchQuery(query, config=config, search_type="websearch")
    wanted, unwanted = search_words(query)
    terms = [f"{lexeme(word)}:*" for word in wanted] + [f"!{lexeme(word)}" for word in unwanted]
    return SearchQuery(" & ".join(terms) or "''", config=config, search_type="raw")


def lexeme(word):
    """`word` quoted for to_tsquery, whatever it holds."""
    return "'{}'".format(word.replace("\\", "\\\\").replace("'", "''"))


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


def headline(query, language=DEFAULT_LANGUAGE):
    """A release's snippet as ts_headline writes it: up to two fragments of its summary, body
    and quotes, hits between START and STOP (marked_headline() makes them marks).

    ts_headline reads the whole text, so it is asked for the releases shown, never the matches.
    """
    # Quote codes ("[quote 12]" paragraphs: press/models/quote_blocks.py) and the other tags
    # are left out in one pass; the quotes themselves follow.
    body_text = Func(
        F("body"),
        Value(f"{QUOTE_BLOCK_SQL}|<[^>]*>"),
        Value(" "),
        Value("gi"),
        function="regexp_replace",
        output_field=TextField(),
    )
    text = Concat(
        "summary",
        Value(" "),
        body_text,
        Value(" "),
        quotes_text(),
        output_field=TextField(),
    )
    # Marker characters typed into a release must not become marks.
    document = Func(
        text, Value(START + STOP), Value(""), function="translate", output_field=TextField()
    )
    return SearchHeadline(
        document,
        search_query(query, language),
        config=search_config(language),
        start_sel=START,
        stop_sel=STOP,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def marked_headline(headline):
    """ts_headline's output as safe HTML: the body's entities decoded, every character
    escaped, then the hit markers turned into <mark> tags, the only markup in a snippet."""
    marks = {START: "<mark>", STOP: "</mark>"}
    parts = [
        marks.get(piece) or escape(html.unescape(piece).replace(START, "").replace(STOP, ""))
        for piece in re.split(f"([{START}{STOP}])", headline)
    ]
    return mark_safe(" ".join("".join(parts).split()))


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


def add_summaries(releases, query):
    """Set `snippet` on each release: its summary (or the start of its body) with the words
    searched for marked."""
    words = words_matched(query)[0]
    for release in releases:
        words_of_body = html.unescape(strip_tags(without_quote_codes(release.body)))
        text = release.summary or Truncator(words_of_body).words(40)
        release.snippet = marked_words(text, words)


def marked_words(text, words):
    """`text` escaped, with each occurrence of any of `words` (any case) in <mark>.

    Matches are found in the raw text and each piece escaped on its own, so a word can never
    match inside an entity the escaping made ("amp" in "&amp;")."""
    pattern = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    parts, end = [], 0
    for match in re.finditer(pattern, text, re.IGNORECASE):
        parts += [escape(text[end : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))
