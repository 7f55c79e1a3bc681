"""What a search result shows of a release: a snippet, its text escaped and the hits in <mark>.

On PostgreSQL ts_headline writes it in the query reading the page's releases (headline()); on
SQLite the summary stands in (add_summaries()).
"""

import html
import re

from django.contrib.postgres.search import SearchHeadline, SearchVector, SearchVectorExact
from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from press.models.quote_blocks import QUOTE_BLOCK_SQL, without_quote_codes
from press.models.quotes import quotes_text
from press.search_config import DEFAULT_LANGUAGE, search_config
from press.search_words import any_word_query, search_query, words_matched

# ts_headline marks hits with these private-use characters rather than with <mark> itself, so
# the text around them can be escaped before the marks become tags.
START, STOP = "\ue000", "\ue001"


def headline(query, language=DEFAULT_LANGUAGE):
    """A release's snippet as ts_headline writes it, hits between START and STOP
    (marked_headline() makes them marks): its summary when that holds a word searched for,
    else up to two fragments of its summary, body and quotes.

    ts_headline parses the whole text it is given (about a tenth of a millisecond per 500
    characters): it is asked for the releases shown, never the matches, and for the summary
    alone when that is enough. The summary is what a release card shows everywhere else.
    """
    config = search_config(language)
    options = {
        "config": config,
        "start_sel": START,
        "stop_sel": STOP,
        "max_fragments": 2,
        "fragment_delimiter": " … ",
    }
    any_word = any_word_query(query, language)
    summary_holds_a_word = SearchVectorExact(SearchVector("summary", config=config), any_word)
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
    return Case(
        When(
            summary_holds_a_word,
            then=SearchHeadline(without_markers(F("summary")), any_word, **options),
        ),
        default=SearchHeadline(without_markers(text), search_query(query, language), **options),
        output_field=TextField(),
    )


def without_markers(text):
    """`text` without START and STOP: marker characters typed into a release must not become
    marks."""
    return Func(
        text, Value(START + STOP), Value(""), function="translate", output_field=TextField()
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
