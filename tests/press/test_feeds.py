"""RSS and Atom feeds of live releases, site-wide and per topic, person and organization, and the
<link rel="alternate"> tags that let readers find them."""

import calendar
import datetime

import feedparser
import pytest
from django.template.loader import render_to_string

from press.feeds import ReleaseFeed, feed_links
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
from tests.markup import elements
from tests.pages import count_queries

UTC = datetime.UTC
NAME = "City Newsroom"


@pytest.fixture(autouse=True)
def newsroom_name():
    name_the_organization(NAME)


def on(month, day, hour=9, minute=30):
    return datetime.datetime(2021, month, day, hour, minute, tzinfo=UTC)


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def titles(feed):
    return [entry.title for entry in feed.entries]


def utc(parsed):
    """A time feedparser read (a UTC struct_time) as an aware datetime."""
    return datetime.datetime.fromtimestamp(calendar.timegm(parsed), UTC)


# The site-wide feed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/feeds/releases/rss/", "application/rss+xml; charset=utf-8"),
        ("/feeds/releases/atom/", "application/atom+xml; charset=utf-8"),
    ],
)
def test_site_feed_lists_live_releases_newest_first_with_absolute_links(client, url, content_type):
    make_release("Heat plan", published_at=on(9, 1))
    make_release("Heat officers", published_at=on(9, 23))
    make_release("Water plan", published_at=on(9, 12))
    assert client.get(url)["Content-Type"] == content_type
    feed = read_feed(client, url)
    assert feed.feed.title == f"{NAME}: press releases"
    assert feed.feed.link == "http://testserver/releases/"
    assert titles(feed) == ["Heat officers", "Water plan", "Heat plan"]
    assert [entry.link for entry in feed.entries] == [
        "http://testserver/releases/2021/09/23/heat-officers/",
        "http://testserver/releases/2021/09/12/water-plan/",
        "http://testserver/releases/2021/09/01/heat-plan/",
    ]
    assert [entry.id for entry in feed.entries] == [entry.link for entry in feed.entries]
    assert [utc(entry.published_parsed) for entry in feed.entries] == [
        on(9, 23),
        on(9, 12),
        on(9, 1),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/releases/rss/", "/feeds/releases/atom/"])
def test_site_feed_holds_the_twenty_newest_releases(client, url):
    for day in range(1, 23):
        make_release(f"Release {day}", published_at=on(9, day))
    assert titles(read_feed(client, url)) == [f"Release {day}" for day in range(22, 2, -1)]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/releases/rss/", "/feeds/releases/atom/"])
def test_entry_carries_summary_full_body_byline_and_topics(client, url):
    houston = make_organization("City of Houston")
    make_release(
        "Heat officers",
        byline=houston,
        summary="Houston names its first heat officer.",
        body="<h2>Why</h2><p>Summers are <strong>hotter</strong>.</p>",
        topics=[make_topic("Extreme Heat"), make_topic("Climate Adaptation")],
    )
    (entry,) = read_feed(client, url).entries
    assert entry.summary == "Houston names its first heat officer."
    assert [content.value for content in entry.content] == [
        "<h2>Why</h2><p>Summers are <strong>hotter</strong>.</p>"
    ]
    assert entry.author == "City of Houston"
    assert [tag.term for tag in entry.tags] == ["Climate Adaptation", "Extreme Heat"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/releases/rss/", "/feeds/releases/atom/"])
def test_release_without_a_summary_is_described_by_the_start_of_its_body(client, url):
    words = [f"word{number}" for number in range(1, 71)]
    body = f"<p>Heat &amp; water.</p><p>{' '.join(words)}</p>"
    make_release("Heat plan", summary="", body=body)
    (entry,) = read_feed(client, url).entries
    # Plain text, HTML-escaped: the description is read as HTML.
    assert entry.summary == f"Heat &amp; water. {' '.join(words[:57])}…"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/releases/rss/", "/feeds/releases/atom/"])
def test_markup_characters_in_titles_and_topics_arrive_as_written(client, url):
    make_release('Q&A: <Heat> & "cities"', topics=[make_topic("Heat & <Health>", slug="heat")])
    (entry,) = read_feed(client, url).entries
    assert entry.title == 'Q&A: <Heat> & "cities"'
    assert [tag.term for tag in entry.tags] == ["Heat & <Health>"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/releases/rss/", "/feeds/releases/atom/"])
def test_feed_carries_the_sanitized_body_never_scripts(client, url):
    make_release(
        "Heat plan",
        body='<p onclick="steal()">Cool roofs.</p><script>steal()</script>'
        '<a href="javascript:steal()">more</a>',
    )
    response = client.get(url)
    # Read the bytes we send, not feedparser's output: feedparser sanitizes on its own.
    assert b"steal" not in response.content
    (entry,) = feedparser.parse(response.content).entries
    assert entry.content[0].value == '<p>Cool roofs.</p><a rel="noopener noreferrer">more</a>'


@pytest.mark.django_db
def test_corrected_release_dates_its_entry_and_the_feed_by_its_correction(client):
    make_release("Heat plan", published_at=on(9, 1), corrected_at=on(9, 5, 14, 0))
    make_release("Water plan", published_at=on(9, 3))
    atom = read_feed(client, "/feeds/releases/atom/")
    assert [
        (entry.title, utc(entry.published_parsed), utc(entry.updated_parsed))
        for entry in atom.entries
    ] == [
        ("Water plan", on(9, 3), on(9, 3)),
        ("Heat plan", on(9, 1), on(9, 5, 14, 0)),
    ]
    assert utc(atom.feed.updated_parsed) == on(9, 5, 14, 0)
    # RSS items have no update time; the channel's lastBuildDate tells readers to look again.
    assert utc(read_feed(client, "/feeds/releases/rss/").feed.updated_parsed) == on(9, 5, 14, 0)


# Topic, person and organization feeds


def make_world():
    """Releases sharing a topic, a person and an organization: one live, and a draft, a
    scheduled and an expired one that must never show; one live release sharing nothing."""
    houston = make_organization("City of Houston")
    rcn = make_organization("Resilient Cities Network")
    turner = make_person("Sylvester Turner")
    heat = make_topic("Extreme Heat")
    shared = {"byline": houston, "topics": [heat]}
    live = make_release("Live heat plan", published_at=on(9, 1), **shared)
    draft = make_draft("Secret draft heat plan", **shared)
    scheduled = make_scheduled("Embargoed heat plan", **shared)
    expired = make_expired("Withdrawn heat plan", **shared)
    for release in (live, draft, scheduled, expired):
        release.people.add(turner)
    make_release("Water plan", byline=rcn, published_at=on(9, 2), topics=[make_topic("Water")])


SCOPED_FEEDS = [
    "/topics/extreme-heat/feed/rss/",
    "/topics/extreme-heat/feed/atom/",
    "/people/sylvester-turner/feed/rss/",
    "/people/sylvester-turner/feed/atom/",
    "/organizations/city-of-houston/feed/rss/",
    "/organizations/city-of-houston/feed/atom/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/releases/rss/", "/feeds/releases/atom/", *SCOPED_FEEDS])
def test_feeds_leave_out_drafts_scheduled_and_expired_releases(client, url):
    make_world()
    expected = ["Live heat plan"] if url in SCOPED_FEEDS else ["Water plan", "Live heat plan"]
    assert titles(read_feed(client, url)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_topic_feed_is_titled_and_linked_to_its_topic(client, kind):
    roofs = make_topic("Cool Roofs", description="Roofs that reflect the sun.")
    make_release("Cool roofs for schools", published_at=on(9, 2), topics=[roofs])
    make_release("White roofs", published_at=on(9, 1), topics=[roofs])
    make_release("Heat plan", published_at=on(9, 3), topics=[make_topic("Extreme Heat")])
    feed = read_feed(client, f"/topics/cool-roofs/feed/{kind}/")
    assert (feed.feed.title, feed.feed.link, feed.feed.subtitle) == (
        f"{NAME}: Cool Roofs",
        "http://testserver/topics/cool-roofs/",
        "Roofs that reflect the sun.",
    )
    assert titles(feed) == ["Cool roofs for schools", "White roofs"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_person_feed_lists_the_releases_that_mention_them(client, kind):
    turner = make_person("Sylvester Turner")
    make_release("Heat officers", published_at=on(9, 23)).people.add(turner)
    make_release("Heat plan", published_at=on(9, 1)).people.add(turner)
    make_release("Water plan", published_at=on(9, 12)).people.add(make_person("Lauren Sorkin"))
    feed = read_feed(client, f"/people/sylvester-turner/feed/{kind}/")
    assert (feed.feed.title, feed.feed.link) == (
        f"{NAME}: Sylvester Turner",
        "http://testserver/people/sylvester-turner/",
    )
    assert titles(feed) == ["Heat officers", "Heat plan"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_organization_feed_lists_releases_it_wrote_or_is_mentioned_in_once_each(client, kind):
    rcn = make_organization("Resilient Cities Network")
    houston = make_organization("City of Houston")
    make_release("Houston heat officers", byline=houston, published_at=on(9, 23))
    make_release("Network names Houston", byline=rcn, published_at=on(9, 12)).organizations.add(
        houston
    )
    make_release("Houston thanks itself", byline=houston, published_at=on(9, 5)).organizations.add(
        houston, rcn
    )
    make_release("Network water plan", byline=rcn, published_at=on(9, 1))
    feed = read_feed(client, f"/organizations/city-of-houston/feed/{kind}/")
    assert (feed.feed.title, feed.feed.link) == (
        f"{NAME}: City of Houston",
        "http://testserver/organizations/city-of-houston/",
    )
    assert titles(feed) == [
        "Houston heat officers",
        "Network names Houston",
        "Houston thanks itself",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/{kind}/no-such-slug/feed/{format}/"
        for kind in ("topics", "people", "organizations")
        for format in ("rss", "atom")
    ],
)
def test_feed_of_an_unknown_slug_is_not_found(client, url):
    make_world()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_topic_feed_is_not_found_while_only_hidden_releases_have_the_topic(client, kind):
    # Its title in a feed would give the subject of a draft or an embargo away.
    merger = make_topic("Secret Merger")
    make_draft("Merger draft", topics=[merger])
    make_scheduled("Merger announcement", topics=[merger])
    make_expired("Merger rumour", topics=[merger])
    response = client.get(f"/topics/secret-merger/feed/{kind}/")
    assert response.status_code == 404
    assert b"Merger" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # The releases with their bylines; their topics.
        ("/feeds/releases/rss/", 2),
        ("/feeds/releases/atom/", 2),
        # The topic, person or organization; the releases with their bylines; their topics.
        *[(url, 3) for url in SCOPED_FEEDS],
    ],
)
def test_feed_makes_the_same_queries_with_one_or_three_releases(client, url, expected):
    houston = make_organization("City of Houston")
    turner = make_person("Sylvester Turner")
    heat = make_topic("Extreme Heat")

    def add(day):
        release = make_release(
            f"Heat {day}",
            byline=houston,
            published_at=on(9, day),
            topics=[heat, make_topic(f"Topic {day}")],
        )
        release.people.add(turner)
        release.organizations.add(houston)

    add(1)
    one = count_queries(client, url)
    add(2)
    add(3)
    three = count_queries(client, url)
    assert len(read_feed(client, url).entries) == 3
    # The first request after a change, plus the next scheduled change (until when the items
    # may be kept); then the items are kept: a feed read again makes no query for them.
    assert three == one == expected + 1
    assert count_queries(client, url) == expected - 2


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/releases/rss/", "/feeds/releases/atom/"])
def test_a_feed_read_again_sends_the_same_bytes_until_content_changes(client, url, monkeypatch):
    make_release('Q&A: <Heat> & "cities"', published_at=on(9, 1), body="<p>Cool &amp; shade.</p>")
    first = client.get(url)
    built = []
    monkeypatch.setattr(ReleaseFeed, "item_title", lambda feed, item: built.append(item))
    again = client.get(url)
    # Its items written once and kept, the date of the newest among them with them: no item
    # is built again.
    assert built == []
    monkeypatch.undo()
    assert again.content == first.content
    assert again["Last-Modified"] == first["Last-Modified"] == "Wed, 01 Sep 2021 09:30:00 GMT"
    make_release("Shade trees", published_at=on(9, 2))
    assert titles(read_feed(client, url)) == ["Shade trees", 'Q&A: <Heat> & "cities"']


@pytest.mark.django_db
def test_each_format_and_address_of_a_feed_writes_its_own_items(client):
    heat = make_topic("Extreme Heat", slug="heat")
    make_release("Heat plan", topics=[heat], published_at=on(9, 1))
    make_release("Flood plan", published_at=on(9, 2))
    read_feed(client, "/feeds/releases/rss/")
    atom = read_feed(client, "/feeds/releases/atom/")
    assert atom.version == "atom10"
    assert titles(atom) == ["Flood plan", "Heat plan"]
    assert titles(read_feed(client, "/topics/heat/feed/rss/")) == ["Heat plan"]
    response = client.get("/feeds/releases/rss/", HTTP_HOST="127.0.0.1")
    assert [entry.link for entry in feedparser.parse(response.content).entries][0].startswith(
        "http://127.0.0.1/"
    )


# Autodiscovery


def alternates(page):
    """The page's feeds: its alternates with a type (the others are its other languages)."""
    return [
        (link["type"], link["title"], link["href"])
        for link in elements(page, "link")
        if link.get("rel") == "alternate" and "hreflang" not in link
    ]


SITE_WIDE = [
    ("application/rss+xml", f"{NAME}: press releases (RSS)", "/feeds/releases/rss/"),
    ("application/atom+xml", f"{NAME}: press releases (Atom)", "/feeds/releases/atom/"),
]


@pytest.mark.django_db
def test_home_page_offers_the_site_wide_feeds_for_autodiscovery(client):
    make_release("Heat plan")
    assert alternates(client.get("/").content.decode()) == SITE_WIDE


@pytest.mark.django_db
def test_feed_links_include_offers_a_topics_feeds_before_the_site_wide_ones():
    heat = make_topic("Extreme Heat")
    page = render_to_string("includes/feed_links.html", {"feed_links": feed_links(heat)})
    assert alternates(page) == [
        ("application/rss+xml", f"{NAME}: Extreme Heat (RSS)", "/topics/extreme-heat/feed/rss/"),
        (
            "application/atom+xml",
            f"{NAME}: Extreme Heat (Atom)",
            "/topics/extreme-heat/feed/atom/",
        ),
        *SITE_WIDE,
    ]


@pytest.mark.django_db
def test_feed_links_name_the_feeds_of_a_person_and_an_organization():
    site_wide = {
        "title": f"{NAME}: press releases",
        "rss": "/feeds/releases/rss/",
        "atom": "/feeds/releases/atom/",
    }
    assert feed_links() == [site_wide]
    assert feed_links(make_person("Sylvester Turner")) == [
        {
            "title": f"{NAME}: Sylvester Turner",
            "rss": "/people/sylvester-turner/feed/rss/",
            "atom": "/people/sylvester-turner/feed/atom/",
        },
        site_wide,
    ]
    assert feed_links(make_organization("City of Houston")) == [
        {
            "title": f"{NAME}: City of Houston",
            "rss": "/organizations/city-of-houston/feed/rss/",
            "atom": "/organizations/city-of-houston/feed/atom/",
        },
        site_wide,
    ]


@pytest.mark.django_db
def test_every_feed_a_topic_page_offers_answers_with_a_valid_feed(client):
    heat = make_topic("Extreme Heat")
    make_release("Heat plan", topics=[heat])
    for links in feed_links(heat):
        for url in (links["rss"], links["atom"]):
            assert titles(read_feed(client, url)) == ["Heat plan"]


@pytest.mark.django_db
def test_a_topic_description_with_markup_is_text_in_both_formats(client):
    """RSS readers render the channel <description> as HTML, Atom's <subtitle> is plain text:
    a description an editor typed with angle brackets must show as typed in both, never run."""
    text = 'Heat & <img src=x onerror="alert(1)"> health'
    make_release("Heat plan", topics=[make_topic("Heat", slug="heat", description=text)])
    rss = client.get("/topics/heat/feed/rss/").content.decode()
    assert "<description>Heat &amp;amp; &amp;lt;img" in rss
    assert read_feed(client, "/topics/heat/feed/atom/").feed.subtitle == text
