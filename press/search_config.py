"""Which PostgreSQL text search configuration reads a language: the one place that says so.

The configuration decides how words are stemmed ("floods" finds "flooding") and which are too
common to index; the stored search vectors, the queries typed into search and the snippets must
all use the same one, or a search finds nothing. Languages map to configurations in
settings.SEARCH_CONFIGS.
"""

from django.conf import settings

DEFAULT_LANGUAGE = "en"
# For a language PostgreSQL has no configuration for: every word indexed as written, lower
# case, nothing stemmed or left out. Releases in it are still found by their exact words.
UNSTEMMED = "simple"


def search_config(language=DEFAULT_LANGUAGE):
    """The text search configuration for `language` (a language code such as "en")."""
    return settings.SEARCH_CONFIGS.get(language, UNSTEMMED)
