"""Copies of stored pages in each process (core/page_copies.py): served again without asking
Redis while the content version they were stored under is the one the process hears, never
after a change, made here or on another app server, and never while the process is not
hearing from Redis."""

import os
import time
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from core import page_copies, redis_cache
from core.caching import VERSION_KEY, content_changed, content_version
from core.redis_cache import INCR_AND_PUBLISH, ReusedClientRedisCache
from press.models import ReleaseRead
from press.models.reads import cache_location
from tests.factories import make_release
from tests.pages import redis_answers_awaited, renders_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not redis_cache.is_in_use(),
        reason="copies follow the content version through Redis (CI sets REDIS_URL)",
    ),
]


@pytest.fixture(autouse=True)
def copies_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_COPIES = 10
    page_copies.listening()
    # The suite empties Redis between tests: a new version, heard by this process's listener,
    # drops the copies of an earlier test.
    content_changed()
    wait_until_heard(content_version())
    yield
    page_copies.stop_listening()  # no pings from it in the suite's later round-trip counts


def wait_until_heard(version):
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        heard = page_copies._heard
        if heard["version"] == version and time.monotonic() - heard["at"] < 1:
            return
        time.sleep(0.01)
    raise AssertionError(f"the listener did not hear version {version}")


def another_server_changes_content():
    """What content_changed() does on another app server: the version added 1 and published,
    from a connection of its own."""
    cache = caches["default"]
    other = redis.Redis.from_url(os.environ["REDIS_URL"])
    version = other.eval(INCR_AND_PUBLISH, 1, cache.make_key(VERSION_KEY), page_copies.channel())
    other.close()
    return version


def test_a_page_found_in_redis_is_served_again_from_the_process_without_a_round_trip(client):
    make_release("Cooling centres open")
    first = client.get("/").content  # rendered and stored in Redis
    client.get("/")  # found in Redis: copied

    with redis_answers_awaited() as round_trips, renders_of("press/home.html") as renders:
        again = client.get("/")
    assert again.status_code == 200
    assert again.content == first
    assert (round_trips, renders) == ([], [])
    assert again["Cache-Control"].startswith("public, max-age=")


def test_a_change_made_in_this_process_is_shown_at_once(client):
    release = make_release("Cooling centres open")
    client.get("/")
    client.get("/")
    release.title = "Cooling centres open all night"
    release.save()

    assert "Cooling centres open all night" in client.get("/").content.decode()


def test_a_change_made_on_another_server_is_shown_once_it_is_heard(client):
    make_release("Cooling centres open")
    client.get("/")
    client.get("/")
    version = another_server_changes_content()
    wait_until_heard(version)

    with redis_answers_awaited() as round_trips, renders_of("press/home.html") as renders:
        assert client.get("/").status_code == 200
    assert len(renders) == 1  # rendered again under the new version
    assert len(round_trips) >= 1


def test_copies_are_not_served_while_the_process_does_not_hear_from_redis(client, monkeypatch):
    make_release("Cooling centres open")
    client.get("/")
    client.get("/")
    monkeypatch.setattr(page_copies, "LISTENER_SILENCE", -1)  # as if silent since long ago

    with redis_answers_awaited() as round_trips, renders_of("press/home.html") as renders:
        assert client.get("/").status_code == 200
    assert len(round_trips) == 1  # looked up in Redis, as without copies
    assert renders == []


def test_a_copied_release_page_counts_each_read_without_waiting_for_redis(client, settings):
    settings.READS_REDIS_URL = cache_location()  # reads wait in the cache's Redis
    release = make_release("Cooling centres open")
    url = release.get_absolute_url()
    client.get(url)  # rendered: its read counted after the response
    client.get(url)  # found in Redis, its read counted in the look-up: copied
    client.get(url)  # served from the copy; the connection for unanswered counts made

    with redis_answers_awaited() as round_trips:
        for referrer in ("https://news.example.org/a", None):
            headers = {"HTTP_REFERER": referrer} if referrer else {}
            assert client.get(url, **headers).status_code == 200
    assert round_trips == []  # served from the copy, each read sent and not waited for
    assert moved_reads(release, 5) == 5
    assert list(release.referrers.values_list("host", "count")) == [("news.example.org", 1)]


def moved_reads(release, expected):
    """The release's reads once those waiting in Redis are moved to the database: a read sent
    without waiting reaches Redis a moment later."""
    deadline = time.monotonic() + 5
    while True:
        ReleaseRead.objects.move_waiting()
        total = sum(release.reads.values_list("count", flat=True))
        if total >= expected or time.monotonic() > deadline:
            return total
        time.sleep(0.02)


def test_a_process_keeps_at_most_page_copies_pages(client, settings):
    settings.PAGE_COPIES = 2
    make_release("Cooling centres open")
    for path in ("/", "/releases/", "/topics/", "/"):
        client.get(path)
        client.get(path)  # found in Redis: copied, the oldest copy dropped past two

    for path, trips in (("/", 0), ("/topics/", 0), ("/releases/", 1)):
        with redis_answers_awaited() as round_trips:
            assert client.get(path).status_code == 200
        assert len(round_trips) == trips, path


def test_a_reader_with_a_session_is_never_served_a_copy(client, django_user_model):
    make_release("Cooling centres open")
    client.get("/")
    client.get("/")
    editor = Client()
    editor.force_login(django_user_model.objects.create_user("editor", password="x" * 12))
    with renders_of("press/home.html") as renders:
        assert editor.get("/").status_code == 200
    assert len(renders) == 1


def test_a_listener_whose_connection_is_cut_listens_again(client):
    make_release("Cooling centres open")
    # This process's subscription cut, as a Redis restart would (the suite's other processes
    # share the Redis: theirs are left alone).
    address = "{}:{}".format(*page_copies._subscription.connection._sock.getsockname())
    other = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert other.client_kill_filter(_type="pubsub", addr=address) == 1
    other.close()
    deadline = time.monotonic() + 5
    while page_copies._heard["version"] is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert page_copies._heard["version"] is None  # deaf: every page looked up in Redis

    wait_until_heard(content_version())  # subscribed again, the version read again
    client.get("/")
    client.get("/")
    with redis_answers_awaited() as round_trips:
        assert client.get("/").status_code == 200
    assert round_trips == []


def test_a_listener_that_hears_no_change_keeps_hearing_redis_answer_its_pings(client, monkeypatch):
    monkeypatch.setattr(page_copies, "LISTENER_SILENCE", 1.5)  # PING_SECONDS is 1
    make_release("Cooling centres open")
    client.get("/")
    client.get("/")
    time.sleep(2.5)  # no change meanwhile: only the pings' answers were heard
    with redis_answers_awaited() as round_trips:
        assert client.get("/").status_code == 200
    assert round_trips == []


def test_a_read_that_cannot_be_sent_unanswered_is_counted_as_a_rendered_page_counts_it(
    client, settings, monkeypatch
):
    settings.READS_REDIS_URL = cache_location()
    release = make_release("Cooling centres open")
    url = release.get_absolute_url()
    client.get(url)
    client.get(url)

    def fails(self, commands):
        raise redis.ConnectionError("Connection reset by peer")

    monkeypatch.setattr(type(caches["default"]), "send_unanswered", fails)
    assert client.get(url).status_code == 200  # still served from the copy
    assert moved_reads(release, 3) == 3


def test_sites_sharing_a_redis_in_other_databases_do_not_hear_each_other():
    # Redis's channels are shared by all its databases (the suite's processes each have one).
    cache = caches["default"]
    location = urlsplit(cache._servers[0])
    database = int(location.path.strip("/") or 0)
    other_location = location._replace(path=f"/{(database + 1) % 16}").geturl()
    other = ReusedClientRedisCache(other_location, {"KEY_PREFIX": cache.key_prefix})
    assert cache.channel("pages:version:changes") != other.channel("pages:version:changes")
    assert page_copies.channel() == cache.channel("pages:version:changes")
