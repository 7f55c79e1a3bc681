"""What a reader typed into search, read as words and as PostgreSQL text-search queries.

Search syntax is read as websearch_to_tsquery reads it: "quoted phrase", -not, or. The same
words find releases (full-text, press.search), people and organizations (each word in a field)
and mark the hits in snippets (press.search_snippets).
"""

import re

from django.contrib.postgres.search import SearchQuery

from press.search_config import DEFAULT_LANGUAGE, UNSTEMMED, search_config

# People and organizations match each word; a few are plenty to narrow down a name.
WORDS_MATCHED = 8


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


def search_query(query, language=DEFAULT_LANGUAGE):
    """The query in `language`'s configuration (search_text())."""
    search_type, text = search_text(query, language)
    return SearchQuery(text, config=search_config(language), search_type=search_type)


def search_text(query, language=DEFAULT_LANGUAGE):
    """How PostgreSQL reads the query ("websearch" or "raw" syntax), and its text.

    websearch syntax accepts anything a person types ("quoted phrase", -not, or) without
    syntax errors; a query of stop words or punctuation only matches nothing. In a language
    read word for word (UNSTEMMED: Korean) each word is looked for as the start of a word:
    particles follow the word they belong to, so "서울시" finds "서울시는"."""
    if search_config(language) != UNSTEMMED:
        return "websearch", query
    wanted, unwanted = search_words(query)
    terms = [f"{lexeme(word)}:*" for word in wanted] + [f"!{lexeme(word)}" for word in unwanted]
    return "raw", " & ".join(terms) or "''"


def any_word_text(query, language=DEFAULT_LANGUAGE):
    """As search_text(), a query matching a text holding any of the words of `query` not
    written -word: for marking hits in a text too short to hold them all."""
    wanted = words_matched(query)[0]
    if search_config(language) != UNSTEMMED:
        return "websearch", " or ".join(wanted)
    return "raw", " | ".join(f"{lexeme(word)}:*" for word in wanted) or "''"


def tsquery_sql(search_type, text, language=DEFAULT_LANGUAGE):
    """SQL making the query search_text() describes, and its parameters."""
    function = SearchQuery.SEARCH_TYPES[search_type]
    return f"{function}(%s::regconfig, %s)", [search_config(language), text]


def lexeme(word):
    """`word` quoted for to_tsquery, whatever it holds."""
    return "'{}'".format(word.replace("\\", "\\\\").replace("'", "''"))
