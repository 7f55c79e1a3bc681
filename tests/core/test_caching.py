"""Page caching is always right: invalidated on change, exact at a scheduled minute, never
personal. Runs on the configured cache: local memory, or Redis under REDIS_URL (CI)."""

import datetime
import random
import time

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from press.models import Release
from tests.factories import make_release, make_topic
from tests.pages import renders_of

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2030, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def titles_on_home(client):
    return client.get("/").content.decode()


def requested_twice(client, path, again=None):
    """The first answer for `path`, the second (for `again`, another address of the same page,
    when given), and the queries the second made."""
    first = client.get(path)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(again or path)
    return first, second, queries


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(client):
    make_release("Cooling centres open")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = client.get("/")
        clock.shift(20)

        with CaptureQueriesContext(connection) as queries:
            second = client.get("/")

    assert second.content == first.content
    assert len(queries) == 0
    assert first["Cache-Control"] == "public, max-age=60"
    # Browsers and CDNs keep it only for what is left of its minute.
    assert second["Cache-Control"] == "public, max-age=40"
    assert "Cookie" in second["Vary"]
    # The headers of the page as first sent, and those every response gets.
    assert second["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in second["Content-Security-Policy"]


def test_without_a_shared_cache_nothing_is_cached_not_even_counts(client, settings):
    """Each gunicorn worker with a local-memory cache of its own would keep serving pages and
    counts after another worker's save: without Redis every request works them out."""
    settings.SHARED_CACHE = False
    make_release("Cooling centres open")
    first, second, queries = requested_twice(client, "/releases/")

    assert second.content == first.content
    # The live releases counted, the page of them, the archive years, the site settings: all
    # worked out again.
    assert len(queries) == 4
    assert "Cache-Control" not in second


def test_a_release_page_is_cached_for_every_reader_and_still_counts_reads(client):
    release = make_release("Cooling centres open")
    first, second, queries = requested_twice(client, release.get_absolute_url())
    assert not first.cookies  # nothing personal on the page: no CSRF cookie, no session

    assert second.content == first.content
    # Only the read is counted (without Redis, at once: the release's publication time, then
    # its day and, in its first 48 hours, its hour): the page itself came from the cache.
    assert [query["sql"].split()[0] for query in queries] == ["SELECT", "INSERT", "INSERT"]
    assert release.reads.get().count == 2


def test_publishing_editing_and_unpublishing_show_on_the_next_request(client):
    release = make_release("Cooling centres open")
    assert "Cooling centres open" in titles_on_home(client)

    release.title = "Cooling centres open late"
    release.save()
    assert "Cooling centres open late" in titles_on_home(client)

    make_release("Tree planting begins")
    assert "Tree planting begins" in titles_on_home(client)

    release.status = Release.Status.DRAFT
    release.save()
    assert "Cooling centres open late" not in titles_on_home(client)


def test_a_change_a_migration_makes_without_saving_shows_after_migrate(client):
    release = make_release("Cooling centres open")
    assert "Cooling centres open" in client.get(release.get_absolute_url()).content.decode()
    # What a data migration does: rows changed, no save, no signal.
    Release.objects.filter(pk=release.pk).update(title="Cooling centres open late")
    assert "open late" not in client.get(release.get_absolute_url()).content.decode()

    call_command("migrate", verbosity=0)

    assert "Cooling centres open late" in client.get(release.get_absolute_url()).content.decode()


def test_a_scheduled_release_appears_at_its_minute_with_caching_on(client):
    with time_machine.travel(NOW, tick=False) as clock:
        make_release("Already out", published_at=NOW - datetime.timedelta(days=1))
        make_release("Heat plan at nine", published_at=NOW + datetime.timedelta(hours=1))
        before = client.get("/")
        assert "Heat plan at nine" not in before.content.decode()
        # Browsers and CDNs may keep the page only until the scheduled minute.
        assert before["Cache-Control"] == "public, max-age=60"

        clock.move_to(NOW + datetime.timedelta(minutes=59, seconds=30))
        assert client.get("/")["Cache-Control"] == "public, max-age=30"

        clock.move_to(NOW + datetime.timedelta(hours=1))
        assert "Heat plan at nine" in titles_on_home(client)


def test_an_expiring_release_disappears_at_its_minute_with_caching_on(client):
    with time_machine.travel(NOW, tick=False) as clock:
        make_release(
            "Only until nine",
            published_at=NOW - datetime.timedelta(days=1),
            expires_at=NOW + datetime.timedelta(hours=1),
        )
        assert "Only until nine" in titles_on_home(client)
        clock.move_to(NOW + datetime.timedelta(hours=1, seconds=1))
        assert "Only until nine" not in titles_on_home(client)


def test_a_change_to_a_topic_name_shows_on_cached_pages(client):
    topic = make_topic("Heat")
    make_release("Cooling centres open", topics=[topic])
    assert "Heat" in titles_on_home(client)

    topic.name = "Extreme heat"
    topic.save()

    assert "Extreme heat" in titles_on_home(client)


def test_a_logged_in_editor_is_never_served_nor_stored_in_the_cache(client, admin_client):
    make_release("Cooling centres open")
    editor_page = admin_client.get("/")
    assert "Vary" in editor_page and "Cookie" in editor_page["Vary"]
    assert "Cache-Control" not in editor_page or "public" not in editor_page["Cache-Control"]

    # The editor's visit stored nothing: the public page is rendered, not served from it.
    with renders_of("press/home.html") as renders:
        assert "Cooling centres open" in titles_on_home(client)
    assert renders == ["press/home.html"]


def test_a_conditional_get_of_an_unchanged_page_is_answered_304(client):
    make_release("Cooling centres open")
    first = client.get("/")

    again = client.get("/", headers={"if-none-match": first["ETag"]})

    assert (again.status_code, again.content) == (304, b"")


def test_the_admin_is_private_and_never_stored(admin_client):
    response = admin_client.get("/admin/press/release/")

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_cache_outage_still_serves_the_page(client, settings):
    working = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.ReusedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    try:
        make_release("Cooling centres open")  # its save cannot reach the cache either
        response = client.get("/")
    finally:
        settings.CACHES = working
    assert response.status_code == 200
    assert "Cooling centres open" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/feeds/releases/rss/", "application/rss+xml; charset=utf-8"),
        ("/topics/heat/feed/atom/", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/sitemap-releases.xml", "application/xml"),
    ],
)
def test_feeds_and_sitemaps_are_cached_with_their_content_type(client, path, content_type):
    make_release("Cooling centres open", topics=[make_topic("Heat", slug="heat")])
    first, second, queries = requested_twice(client, path)

    assert (second.status_code, second.content) == (200, first.content)
    assert second["Content-Type"] == first["Content-Type"] == content_type
    assert len(queries) == 0


# Keys: a page is stored once, under its path and the parameters it reads.


def stored_keys():
    """The keys in the cache the tests run on: Redis under REDIS_URL (CI), else local memory."""
    if isinstance(cache._cache, dict):
        return set(cache._cache)
    return set(cache._cache.get_client().scan_iter(match=cache.make_key("*")))


def junk_query(rng):
    """Parameters as a crawler or a vandal sends them: unknown names, names the pages read with
    values of no end (page 1 to 10^6, zero-padded, unknown slugs), repeated names."""
    names = ["x", "utm_source", "fbclid", "page", "p", "topic", "year", "organization", "q"]
    values = [
        str(rng.randint(1, 10**6)),
        f"{rng.randint(1, 99):04d}",
        f"topic-{rng.randint(1, 10**9)}",
        str(rng.random()),
        "",
    ]
    query = [(rng.choice(names), rng.choice(values)) for _ in range(rng.randint(1, 3))]
    return "&".join(f"{name}={value}" for name, value in query)


def test_a_thousand_requests_with_junk_parameters_add_no_more_than_a_handful_of_keys(client):
    make_release("Cooling centres open", topics=[make_topic("Heat")])
    pages = ["/", "/releases/", "/topics/heat/", "/topics/", "/sitemap-releases.xml"]
    for path in pages:  # the pages themselves, and the counts and years they keep
        assert client.get(path).status_code == 200
    before = stored_keys()
    rng = random.Random(14)

    for _ in range(1000):
        response = client.get(f"{rng.choice(pages)}?{junk_query(rng)}")
        assert response.status_code in (200, 404)

    # At most a page a junk query happens to name for real, like /releases/?page=1.
    assert len(stored_keys() - before) <= 3


def test_the_same_parameters_in_another_order_are_the_same_page(client):
    make_release("Cooling centres open", topics=[make_topic("Heat")])
    first, second, queries = requested_twice(
        client, "/releases/?topic=heat&page=1", again="/releases/?page=1&topic=heat"
    )

    assert second.content == first.content
    assert len(queries) == 0


@pytest.mark.parametrize(
    "query",
    [
        "?x=1",  # read by no page
        "?utm_source=newsletter",  # nor this: pagination links would carry it
        "?page=2",  # the home page has no pages
        "?page=1&page=1",
    ],
)
def test_a_page_asked_for_with_a_parameter_it_does_not_read_is_shown_fresh_and_not_kept(
    client, query
):
    make_release("Cooling centres open")
    client.get("/")  # the clean page, stored
    before = stored_keys()

    response = client.get(f"/{query}")

    assert response.status_code == 200
    assert "Cooling centres open" in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")
    assert stored_keys() == before


@pytest.mark.parametrize(
    "query",
    [
        "?page=999",  # past the end: the last page is shown
        "?page=abc",
        "?page=02",
        "?page=",
        "?topic=no-such-topic",
        "?year=1950",  # a year with no releases
        "?year=3000",  # a year the filter refuses
        "?year=02030",
    ],
)
def test_a_list_asked_for_with_a_value_of_no_end_is_shown_but_not_kept(client, query):
    make_release("Cooling centres open", topics=[make_topic("Heat")])
    client.get("/releases/")  # the list, and the count and years it keeps
    before = stored_keys()

    response = client.get(f"/releases/{query}")

    assert response.status_code == 200
    assert stored_keys() == before


def test_the_second_page_of_a_list_is_kept_like_the_first(client):
    for day in range(1, 22):
        make_release(f"Release {day}", published_at=timezone.now() - datetime.timedelta(days=day))
    first, second, queries = requested_twice(client, "/releases/?page=2")

    assert (first["Cache-Control"], second.content) == ("public, max-age=60", first.content)
    assert len(queries) == 0


@pytest.mark.django_db
def test_the_first_request_after_a_change_reads_the_next_scheduled_change_once(client, monkeypatch):
    """Every value a cold page works out and keeps ends at the next scheduled change: the
    request reads it from the shared cache once, not once per value."""
    release = make_release("Cooling centres open", topics=[make_topic("Extreme Heat")])
    client.get(release.get_absolute_url())
    release.save()  # content changed: everything the page keeps is worked out again
    looks = []
    real_get = cache.get

    def counted_get(key, *args, **kwargs):
        looks.extend([key] if key.startswith("pages:next-change:") else [])
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counted_get)
    with renders_of("press/includes/release_aside.html") as asides:
        assert client.get(release.get_absolute_url()).status_code == 200
    assert asides  # the page's parts were worked out again, each ending at that moment
    assert len(looks) == 1


def seconds_left(key):
    """How long the cache keeps `key`: Redis's TTL, or local memory's expiry time."""
    if isinstance(cache._cache, dict):
        return cache._expire_info[key] - time.time()
    return cache._cache.get_client().ttl(key)


def test_what_made_up_searches_leave_in_the_cache_is_gone_within_a_minute(client, settings):
    settings.SEARCHES_PER_MINUTE = 50  # from one address; more are refused (test_search_limits)
    make_release("Cooling centres open")
    before = stored_keys()
    for n in range(50):
        assert client.get("/search/", {"q": f"cooling {n}"}).status_code == 200
    # Per search: the releases found and the results rendered (besides them, the content
    # version and the next scheduled change, one key each for everything kept, and the footer
    # every page shows).
    left = {key for key in stored_keys() - before if "derived:" in str(key)}
    assert len(left) == 2 * 50 + 1
    assert all(0 < seconds_left(key) <= 60 for key in left)


def test_a_search_for_one_plain_word_is_kept_like_any_page_and_no_other_search(client):
    make_release("Cooling centres open")
    first, second, queries = requested_twice(client, "/search/?q=cooling")
    assert second.content == first.content
    assert len(queries) == 0
    assert "public" in second["Cache-Control"]

    make_release("Cooling buses run")
    assert "Cooling buses run" in client.get("/search/?q=cooling").content.decode()

    before = stored_keys()
    for query in ("q=Cooling", "q=cooling+centres", "q=cooling&page=1", "q=-buses", "q=cool%0A"):
        response = client.get(f"/search/?{query}")
        assert response.status_code == 200
        assert "public" not in response.get("Cache-Control", "")
    assert not [key for key in stored_keys() - before if "pages:" in str(key)]


def test_a_search_stopped_is_never_kept_so_made_again_it_is_answered(client, settings):
    make_release("Cooling centres open")
    settings.SEARCHES_PER_MINUTE = 1
    assert client.get("/search/?q=shade").status_code == 200  # the one new search allowed
    refused = client.get("/search/?q=cooling")
    assert refused.status_code == 429
    settings.SEARCHES_PER_MINUTE = 10
    assert "Cooling centres open" in client.get("/search/?q=cooling").content.decode()
