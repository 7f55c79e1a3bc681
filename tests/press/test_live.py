"""One rule of visibility, `Release.objects.live()`, kept by every public surface."""

import datetime
import re
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from press.models import Release
from tests.factories import (
    make_draft,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_scheduled,
    make_topic,
)
from tests.markup import card_titles, section, text

HIDDEN = ["Secret draft heat plan", "Embargoed heat plan", "Draft quote.", "Embargoed quote."]


def make_world():
    """A live release, a draft and a scheduled one sharing topic, person and organizations, and
    a second live release (the one whose page we read) sharing them too."""
    rcn = make_organization("Resilient Cities Network")
    houston = make_organization("City of Houston")
    turner = make_person("Sylvester Turner")
    heat = make_topic("Extreme Heat")
    releases = [
        make_release("Live heat plan", byline=rcn),
        make_draft("Secret draft heat plan", byline=rcn),
        make_scheduled("Embargoed heat plan", byline=rcn),
        make_release(
            "Viewer release",
            byline=rcn,
            published_at=datetime.datetime(2021, 9, 23, 1, tzinfo=datetime.UTC),
        ),
    ]
    for release, quote in zip(releases, ["Live quote.", *HIDDEN[2:], "Viewer quote."], strict=True):
        release.topics.set([heat])
        release.people.set([turner])
        release.organizations.set([houston])
        make_quote(release, turner, quote)
    return releases


@pytest.mark.django_db
def test_live_releases_are_the_published_ones_whose_time_has_come():
    older = make_release("Older", published_at=timezone.now() - datetime.timedelta(days=2))
    newer = make_release("Newer", published_at=timezone.now() - datetime.timedelta(seconds=1))
    make_draft("Draft")
    make_scheduled("Scheduled")
    # A draft with a publication time in the past is still a draft.
    make_release("Draft with a time", status=Release.Status.DRAFT)
    make_release("Archived", status=Release.Status.ARCHIVED)
    make_release("Expired", expires_at=timezone.now() - datetime.timedelta(hours=1))
    assert list(Release.objects.live()) == [newer, older]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/releases/",
        "/topics/extreme-heat/",
        "/people/sylvester-turner/",
        "/organizations/resilient-cities-network/",
        "/organizations/city-of-houston/",
        "/releases/2021/09/23/viewer-release/",
    ],
)
def test_drafts_and_scheduled_releases_appear_on_no_public_page(client, url):
    make_world()
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Live heat plan" in page
    assert [hidden for hidden in HIDDEN if hidden in page] == []


@pytest.mark.django_db
def test_person_page_lists_only_quotes_and_releases_that_are_live(client):
    make_world()
    page = client.get("/people/sylvester-turner/").content.decode()
    quotes = section(page, "quotes-heading")
    assert re.findall(r"<blockquote><p>(.*?)</p></blockquote>", quotes) == [
        "“Live quote.”",
        "“Viewer quote.”",
    ]
    assert card_titles(section(page, "releases-heading")) == ["Live heat plan", "Viewer release"]


@pytest.mark.django_db
def test_person_page_drops_the_quote_of_a_release_once_it_expires(client):
    turner = make_person("Sylvester Turner")
    soon = timezone.now() + datetime.timedelta(hours=1)
    make_quote(make_release("Heat plan", expires_at=soon), turner, "Heat is a silent killer.")
    make_quote(make_release("Water plan"), turner, "Water is life.")
    assert "Heat is a silent killer." in client.get("/people/sylvester-turner/").content.decode()

    with time_machine.travel(soon + datetime.timedelta(seconds=1)):
        page = client.get("/people/sylvester-turner/").content.decode()
    quotes = section(page, "quotes-heading")
    assert re.findall(r"<blockquote><p>(.*?)</p></blockquote>", quotes) == ["“Water is life.”"]


@pytest.mark.django_db
def test_organization_page_lists_only_live_bylined_and_mentioned_releases(client):
    make_world()
    rcn = client.get("/organizations/resilient-cities-network/").content.decode()
    assert card_titles(section(rcn, "bylined-heading")) == ["Live heat plan", "Viewer release"]
    houston = client.get("/organizations/city-of-houston/").content.decode()
    assert card_titles(section(houston, "mentioned-heading")) == [
        "Live heat plan",
        "Viewer release",
    ]


@pytest.mark.django_db
def test_popular_topics_count_only_live_releases(client):
    make_world()
    # The release page no longer shows Popular Topics (its side column is for journalists).
    popular = section(client.get("/").content.decode(), "popular-heading")
    assert text(popular) == "Popular Topics Extreme Heat (2)"


@pytest.mark.django_db
def test_related_and_interesting_blocks_show_only_live_releases(client):
    make_world()
    page = client.get("/releases/2021/09/23/viewer-release/").content.decode()
    assert card_titles(section(page, "related-heading")) == ["Live heat plan"]
    assert card_titles(section(page, "interesting-heading")) == []


@pytest.mark.django_db
def test_a_topic_used_only_by_unpublished_releases_is_not_found_nor_popular(client):
    secret = make_topic("Secret Merger")
    make_draft("Merger draft", topics=[secret])
    make_scheduled("Merger announcement", topics=[secret])
    make_release("Something public", topics=[make_topic("Water")])
    assert client.get("/topics/secret-merger/").status_code == 404
    home = client.get("/").content.decode()
    assert text(section(home, "popular-heading")) == "Popular Topics Water (1)"
    assert "Secret Merger" not in home


@pytest.mark.django_db
def test_a_release_scheduled_a_minute_ahead_is_public_once_its_time_is_updated_past(client):
    release = make_release(
        "Heat plan at nine",
        published_at=timezone.now() + datetime.timedelta(minutes=1),
        dateline_date=datetime.date(2021, 9, 23),
    )
    url = "/releases/2021/09/23/heat-plan-at-nine/"
    assert client.get(url).status_code == 404
    assert card_titles(client.get("/releases/").content.decode()) == []

    release.published_at = timezone.now() - datetime.timedelta(seconds=1)
    release.save()
    assert client.get(url).status_code == 200
    assert card_titles(client.get("/releases/").content.decode()) == ["Heat plan at nine"]


@pytest.mark.django_db
def test_a_scheduled_release_goes_public_when_the_clock_passes_without_any_change(client):
    make_release(
        "Heat plan at nine",
        published_at=timezone.now() + datetime.timedelta(minutes=1),
        dateline_date=datetime.date(2021, 9, 23),
    )
    url = "/releases/2021/09/23/heat-plan-at-nine/"
    assert client.get(url).status_code == 404
    two_minutes_later = timezone.now() + datetime.timedelta(minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=two_minutes_later):
        assert client.get(url).status_code == 200
