"""A search whose matches PostgreSQL cannot find within SEARCH_TIME_LIMIT_MS is stopped there:
the reader is told, and nothing is kept, so the same words searched for later are answered."""

import threading

import psycopg2
import pytest
from django.db import connection

from tests.factories import days_ago, make_release
from tests.markup import card_titles, text

pytestmark = [
    # Each statement of the test's own committed at once: its reads hold no lock on the table
    # that the other client below must lock.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="A PostgreSQL time limit."),
]


class TableLocked:
    """Another client holding an exclusive lock on a table: any statement reading it waits.
    Freed after `at_most` seconds whatever happens, so that a statement waiting without a
    limit fails the test rather than hanging it."""

    def __init__(self, table, at_most=10):
        self.table, self.at_most = table, at_most

    def __enter__(self):
        settings = connection.settings_dict
        self.other = psycopg2.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
            port=settings["PORT"] or 5432,
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


def test_a_search_stopped_at_its_time_limit_says_so_and_is_answered_when_made_again(
    client, settings
):
    settings.SEARCH_TIME_LIMIT_MS = 200
    # What every search reads before its matches (the next scheduled change, the header) is
    # read and kept here, so that only the matches meet the lock below.
    client.get("/search/", {"q": "warm"})

    with TableLocked("press_release"):
        stopped = client.get("/search/", {"q": "heat"})

    assert stopped.status_code == 200
    page = stopped.content.decode()
    assert (
        "The search for “heat” took too long and was stopped. Try fewer words, or leave out "
        "the quotation marks." in text(page)
    )
    assert card_titles(page) == []
    assert "result" not in text(page)

    make_release("Heat plan", published_at=days_ago(1))
    assert card_titles(client.get("/search/", {"q": "heat"}).content.decode()) == ["Heat plan"]
