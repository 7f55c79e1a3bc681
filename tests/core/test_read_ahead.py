"""Values a page will need read ahead with its first look-up of a kept value (core.caching):
one round trip to the shared cache for what a warm page shows, not one per value."""

import pytest
from django.core.cache import cache

from core import caching
from core.caching import VERSION_KEY, content_changed, looked_up, read_ahead
from tests.factories import make_organization, make_person, make_release, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def look_ups(monkeypatch):
    """The keys of each cache.get_many() made while the test runs."""
    made = []
    get_many = cache.get_many

    def counted(keys, *args, **kwargs):
        made.append(list(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    return made


@pytest.fixture
def in_a_request():
    caching.request_started()
    yield
    caching.request_finished()


def test_keys_read_ahead_come_with_the_next_look_up_and_serve_one_look_up(look_ups, in_a_request):
    cache.set_many({"a": 1, "b": 2, "c": 3})
    read_ahead("b")
    assert looked_up(["a"]) == {"a": 1}
    assert sorted(look_ups[0]) == sorted(["a", "b", VERSION_KEY])
    cache.set("b", 20)
    # Served as the first look-up brought it, without a round trip...
    assert looked_up(["b"]) == {"b": 2}
    assert len(look_ups) == 1
    # ...once: a look-up after that reads the cache.
    assert looked_up(["b"]) == {"b": 20}
    assert len(look_ups) == 2


def test_a_key_read_ahead_and_missing_is_missing_without_another_round_trip(look_ups, in_a_request):
    cache.set("a", 1)
    read_ahead("nothing-here")
    looked_up(["a"])
    assert looked_up(["nothing-here"]) == {}
    assert len(look_ups) == 1


def test_a_content_change_during_the_request_makes_the_version_read_again(look_ups, in_a_request):
    cache.set_many({VERSION_KEY: 7, "a": 1, "b": 2})
    read_ahead("b")
    looked_up(["a"])
    content_changed()
    assert looked_up([VERSION_KEY, "b"]) == {VERSION_KEY: 8, "b": 2}
    assert len(look_ups) == 2


def test_outside_a_request_nothing_is_read_ahead(look_ups):
    cache.set_many({"a": 1, "b": 2})
    read_ahead("b")
    assert looked_up(["a"]) == {"a": 1}
    assert look_ups == [["a"]]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # The release with the parts of its page (head and body) and the site settings.
        ("release", 1),
        # The topic, its releases' count, the page's part and the site settings.
        ("topic", 1),
        ("person", 1),
        ("organization", 1),
        ("home", 1),
        ("list", 1),
    ],
)
def test_a_warm_page_reads_what_it_shows_in_its_first_look_up(client, look_ups, page, expected):
    heat = make_topic("Extreme Heat", slug="heat")
    houston = make_organization("City of Houston", slug="houston")
    turner = make_person("Sylvester Turner", slug="sylvester-turner")
    release = make_release("Cooling centres open", byline=houston, topics=[heat])
    release.people.add(turner)
    path = {
        "release": release.get_absolute_url(),
        "topic": "/topics/heat/",
        "person": "/people/sylvester-turner/",
        "organization": "/organizations/houston/",
        "home": "/",
        "list": "/releases/?page=1",
    }[page]
    first = client.get(path)
    del look_ups[:]
    again = client.get(path)
    assert again.status_code == 200
    assert again.content == first.content
    assert len(look_ups) == expected
