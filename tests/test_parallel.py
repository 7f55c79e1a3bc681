"""Each test process of a parallel run gets a Redis database of its own."""

import pytest

from tests.parallel import redis_database_for


def test_each_process_moves_the_redis_database_on_by_its_number():
    url = "redis://127.0.0.1:6379/0"

    assert [redis_database_for(url, number) for number in range(3)] == [
        "redis://127.0.0.1:6379/0",
        "redis://127.0.0.1:6379/1",
        "redis://127.0.0.1:6379/2",
    ]
    assert redis_database_for("redis://:secret@cache:6380/4", 1) == "redis://:secret@cache:6380/5"
    assert redis_database_for("redis://127.0.0.1:6379", 1) == "redis://127.0.0.1:6379/1"


def test_a_process_past_the_sixteenth_database_is_refused():
    with pytest.raises(pytest.UsageError):
        redis_database_for("redis://127.0.0.1:6379/14", 2)
