"""What one search may cost (press.search_limits): a search whose matches PostgreSQL cannot find
within SEARCH_TIME_LIMIT_MS is stopped there, and an address making more than
SEARCHES_PER_MINUTE new searches a minute is asked to wait. The reader is told, and nothing is
kept, so the same words searched for later are answered."""

import threading

import psycopg2
import pytest
from django.db import connection

from tests.factories import days_ago, make_release
from tests.markup import card_titles, text

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="A PostgreSQL time limit."
)


class TableLocked:
    """Another client holding an exclusive lock on a table: any statement reading it waits.
    Freed after `at_most` seconds whatever happens, so that a statement waiting without a
    limit fails the test rather than hanging it."""

    def __init__(self, table, at_most=10):
        self.table, self.at_most = table, at_most

    def __enter__(self):
        settings = connection.settings_dict
        self.other = psycopg2.connect(
            dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
            host=settings["HOST"], port=settings["PORT"] or 5432,
        )  # fmt: skip
        with self.other.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")
            cursor.execute(f"LOCK TABLE {self.table} IN ACCESS EXCLUSIVE MODE")
        self.timer = threading.Timer(self.at_most, self.other.rollback)
        self.timer.start()

    def __exit__(self, *exc):
        self.timer.cancel()
        self.other.rollback()
        self.other.close()


def stopped_page(response, status, message):
    """The page of a stopped search: answered with `status`, saying `message`, showing no
    release."""
    assert response.status_code == status
    page = response.content.decode()
    assert message in text(page)
    assert card_titles(page) == []
    return page


# Each statement of the test's own committed at once: its reads hold no lock on the table that
# the other client must lock.
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_search_stopped_at_its_time_limit_says_so_and_is_answered_when_made_again(
    client, settings
):
    settings.SEARCH_TIME_LIMIT_MS = 200
    # A search for one word is kept like any page (press.views.search), unless stopped.
    settings.PAGE_CACHE_SECONDS = 60
    make_release("Heat plan", published_at=days_ago(1))
    # What every search reads before its matches (the next scheduled change, the header) is
    # read and kept here, so that only the matches meet the lock below.
    client.get("/search/", {"q": "warm"})

    with TableLocked("press_release"):
        stopped = client.get("/search/", {"q": "heat"})

    page = stopped_page(
        stopped,
        200,
        "The search for “heat” took too long and was stopped. Try fewer words, or leave out "
        "the quotation marks.",
    )
    assert "result" not in text(page)

    # Nothing changed since: neither the page nor the matches were kept.
    assert card_titles(client.get("/search/", {"q": "heat"}).content.decode()) == ["Heat plan"]


@pytest.mark.django_db
def test_an_address_making_more_new_searches_than_the_limit_is_asked_to_wait(client, settings):
    settings.SEARCHES_PER_MINUTE = 3
    make_release("Heat plan", published_at=days_ago(1))
    for words in ("heat", "flood", "cooling"):
        assert client.get("/search/", {"q": words}).status_code == 200

    refused = client.get("/search/", {"q": "heat plan"})

    stopped_page(
        refused,
        429,
        "You have made many searches in the last minute. Please wait a minute, then search again.",
    )
    # A search made in the last minute is answered from what was kept, and is not counted.
    again = client.get("/search/", {"q": "heat"})
    assert (again.status_code, card_titles(again.content.decode())) == (200, ["Heat plan"])
    # Another address has a count of its own.
    elsewhere = client.get("/search/", {"q": "heat plan"}, REMOTE_ADDR="192.0.2.7")
    assert (elsewhere.status_code, card_titles(elsewhere.content.decode())) == (200, ["Heat plan"])
    # The words refused here, kept now from the other address's search, are answered here too.
    assert client.get("/search/", {"q": "heat plan"}).status_code == 200


@pytest.mark.django_db
def test_behind_proxies_searches_are_counted_by_the_address_the_outermost_proxy_saw(
    client, settings
):
    settings.SEARCHES_PER_MINUTE = 1
    settings.NINJA_NUM_PROXIES = 1

    def search(words, forwarded_for):
        return client.get("/search/", {"q": words}, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert search("heat", "198.51.100.1").status_code == 200
    assert search("flood", "198.51.100.2").status_code == 200
    assert search("cooling", "198.51.100.1").status_code == 429
    # What the caller writes before our proxy's address is not read.
    assert search("cooling", "203.0.113.9, 198.51.100.1").status_code == 429
