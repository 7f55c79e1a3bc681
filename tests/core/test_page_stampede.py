"""The first readers after a publish do not stampede: a page many readers ask for at once,
just made stale, is rendered once, and the database sees its queries once. Readers are
threads, or processes, with database connections of their own: requests on several workers
and app servers sharing Redis."""

import multiprocessing
import os
import threading
import time

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.utils import timezone

from core import caching, redis_cache
from core.caching import cached_until_changed, content_changed
from core.page_cache import page_key
from press.models import Release
from tests.factories import make_release
from tests.pages import redis_round_trips, renders_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or connection.vendor != "postgresql",
        reason="needs PostgreSQL and Redis shared between threads and processes (CI sets both)",
    ),
]

READERS = 16


@pytest.fixture(autouse=True)
def page_cache(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 60
    # Sixteen readers and the suite's other process share two cores: the render the others
    # wait for may take longer than production's wait, which would make them render too.
    monkeypatch.setattr(caching, "WAIT_SECONDS", 20)
    # Reads wait in Redis, as in production: a reader served from the cache makes no query.
    settings.READS_REDIS_URL = os.environ["REDIS_URL"]
    cache.clear()
    yield
    cache.clear()


def at_once(readers, read):
    """Run read() in `readers` threads released together; their results, in order."""
    start = threading.Barrier(readers)
    results = [None] * readers

    def reader(index):
        try:
            start.wait()
            results[index] = read()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(index,)) for index in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def at_once_in_processes(readers, read):
    """Run read() in `readers` processes (forked, as gunicorn's workers) released together;
    their results, in order."""
    context = multiprocessing.get_context("fork")
    start, answers = context.Barrier(readers), context.Queue()

    def reader(index):
        start.wait()
        answers.put((index, read()))
        connections.close_all()

    connections.close_all()  # each process opens its own
    processes = [context.Process(target=reader, args=(index,)) for index in range(readers)]
    for process in processes:
        process.start()
    results = dict(answers.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    return [results[index] for index in range(readers)]


def get_counting_queries(url):
    """The page at `url` read by a new anonymous reader: its status, its content, and the SQL
    queries the reader made."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = Client().get(url)
    return response.status_code, response.content, len(queries)


@pytest.mark.parametrize("readers_at_once", [at_once, at_once_in_processes])
def test_sixteen_readers_of_a_page_just_made_stale_render_it_once(readers_at_once):
    release = make_release("Cooling centres open")
    url = release.get_absolute_url()
    Client().get(url)  # stored
    content_changed()
    *_, page_queries = get_counting_queries(url)  # what one render after a change costs
    assert page_queries > 0
    release.title = "Cooling centres open all night"
    release.save()  # a publish: the stored page, and everything derived, is stale

    results = readers_at_once(READERS, lambda: get_counting_queries(url))

    assert_rendered_once(results, page_queries, b"Cooling centres open all night")


def test_sixteen_readers_of_a_page_whose_time_ran_out_render_it_once(settings):
    """What the page shows is kept until content changes, so rendering it again costs no
    query: the renders are counted instead, by the release template's rendered signal."""
    release = make_release("Cooling centres open")
    url = release.get_absolute_url()
    with time_machine.travel(timezone.now()) as clock:
        Client().get(url)
        clock.shift(settings.PAGE_CACHE_SECONDS + 1)
        with renders_of("press/release_detail.html") as renders:
            results = at_once(READERS, lambda: get_counting_queries(url))

    statuses, contents, counts = zip(*results, strict=True)
    assert statuses == (200,) * READERS
    assert set(contents) == {contents[0]}
    assert b"Cooling centres open" in contents[0]
    assert len(renders) == 1  # without the lock, 16
    assert sum(counts) == 0  # the release and what surrounds it came from the cache


def assert_rendered_once(results, page_queries, text):
    statuses, contents, counts = zip(*results, strict=True)
    assert statuses == (200,) * READERS
    assert set(contents) == {contents[0]}
    assert text in contents[0]
    # (queries in all, readers that rendered): without the lock, 16 renders: (112 to 145, 16).
    assert (sum(counts), sum(1 for count in counts if count)) == (page_queries, 1)


def test_a_reader_waits_for_a_holder_that_died_no_longer_than_the_wait(monkeypatch):
    monkeypatch.setattr(caching, "WAIT_SECONDS", 0.5)
    release = make_release("Cooling centres open")
    url = release.get_absolute_url()
    Client().get(url)
    release.title = "Cooling centres open all night"
    release.save()
    # An app server took the page's lock and died before storing it.
    cache.add(f"lock:{page_key(RequestFactory().get(url))}", True, timeout=caching.LOCK_SECONDS)

    started = time.monotonic()
    response = Client().get(url)
    waited = time.monotonic() - started

    assert response.status_code == 200
    assert b"Cooling centres open all night" in response.content
    assert 0.5 <= waited < caching.LOCK_SECONDS


def test_readers_waiting_for_a_page_that_is_not_kept_render_it_when_the_holder_is_done():
    """A page stored once, then not kept (a filter now matching nothing, say): the waiters see
    the lock freed without an entry and render it at once, without waiting the whole limit."""
    release = make_release("Cooling centres open")
    url = release.get_absolute_url()
    Client().get(url)
    release.status = Release.Status.ARCHIVED
    release.save()

    started = time.monotonic()
    results = at_once(4, lambda: Client().get(url).status_code)

    assert results == [404] * 4
    assert time.monotonic() - started < caching.WAIT_SECONDS


def test_a_derived_value_many_readers_miss_at_once_is_worked_out_once():
    computed = []

    def compute():
        computed.append(1)
        time.sleep(0.2)  # a costly count
        return 42

    values = at_once(READERS, lambda: cached_until_changed("stampede-count", compute))

    assert values == [42] * READERS
    assert len(computed) == 1


def test_a_reader_that_takes_the_lock_after_the_holder_stored_the_entry_uses_that_entry(
    monkeypatch,
):
    """The window the tests above open only now and then: a reader found the entry stale, then
    another reader rendered it, stored it and let go of the lock before this one took it."""
    worked_out = []

    def compute():
        worked_out.append(1)
        return "worked out here"

    name, key = "suggestions:1", caching.derived_key("suggestions:1")
    stale = {"version": caching.content_version(), "value": "stale", "until": 1}
    fresh = {"version": caching.content_version(), "value": "stored by the holder", "until": 0}
    cache.set(key, stale)
    # However the lock is taken (with Redis, in one round trip with a look at the entry).
    taking = "add_and_get_many" if redis_cache.is_in_use() else "add"
    take_lock = getattr(cache, taking)

    def holder_finishes_first(lock, *args, **kwargs):
        cache.set(key, fresh)  # the other holder stored the entry and let the lock go
        return take_lock(lock, *args, **kwargs)

    monkeypatch.setattr(cache, taking, holder_finishes_first)
    value = cached_until_changed(name, compute)
    assert (value, worked_out) == ("stored by the holder", [])


def test_a_value_worked_out_under_the_lock_is_stored_and_the_lock_freed_in_one_round_trip():
    """A miss costs three round trips: the look-up, the lock taken with a second look, and the
    value stored with the lock freed. A value that could not be worked out frees the lock too."""
    # The content version stored, and the lock's script loaded into Redis, as in a running site.
    cached_until_changed("warm", lambda: 1, scheduled=False)
    with redis_round_trips() as round_trips:
        value = cached_until_changed("lock-and-store", lambda: 42, scheduled=False)

    key = caching.derived_key("lock-and-store")
    assert (value, len(round_trips)) == (42, 3)
    assert cache.get(key)["value"] == 42
    assert cache.get(caching.lock_key(key)) is None

    def fails():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        cached_until_changed("fails", fails, scheduled=False)
    assert cache.get(caching.lock_key(caching.derived_key("fails"))) is None
