"""What search engines are told: /sitemap.xml and its sections, the Google News sitemap and
robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from press.sitemaps import COUNTED_SECTIONS
from tests.factories import (
    make_draft,
    make_expired,
    make_organization,
    make_person,
    make_release,
    make_scheduled,
    make_topic,
    name_the_organization,
)

UTC = datetime.UTC
NOW = datetime.datetime(2021, 9, 23, 12, 0, tzinfo=UTC)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

# The static pages that exist today. The sitemap leaves out any that does not.
STATIC_PAGES = {
    "http://testserver/",
    "http://testserver/releases/",
    "http://testserver/topics/",
    "http://testserver/leadership/",
    "http://testserver/press-contacts/",
    "http://testserver/subscribe/",
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def ago(**delta):
    return NOW - datetime.timedelta(**delta)


def read_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def locations(root):
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def all_locations(client):
    """Every address in every section the index lists."""
    index = read_xml(client, "/sitemap.xml")
    return [loc for section in locations(index) for loc in locations(read_xml(client, section))]


def make_world():
    """A live release with a topic, person and organizations, and a draft, a scheduled and an
    expired release each with a topic of its own that nothing live uses."""
    houston = make_organization("City of Houston")
    make_organization("Resilient Cities Network")
    make_person("Sylvester Turner")
    make_release(
        "Heat officers",
        byline=houston,
        published_at=ago(days=2),
        topics=[make_topic("Extreme Heat")],
    )
    make_draft("Merger draft", topics=[make_topic("Secret Merger")])
    make_scheduled("Embargoed plan", topics=[make_topic("Embargoed Topic")])
    make_expired("Withdrawn plan", topics=[make_topic("Withdrawn Topic")])


# /sitemap.xml


@pytest.mark.django_db
def test_sitemap_index_lists_one_sitemap_per_section(client):
    make_world()
    assert locations(read_xml(client, "/sitemap.xml")) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-releases.xml",
        "http://testserver/sitemap-topics.xml",
        "http://testserver/sitemap-people.xml",
        "http://testserver/sitemap-organizations.xml",
    ]


@pytest.mark.django_db
def test_sitemap_lists_live_releases_their_topics_people_organizations_and_static_pages(client):
    make_world()
    assert sorted(all_locations(client)) == sorted(
        [
            *STATIC_PAGES,
            "http://testserver/releases/2021/09/21/heat-officers/",
            "http://testserver/topics/extreme-heat/",
            "http://testserver/people/sylvester-turner/",
            "http://testserver/organizations/city-of-houston/",
            "http://testserver/organizations/resilient-cities-network/",
        ]
    )


@pytest.mark.django_db
def test_sitemap_lists_each_topic_once_however_many_live_releases_have_it(client):
    heat = make_topic("Extreme Heat")
    for day in (1, 2, 3):
        make_release(f"Heat {day}", published_at=ago(days=day), topics=[heat])
    assert locations(read_xml(client, "/sitemap-topics.xml")) == [
        "http://testserver/topics/extreme-heat/"
    ]


@pytest.mark.django_db
def test_release_lastmod_is_its_correction_date_else_its_publication_date(client):
    make_release("Heat plan", published_at=ago(days=20), corrected_at=ago(days=3))
    make_release("Water plan", published_at=ago(days=10))
    root = read_xml(client, "/sitemap-releases.xml")
    assert [
        (url.find(f"{SITEMAP}loc").text, url.find(f"{SITEMAP}lastmod").text)
        for url in root.iter(f"{SITEMAP}url")
    ] == [
        ("http://testserver/releases/2021/09/13/water-plan/", "2021-09-13"),
        ("http://testserver/releases/2021/09/03/heat-plan/", "2021-09-20"),
    ]


@pytest.mark.django_db
def test_sitemap_index_dates_the_releases_section_by_the_latest_change(client):
    make_release("Heat plan", published_at=ago(days=20), corrected_at=ago(days=3))
    make_release("Water plan", published_at=ago(days=10))
    make_scheduled("Embargoed plan")
    index = read_xml(client, "/sitemap.xml")
    assert [
        (entry.find(f"{SITEMAP}loc").text, entry.find(f"{SITEMAP}lastmod").text)
        for entry in index
        if entry.find(f"{SITEMAP}lastmod") is not None
    ] == [("http://testserver/sitemap-releases.xml", "2021-09-20T12:00:00+00:00")]


@pytest.mark.django_db
def test_unknown_sitemap_section_is_not_found(client):
    assert client.get("/sitemap-drafts.xml").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # After a content change: the next scheduled change (for the cache), then what the
        # index shows of the sections, kept together: the counts of releases, topics, people
        # and organizations (pages have none), and the releases' latest change. All cached:
        # later requests make no query.
        ("/sitemap.xml", (6, 0)),
        # The same six (the page's count is one of them); the page; the live translations of
        # its releases (their alternates).
        ("/sitemap-releases.xml", (8, 2)),
        ("/sitemap-topics.xml", (7, 1)),
        ("/sitemap-people.xml", (7, 1)),
        ("/sitemap-organizations.xml", (7, 1)),
        # Not paginated: no count.
        ("/news-sitemap.xml", (2, 2)),
    ],
)
def test_sitemap_makes_the_same_queries_with_one_or_three_of_each(client, url, expected):
    def add(number):
        release = make_release(
            f"Heat {number}",
            byline=make_organization(f"City {number}"),
            published_at=ago(hours=number),
            topics=[make_topic(f"Topic {number}")],
        )
        release.people.add(make_person(f"Person {number}"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(1)
    one = count(), count()
    add(2)
    add(3)
    assert (count(), count()) == one == expected


@pytest.mark.django_db
def test_the_sitemap_index_reads_what_it_shows_of_every_section_in_one_look_up(client, monkeypatch):
    make_release("Heat 1", topics=[make_topic("Heat")])
    client.get("/sitemap.xml")
    looked_up = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: looked_up.append(keys) or get_many(keys))
    assert client.get("/sitemap.xml").status_code == 200
    # The sections' counts and latest change, with the content version.
    assert len(looked_up) == 1


@pytest.mark.django_db
def test_the_sitemap_index_asks_no_section_for_its_items_and_each_section_does(client, monkeypatch):
    make_release("Heat 1", topics=[make_topic("Heat")])
    asked = []
    for section in COUNTED_SECTIONS:

        def counted(self, items=section.items):
            asked.append(1)
            return items(self)

        monkeypatch.setattr(section, "items", counted)
    client.get("/sitemap.xml")  # the counts worked out once: each section's items counted
    asked.clear()

    assert client.get("/sitemap.xml").status_code == 200
    assert asked == []  # the counts kept are all the index shows
    page = client.get("/sitemap-topics.xml").content.decode()
    assert "/topics/heat/" in page and asked == [1]


@pytest.mark.django_db
def test_sitemap_index_counts_a_release_published_after_it_was_cached(client):
    make_release("Heat 1", published_at=ago(hours=1))
    assert client.get("/sitemap-releases.xml").content.count(b"<url>") == 1
    make_release("Heat 2", published_at=ago(hours=2))
    assert client.get("/sitemap-releases.xml").content.count(b"<url>") == 2


# /news-sitemap.xml


@pytest.mark.django_db
def test_news_sitemap_lists_live_releases_of_the_last_two_days_only(client):
    make_release("Heat officers", published_at=ago(hours=2))
    make_release("Water plan", published_at=ago(hours=47))
    make_release("Old heat plan", published_at=ago(days=3))
    make_draft("Merger draft")
    make_scheduled("Embargoed plan")
    make_expired("Withdrawn plan", published_at=ago(hours=20))
    assert locations(read_xml(client, "/news-sitemap.xml")) == [
        "http://testserver/releases/2021/09/23/heat-officers/",
        "http://testserver/releases/2021/09/21/water-plan/",
    ]


@pytest.mark.django_db
def test_news_sitemap_names_publication_language_date_and_title(client, settings):
    name_the_organization("City Newsroom & Co")
    make_release('Q&A: <Heat> "officers"', slug="qa-heat", published_at=ago(hours=2))
    root = read_xml(client, "/news-sitemap.xml")
    (news,) = root.iter(f"{NEWS}news")
    assert [(element.tag.removeprefix(NEWS), element.text) for element in news.iter()] == [
        ("news", None),
        ("publication", None),
        ("name", "City Newsroom & Co"),
        ("language", "en"),
        ("publication_date", "2021-09-23T10:00:00+00:00"),
        ("title", 'Q&A: <Heat> "officers"'),
    ]


@pytest.mark.django_db
def test_news_sitemap_declares_the_sitemap_and_news_namespaces(client):
    make_release("Heat officers", published_at=ago(hours=2))
    content = client.get("/news-sitemap.xml").content.decode()
    assert content.splitlines()[:2] == [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]


@pytest.mark.django_db
def test_news_sitemap_with_no_recent_release_is_an_empty_urlset(client):
    make_release("Old heat plan", published_at=ago(days=3))
    root = read_xml(client, "/news-sitemap.xml")
    assert (root.tag, list(root)) == (f"{SITEMAP}urlset", [])


# /robots.txt


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_out_of_admin_and_previews_and_names_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /preview/\n"
        "\n"
        "Sitemap: http://testserver/sitemap.xml\n"
        "Sitemap: http://testserver/news-sitemap.xml\n"
    )


@pytest.mark.django_db
def test_robots_txt_names_the_sitemaps_on_the_host_and_scheme_the_crawler_used(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    response = client.get("/robots.txt", HTTP_HOST="news.example.org", secure=True)
    assert response.content.decode().splitlines()[-2:] == [
        "Sitemap: https://news.example.org/sitemap.xml",
        "Sitemap: https://news.example.org/news-sitemap.xml",
    ]
