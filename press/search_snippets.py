"""What a search result shows of a release: a snippet, its text escaped and the hits in <mark>.

On PostgreSQL ts_headline writes it in the query reading the page's releases (headline()); on
SQLite the summary stands in (add_summaries()).
"""

import html
import re

from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from press.models import Release
from press.models.quote_blocks import QUOTE_BLOCK_SQL, without_quote_codes
from press.models.quotes import quotes_text_sql
from press.search_config import DEFAULT_LANGUAGE, search_config
from press.search_words import any_word_text, search_text, tsquery_sql, words_matched

# ts_headline marks hits with these private-use characters rather than with <mark> itself, so
# the text around them can be escaped before the marks become tags; the same characters typed
# into a release are left out (translate(), MARKERS) so that they never become marks.
START, STOP = "\ue000", "\ue001"
MARKERS = START + STOP
OPTIONS = f'StartSel="{START}", StopSel="{STOP}", MaxFragments=2, FragmentDelimiter=" … "'
# Quote codes ("[quote 12]" paragraphs: press/models/quote_blocks.py) and the other tags are
# left out of the body in one pass; the quotes themselves follow it.
BODY_LEFT_OUT = f"{QUOTE_BLOCK_SQL}|<[^>]*>"
_release = connection.ops.quote_name(Release._meta.db_table)
# The snippet of a row of the release table (headline()): {any_word} and {every_word} are the
# tsquery_sql() of the words searched for; the rest of the parameters in order of appearance.
# The stored vector's weight C (body and quotes: press.models.quotes.search_document) tells
# without reading them whether they hold a word.
HEADLINE_SQL = (
    f"CASE WHEN to_tsvector(%s::regconfig, {_release}.summary) @@ {{any_word}} "
    f"OR ({_release}.summary <> '' "
    f"AND NOT ts_filter({_release}.search_vector, '{{{{c}}}}') @@ {{any_word}}) "
    f"THEN ts_headline(%s::regconfig, translate({_release}.summary, %s, ''), {{any_word}}, %s) "
    f"ELSE ts_headline(%s::regconfig, translate(concat_ws(' ', {_release}.summary, "
    f"regexp_replace({_release}.body, %s, ' ', 'gi'), {quotes_text_sql()}), %s, ''), "
    f"{{every_word}}, %s) END"
)


def headline(query, language=DEFAULT_LANGUAGE):
    """A release's snippet as ts_headline writes it, hits between START and STOP
    (marked_headline() makes them marks): its summary when that holds a word searched for, or
    when the body and quotes hold none (the title did), else up to two fragments of its
    summary, body and quotes.

    ts_headline parses the whole text it is given (about a tenth of a millisecond per 500
    characters): it is asked for the releases shown, never the matches, and for the summary
    alone when that is enough. The summary is what a release card shows everywhere else.
    Written out (HEADLINE_SQL): built from ORM expressions, it took longer to build than the
    summaries saved."""
    any_word, any_word_params = tsquery_sql(*any_word_text(query, language), language)
    every_word, every_word_params = tsquery_sql(*search_text(query, language), language)
    config = search_config(language)
    return RawSQL(
        HEADLINE_SQL.format(any_word=any_word, every_word=every_word),
        [
            *[config, *any_word_params, *any_word_params],
            *[config, MARKERS, *any_word_params, OPTIONS],
            *[config, BODY_LEFT_OUT, MARKERS, *every_word_params, OPTIONS],
        ],
        output_field=TextField(),
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
        # Each tag becomes a space, as on PostgreSQL (BODY_LEFT_OUT): paragraphs stay apart.
        body = re.sub(r"<[^>]*>", " ", without_quote_codes(release.body))
        words_of_body = " ".join(html.unescape(body).split())
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
