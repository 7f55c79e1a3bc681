"""What one search may cost: anyone may type any words, and a search not made in the last
minute (press.search keeps each one a minute) costs the database tens of milliseconds; a phrase
of common words that releases seldom hold side by side makes PostgreSQL check the stored vector
of every release in turn (0.3 s warm, seconds cold, at 100,000 releases).

- Its matches are found within SEARCH_TIME_LIMIT_MS (within_time_limit()).
- One address makes at most SEARCHES_PER_MINUTE such searches a minute (count_new_search()),
  counted in the shared cache, so every app server sees the same count. The address is
  core.rate_limits.client_address(): behind proxies, set NUM_PROXIES.

Either stops the search with a message for the reader (SearchStopped), and nothing is kept.
"""

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext_lazy as _

from core.rate_limits import too_many

# PostgreSQL's code for a statement cancelled by its statement_timeout.
QUERY_CANCELED = "57014"


class SearchStopped(Exception):
    """A search whose releases are not shown, and why, for the reader (`message`, with the
    words searched for as %(query)s) and for the answer's HTTP `status`."""

    message = ""
    status = 200


class SearchTooCostly(SearchStopped):
    """The releases matching a search could not be found within SEARCH_TIME_LIMIT_MS."""

    message = _(
        "The search for “%(query)s” took too long and was stopped. Try fewer words, or leave "
        "out the quotation marks."
    )


class TooManySearches(SearchStopped):
    """More new searches from one address in a minute than SEARCHES_PER_MINUTE."""

    message = _(
        "You have made many searches in the last minute. Please wait a minute, then search again."
    )
    status = 429


def count_new_search(address):
    """Count a search not kept from the last minute against `address`; TooManySearches when
    that makes more than SEARCHES_PER_MINUTE in the minute."""
    if too_many(f"searches:{address}", settings.SEARCHES_PER_MINUTE, 60, "Search rate limit"):
        raise TooManySearches


def within_time_limit(find, *args):
    """`find(*args)`, its statements cancelled by PostgreSQL after SEARCH_TIME_LIMIT_MS: they
    run in a transaction of their own, where the limit is set for them alone. SearchTooCostly
    when cancelled."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [settings.SEARCH_TIME_LIMIT_MS])
            return find(*args)
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == QUERY_CANCELED:
            raise SearchTooCostly from error
        raise
