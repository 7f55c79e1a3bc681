"""Quotes the editor places in a release's story, and the rest printed as pull quotes.

A quote is placed with a paragraph holding only its short code, "[quote 12]" (the release form
shows each saved quote's code). The page prints the quote there from its record, so it stays
linked to the speaker and prints the attribution frozen at publication. A short code rather than
an element such as <figure data-quote="12">: the body's rich-text editor keeps a paragraph of text
as typed but drops elements it does not know the next time the release is opened, and the
sanitizer (press/sanitize.py) has nothing new to allow. A code naming no quote of this release
prints nothing. Mixed into Release.
"""

import re
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

QUOTE_BLOCK = re.compile(r"<p>\s*\[quote\s+(\d+)\]\s*</p>", re.IGNORECASE)
# The same for PostgreSQL's regexp_replace (with the "i" flag), without the group.
QUOTE_BLOCK_SQL = r"<p>\s*\[quote\s+[0-9]+\]\s*</p>"
# Opening and closing tags, to tell whether a short code stands between the body's blocks.
# <br> and <hr> are the only void elements the sanitizer keeps.
_TAG = re.compile(r"<(/?)([a-z0-9]+)\b[^>]*>", re.IGNORECASE)
_VOID = {"br", "hr"}


def without_quote_codes(body):
    """The body without its quote codes: for snippets of its own words (search results)."""
    return QUOTE_BLOCK.sub("", body)


def quote_code(quote):
    return f"[quote {quote.pk}]"


@dataclass(frozen=True)
class BodyPart:
    """A stretch of the body's (sanitized) HTML, or a quote placed between two of them."""

    html: SafeString = mark_safe("")
    quote: object = None


def _placements(body):
    """(match, quote id) for each short code paragraph at the body's top level: one inside a
    list or a blockquote is left as text, as cutting there would break that element."""
    depth, position = 0, 0
    for match in QUOTE_BLOCK.finditer(body):
        for tag in _TAG.finditer(body, position, match.start()):
            if tag[2].lower() not in _VOID:
                depth += -1 if tag[1] else 1
        position = match.start()
        if depth == 0:
            yield match, int(match[1])


class QuotesInBody:
    def body_parts(self):
        """The body cut at its quote blocks, each followed by its quote: a list of BodyPart.
        Reads self.quotes.all(): prefetch the quotes, with their speakers, to keep this one
        query per page."""
        if not QUOTE_BLOCK.search(self.body):
            return [BodyPart(html=mark_safe(self.body))]
        quotes = {quote.pk: quote for quote in self.quotes.all()}
        parts, position = [], 0
        for match, quote_id in _placements(self.body):
            parts.append(BodyPart(html=mark_safe(self.body[position : match.start()])))
            if quote_id in quotes:
                parts.append(BodyPart(quote=quotes[quote_id]))
            position = match.end()
        parts.append(BodyPart(html=mark_safe(self.body[position:])))
        return [part for part in parts if part.quote or part.html.strip()]

    def placed_quote_ids(self):
        return {quote_id for _, quote_id in _placements(self.body)}

    def pull_quotes(self):
        """The quotes not placed in the body, in their order (self.quotes.all(), as above)."""
        placed = self.placed_quote_ids() if QUOTE_BLOCK.search(self.body) else set()
        return [quote for quote in self.quotes.all() if quote.pk not in placed]

    def body_with_quotes(self):
        """The body as one piece of HTML, each quote block replaced by the quote as a
        blockquote: for feeds and emails, which print the body without the page's template.
        Queries the quotes only when the body places one."""
        parts = []
        for part in self.body_parts():
            if part.quote is None:
                parts.append(part.html)
                continue
            quote = part.quote
            attribution = quote.printed_attribution
            parts.append(
                format_html(
                    "<blockquote><p>“{}”</p><p>{}{}</p></blockquote>",
                    quote.text,
                    quote.person.name,
                    f", {attribution}" if attribution else "",
                )
            )
        return mark_safe("".join(parts))
