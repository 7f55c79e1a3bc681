"""Reads of release pages wait in Redis and reach the database together: a page view costs no
database write, and no read is lost or counted twice. Runs against the machine's Redis."""

import datetime
import os
import threading
import uuid

import pytest
import redis
import time_machine
from django.core.cache import cache, caches
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.mailings.tasks import dispatch
from core import redis_cache
from press.models import ReleaseRead
from press.models.reads import buffer_key, cache_location, read_buffer
from tests.databases import several_connections
from tests.factories import make_release
from tests.pages import redis_round_trips

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def waiting(settings):
    """Reads wait in the real Redis, under keys of this test's own; no move is due yet."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    settings.READS_REDIS_URL = REDIS_URL
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }
    buffer = read_buffer()
    buffer.set(buffer_key("moved"), 1, ex=60)  # as if a move had just been made
    yield buffer
    buffer.delete(*(buffer_key(name) for name in ("moved", "waiting", "moving", "lock")))


def counts(release):
    return dict(release.reads.values_list("day", "count"))


def test_a_read_waits_in_redis_without_a_database_write(client, waiting, settings):
    settings.PAGE_CACHE_SECONDS = 60  # the suite's fixture left the cache empty
    release = make_release("Cooling centres open")
    client.get(release.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        page = client.get(release.get_absolute_url())

    assert page.status_code == 200
    assert len(queries) == 0  # the page from the cache, the read in Redis
    assert counts(release) == {}
    assert ReleaseRead.objects.move_waiting() == 2
    assert counts(release) == {timezone.localdate(): 2}


def test_the_first_read_after_the_interval_moves_every_waiting_read(client, waiting):
    busy, quiet = make_release("Cooling centres open"), make_release("Bike lanes extended")
    for _ in range(3):
        client.get(busy.get_absolute_url())
    assert counts(busy) == {}

    waiting.delete(buffer_key("moved"))  # the minute is over
    client.get(quiet.get_absolute_url())

    today = timezone.localdate()
    assert counts(busy) == {today: 3}
    assert counts(quiet) == {today: 1}
    assert waiting.ttl(buffer_key("moved")) > 0  # the next move waits a minute again
    client.get(quiet.get_absolute_url())
    assert counts(quiet) == {today: 1}


def test_moved_reads_add_to_the_counts_already_there(waiting):
    release = make_release("Cooling centres open")
    today = timezone.localdate()
    ReleaseRead.objects.add_counts({(release.pk, today): 5})
    ReleaseRead.objects.record(release.pk)
    ReleaseRead.objects.record(release.pk)

    assert ReleaseRead.objects.move_waiting() == 2
    assert counts(release) == {today: 7}
    assert ReleaseRead.objects.move_waiting() == 0  # nothing counted twice


def test_a_read_just_before_midnight_counts_for_its_own_day(waiting):
    release = make_release("Cooling centres open")
    late = timezone.make_aware(datetime.datetime(2030, 5, 1, 23, 59))
    with time_machine.travel(late, tick=False) as clock:
        ReleaseRead.objects.record(release.pk)
        clock.shift(120)
        ReleaseRead.objects.record(release.pk)
        ReleaseRead.objects.record(release.pk)

    ReleaseRead.objects.move_waiting()
    assert counts(release) == {datetime.date(2030, 5, 1): 1, datetime.date(2030, 5, 2): 2}


def test_a_read_counts_for_the_day_of_the_sites_time_zone_at_that_moment(waiting, settings):
    release = make_release("Cooling centres open")
    # 03:30 UTC on 1 May is still 30 April in New York, and already 1 May in Kolkata (+05:30).
    moment = datetime.datetime(2030, 5, 1, 3, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        for zone in ("America/New_York", "Asia/Kolkata", "America/New_York"):
            settings.TIME_ZONE = zone
            ReleaseRead.objects.record(release.pk)

    ReleaseRead.objects.move_waiting()
    assert counts(release) == {datetime.date(2030, 4, 30): 2, datetime.date(2030, 5, 1): 1}


def test_reads_of_a_release_deleted_meanwhile_are_dropped_and_the_rest_kept(waiting):
    kept, deleted = make_release("Cooling centres open"), make_release("Bike lanes extended")
    ReleaseRead.objects.record(kept.pk)
    ReleaseRead.objects.record(deleted.pk)
    deleted.delete()

    ReleaseRead.objects.move_waiting()
    assert counts(kept) == {timezone.localdate(): 1}
    assert not ReleaseRead.objects.filter(release_id=deleted.pk).exists()


def test_a_lone_read_of_a_deleted_release_does_not_block_the_moves_after_it(waiting):
    deleted = make_release("Bike lanes extended")
    ReleaseRead.objects.record(deleted.pk)
    deleted.delete()
    assert ReleaseRead.objects.move_waiting() == 0

    kept = make_release("Cooling centres open")
    ReleaseRead.objects.record(kept.pk)
    assert ReleaseRead.objects.move_waiting() == 1
    assert counts(kept) == {timezone.localdate(): 1}


def test_a_failed_move_loses_nothing_and_the_next_one_adds_it_once(waiting, monkeypatch):
    release = make_release("Cooling centres open")
    for _ in range(4):
        ReleaseRead.objects.record(release.pk)

    def database_down(self, counts, *more):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(type(ReleaseRead.objects.all()), "add_counts", database_down)
        with pytest.raises(DatabaseError):
            ReleaseRead.objects.move_waiting()
    ReleaseRead.objects.record(release.pk)  # while the failed move's reads wait

    assert ReleaseRead.objects.move_waiting() == 4  # the failed move's reads first
    assert ReleaseRead.objects.move_waiting() == 1  # then the one recorded meanwhile
    assert counts(release) == {timezone.localdate(): 5}


def test_the_dispatcher_moves_waiting_reads_when_no_reader_comes(waiting):
    release = make_release("Cooling centres open")
    ReleaseRead.objects.record(release.pk)
    dispatch()
    assert counts(release) == {}  # a move was made less than a minute ago

    waiting.delete(buffer_key("moved"))
    dispatch()
    assert counts(release) == {timezone.localdate(): 1}


def test_without_redis_each_read_is_added_at_once(client, settings):
    settings.READS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    release = make_release("Cooling centres open")
    client.get(release.get_absolute_url())
    client.get(release.get_absolute_url())
    assert counts(release) == {timezone.localdate(): 2}


@several_connections
@pytest.mark.django_db(transaction=True)
def test_readers_on_several_threads_are_each_counted_once(waiting):
    """As several app servers do: readers record and moves run at the same time."""
    releases = [make_release(f"Release {number}") for number in range(3)]
    waiting.delete(buffer_key("moved"))
    errors = []

    def read(times):
        try:
            for number in range(times):
                ReleaseRead.objects.record(releases[number % 3].pk)
                if number % 25 == 0:
                    waiting.delete(buffer_key("moved"))  # a move falls due now and then
        except Exception as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(150,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ReleaseRead.objects.move_waiting()

    assert errors == []
    assert sum(ReleaseRead.objects.values_list("count", flat=True)) == 600
    assert [sum(counts(release).values()) for release in releases] == [200, 200, 200]


def test_one_move_at_a_time(waiting):
    release = make_release("Cooling centres open")
    ReleaseRead.objects.record(release.pk)
    other_server = waiting.lock(buffer_key("lock"), timeout=60)
    assert other_server.acquire(blocking=False)

    assert ReleaseRead.objects.move_waiting() == 0
    assert counts(release) == {}
    other_server.release()
    assert ReleaseRead.objects.move_waiting() == 1


def test_reads_of_the_first_48_hours_are_kept_per_hour_and_later_ones_per_day_only(waiting):
    published = timezone.make_aware(datetime.datetime(2030, 5, 1, 9, 30))
    with time_machine.travel(published, tick=False) as clock:
        release = make_release("Cooling centres open", published_at=published)
        ReleaseRead.objects.record(release.pk)
        clock.shift(datetime.timedelta(minutes=40))  # 10:10
        ReleaseRead.objects.record(release.pk)
        ReleaseRead.objects.record(release.pk)
        clock.shift(datetime.timedelta(hours=48))  # past the first 48 hours
        ReleaseRead.objects.record(release.pk)

    assert ReleaseRead.objects.move_waiting() == 4
    hour = timezone.make_aware(datetime.datetime(2030, 5, 1, 9))
    assert dict(release.hourly_reads.values_list("hour", "count")) == {
        hour: 1,
        hour + datetime.timedelta(hours=1): 2,
    }
    assert counts(release) == {datetime.date(2030, 5, 1): 3, datetime.date(2030, 5, 3): 1}


def test_only_the_referring_sites_host_name_is_kept(client, waiting):
    release = make_release("Cooling centres open")
    client.get(release.get_absolute_url(), HTTP_REFERER="https://News.Example.org/a/b?who=ada")
    client.get(release.get_absolute_url(), HTTP_REFERER="https://news.example.org/other")
    client.get(release.get_absolute_url(), HTTP_REFERER="http://203.0.113.9/page")
    client.get(release.get_absolute_url())

    assert ReleaseRead.objects.move_waiting() == 4
    assert list(release.referrers.values_list("host", "count")) == [("news.example.org", 2)]


def test_without_redis_hours_and_hosts_are_added_at_once(client, settings):
    settings.READS_REDIS_URL = ""
    release = make_release("Cooling centres open")
    client.get(release.get_absolute_url(), HTTP_REFERER="https://search.example.com/?q=heat")
    assert sum(release.hourly_reads.values_list("count", flat=True)) == 1
    assert list(release.referrers.values_list("host", "count")) == [("search.example.com", 1)]


@pytest.fixture
def page_cache_on_redis(settings, waiting):
    """Pages kept in Redis, where reads wait too: a hit's read is counted in its look-up."""
    settings.PAGE_CACHE_SECONDS = 60
    if not redis_cache.is_in_use() or settings.READS_REDIS_URL != cache_location():
        pytest.skip("needs the page cache in the Redis where reads wait (CI sets REDIS_URL)")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_cached_release_page_is_looked_up_and_its_read_counted_in_one_round_trip(
    client, page_cache_on_redis, language
):
    release = make_release("Cooling centres open", language=language)
    assert release.get_absolute_url().startswith("/es/" if language == "es" else "/releases/")
    client.get(release.get_absolute_url())  # rendered and kept; its read counted on its own

    with redis_round_trips() as round_trips:
        page = client.get(release.get_absolute_url(), HTTP_REFERER="https://news.example.org/a")
    assert page.status_code == 200
    assert len(round_trips) == 1
    assert ReleaseRead.objects.move_waiting() == 2
    assert counts(release) == {timezone.localdate(): 2}
    assert sum(release.hourly_reads.values_list("count", flat=True)) == 2
    assert list(release.referrers.values_list("host", "count")) == [("news.example.org", 1)]


def test_other_kept_pages_are_looked_up_as_before_and_count_no_read(
    client, page_cache_on_redis, monkeypatch
):
    release = make_release("Cooling centres open")
    client.get("/")
    calls = []
    monkeypatch.setattr(type(caches["default"]), "look_up_page", lambda *args: calls.append(args))

    assert client.get("/").status_code == 200
    assert calls == []  # a plain look-up: no script for a page whose hits count nothing
    ReleaseRead.objects.move_waiting()
    assert counts(release) == {}


def test_a_release_page_rendered_again_after_a_change_counts_its_read_once(
    client, page_cache_on_redis
):
    """The entry kept before the change is not served, so its look-up counts nothing: the page
    rendered again counts the read, once."""
    release = make_release("Cooling centres open")
    client.get(release.get_absolute_url())
    release.title = "Cooling centres open late"
    release.save()

    assert "open late" in client.get(release.get_absolute_url()).content.decode()
    ReleaseRead.objects.move_waiting()
    assert counts(release) == {timezone.localdate(): 2}


def test_a_kept_release_page_without_its_note_still_counts_its_read(client, page_cache_on_redis):
    """The note a hit is counted by may be gone (evicted) while the page is kept: the page is
    served, and its read counted after the response, as without Redis."""
    release = make_release("Cooling centres open")
    client.get(release.get_absolute_url())
    notes = [key for key in cache_keys() if key.endswith(":note")]
    assert len(notes) == 1
    cache.delete(notes[0])

    with CaptureQueriesContext(connection) as queries:
        assert client.get(release.get_absolute_url()).status_code == 200
    assert len(queries) == 0  # served from the cache
    ReleaseRead.objects.move_waiting()
    assert counts(release) == {timezone.localdate(): 2}


def cache_keys():
    """The keys of this test's cache entries, as the cache API names them."""
    prefix = f"{cache.key_prefix}:1:"
    found = read_buffer().scan_iter(match=f"{prefix}*")
    return [key.decode().removeprefix(prefix) for key in found]
