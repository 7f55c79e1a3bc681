"""Release search vectors made in Python, as PostgreSQL would make them."""

import itertools
import operator
import re

from django.core.management.base import CommandError
from django.db import connection

from bench.generate.vocabulary import PLACES, TITLE_ADJECTIVES, TITLE_VERBS, WORDS
from press.models import Release
from press.models.quotes import search_document
from press.search_config import search_config


class SearchDocuments:
    """Release search vectors made here, as search_document() (what Release.save() stores)
    would make them, without PostgreSQL parsing and stemming some 40 million words: that
    took longer than everything else about the releases.

    The generated texts are plain words of letters between spaces, full stops, curly quotes
    and <p> tags, and PostgreSQL's parser reads such a text as a row of words: each takes the
    next position, stop words included, and the rest (spaces, punctuation, tags) takes none.
    Each word's lexeme (or none, for a stop word) is asked of PostgreSQL once, by the word
    itself. The weighted parts are joined as tsvector's || joins them: the positions of the
    right one shifted by the greatest position on the left. The texts are far too short to
    reach the limits on positions (16,383, and 256 per lexeme).

    check() compares a sample with PostgreSQL's own computation and stops the run (rolling
    it back) on any difference."""

    # A text's words are what lies between its spaces, once the paragraph tags are spaces too.
    WORD = re.compile(r"[^A-Za-z]*([A-Za-z]+)[^A-Za-z]*")

    def __init__(self):
        # For each word as written ("Cities", "risk.", "“Jobs"): "'lexeme':", ready for
        # its position, or "" for a stop word.
        self.entries = {}
        # For each weight, its positions as written: labels["C"][12] == "12C".
        self.labels = {weight: [] for weight in "ABC"}
        places = [word for place, _, _ in PLACES for word in place.split()]
        self.learn(WORDS + TITLE_VERBS + TITLE_ADJECTIVES + places)

    def learn(self, words):
        letters = {}
        for word in words:
            match = self.WORD.fullmatch(word)
            if not match:
                raise CommandError(f"PostgreSQL would not read {word!r} as one word.")
            letters[word] = match[1].lower()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, ARRAY(SELECT lexeme FROM unnest(to_tsvector(%s::regconfig, word)))"
                " FROM unnest(%s::text[]) AS word",
                [search_config(), sorted(set(letters.values()))],
            )
            lexemes = dict(cursor.fetchall())
        for word, plain in letters.items():
            found = lexemes[plain]
            if len(found) > 1 or (found and not found[0].isalpha()):
                raise CommandError(f"PostgreSQL does not read {word!r} as one plain word.")
            self.entries[word] = f"'{found[0]}':" if found else ""

    def vector(self, release, quotes):
        """The release's search vector as tsvector text: title (A), subtitle and summary (B),
        body and quotes in their order (C). One entry per word, in the order written (the
        tsvector input merges the positions of a lexeme), made without a Python-level loop
        over the words: this runs for some 40 million of them."""
        body = release["body"].replace("<p>", " ").replace("</p>", " ")
        parts = [
            ("A", release["title"]),
            ("B", f"{release['subtitle']} {release['summary']}"),
            ("C", " ".join([body, *(quote["text"] for quote in quotes)])),
        ]
        entries, shift, vector = self.entries, 0, []
        for weight, text in parts:
            words = text.split()
            try:
                prefixes = list(map(entries.__getitem__, words))
            except KeyError:
                self.learn(set(words).difference(entries))
                prefixes = list(map(entries.__getitem__, words))
            kept = list(map(bool, prefixes))
            end, labels = shift + len(words), self.labels[weight]
            labels += [f"{n}{weight}" for n in range(len(labels), end + 1)]
            vector += map(
                operator.add,
                itertools.compress(prefixes, kept),
                itertools.compress(labels[shift + 1 : end + 1], kept),
            )
            if True in kept:  # the next part starts after this part's last lexeme
                shift += len(kept) - kept[::-1].index(True)
        return " ".join(vector)

    def check(self, pks):
        computed = Release.objects.filter(pk__in=pks).annotate(expected=search_document())
        for pk, stored, expected in computed.values_list("pk", "search_vector", "expected"):
            if stored != expected:
                raise CommandError(
                    f"Release {pk}: the generated search vector is not PostgreSQL's.\n"
                    f"generated: {stored}\nPostgreSQL: {expected}"
                )
