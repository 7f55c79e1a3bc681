"""A release scheduled for 09:00 in its dateline's time zone is public at 09:00, and not before.

Editors type times in the dateline's zone; the database keeps UTC; every public surface asks
`Release.objects.live()` at request time. The clock is set with time_machine.
"""

import datetime
import re

import pytest
import time_machine

from press.models import Release
from tests.factories import form_data, make_draft, make_release, make_topic, make_user
from tests.markup import links, section, text

UTC = datetime.UTC
URL = "/releases/2030/05/01/heat-summit-opens/"


def at(day, hour, minute=0, second=0, month=5):
    """The clock stopped at a moment of May 2030, UTC. Singapore is eight hours ahead: 01:00
    UTC is 09:00 SGT."""
    moment = datetime.datetime(2030, month, day, hour, minute, second, tzinfo=UTC)
    return time_machine.travel(moment, tick=False)


def schedule_heat_summit(client):
    """A Singapore release scheduled through the Workflow panel for 1 May 2030, 09:00 local,
    beside a live release on another topic, so that no public page is empty."""
    with at(30, 12, month=4):
        make_release(
            "Trees planted downtown",
            published_at=datetime.datetime(2030, 4, 29, tzinfo=UTC),
            topics=[make_topic("Urban Trees")],
        )
        release = make_draft(
            "Heat summit opens",
            dateline_place="SINGAPORE",
            dateline_time_zone="Asia/Singapore",
            topics=[make_topic("Heat Summit")],
        )
        client.force_login(make_user("editor", "Editor"))
        response = client.post(
            f"/admin/press/release/{release.pk}/move/publish/",
            {"publish_at": "2030-05-01T09:00", "comment": "Embargoed until the opening"},
            follow=True,
        )
        client.logout()
    release.refresh_from_db()
    return release, response


def visible(client, url):
    """Whether the heat summit shows on `url`: its title, or its topic among Popular Topics."""
    response = client.get(url)
    if response.status_code == 404:
        return False
    assert response.status_code == 200
    page = response.content.decode()
    popular = [name for name, _ in links(section(page, "popular-heading"))] if url == "/" else []
    return "Heat summit opens" in page or "Heat Summit" in popular


@pytest.mark.django_db
def test_a_time_typed_in_singapore_is_stored_in_utc(client):
    release, response = schedule_heat_summit(client)
    assert release.status == Release.Status.PUBLISHED
    assert release.published_at == datetime.datetime(2030, 5, 1, 1, tzinfo=UTC)
    assert release.dateline_date == datetime.date(2030, 5, 1)
    assert [(step.action, step.publish_at) for step in release.transitions.all()] == [
        ("schedule", datetime.datetime(2030, 5, 1, 1, tzinfo=UTC))
    ]


@pytest.mark.django_db
def test_the_editor_is_told_when_the_release_will_appear_in_both_zones(client):
    _, response = schedule_heat_summit(client)
    assert [str(message) for message in response.context["messages"]] == [
        "“Heat summit opens” is now scheduled. "
        "Wed 01 May 2030, 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/releases/", URL, "/topics/heat-summit/"])
def test_a_scheduled_release_is_hidden_at_0859_singapore_time(client, url):
    schedule_heat_summit(client)
    with at(1, 0, 59, 59):
        assert visible(client, url) is False


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/releases/", URL, "/topics/heat-summit/"])
def test_a_scheduled_release_is_public_at_0900_singapore_time(client, url):
    schedule_heat_summit(client)
    with at(1, 1):
        assert visible(client, url) is True


@pytest.mark.django_db
def test_popular_topics_count_a_scheduled_release_only_from_its_time(client):
    schedule_heat_summit(client)

    def popular_topics():
        block = section(client.get("/").content.decode(), "popular-heading")
        return text(re.search(r'<ul class="topic-links">(.*?)</ul>', block, re.S).group(1))

    with at(1, 0, 59, 59):
        assert popular_topics() == "Urban Trees (1)"
    with at(1, 1):
        assert popular_topics() == "Heat Summit (1) Urban Trees (1)"


@pytest.mark.django_db
def test_an_expiry_typed_in_singapore_hides_the_release_at_that_minute(client):
    release, _ = schedule_heat_summit(client)
    with at(2, 0):
        client.force_login(make_user("chief", "Editor"))
        url = f"/admin/press/release/{release.pk}/change/"
        data = form_data(
            client.get(url).content.decode(), expires_at_0="2030-05-08", expires_at_1="18:00"
        )
        assert client.post(url, data).status_code == 302
        client.logout()
    release.refresh_from_db()
    assert release.expires_at == datetime.datetime(2030, 5, 8, 10, tzinfo=UTC)
    with at(8, 9, 59, 59):
        assert [visible(client, url) for url in ["/", "/releases/", URL]] == [True, True, True]
    with at(8, 10):
        assert [visible(client, url) for url in ["/", "/releases/", URL]] == [False, False, False]
        assert client.get("/topics/heat-summit/").status_code == 404


@pytest.mark.django_db
def test_the_workflow_panel_shows_the_publication_time_in_both_zones(client):
    release, _ = schedule_heat_summit(client)
    with at(1, 0):
        client.force_login(make_user("chief", "Editor"))
        page = client.get(f"/admin/press/release/{release.pk}/change/").content.decode()
    panel = re.search(r"<h2>Workflow</h2>\s*<p>(.*?)</p>", page, re.S).group(1)
    assert text(panel) == (
        "Status: Scheduled. Publication: "
        "Wed 01 May 2030, 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC."
    )


@pytest.mark.django_db
def test_the_workflow_panel_names_the_zone_and_utc_for_new_york(client):
    release = make_release(
        "Cooling centres open",
        dateline_time_zone="America/New_York",
        published_at=datetime.datetime(2030, 5, 1, 13, tzinfo=UTC),
    )
    with at(1, 0):
        client.force_login(make_user("chief", "Editor"))
        page = client.get(f"/admin/press/release/{release.pk}/change/").content.decode()
    panel = re.search(r"<h2>Workflow</h2>\s*<p>(.*?)</p>", page, re.S).group(1)
    assert text(panel) == (
        "Status: Scheduled. Publication: "
        "Wed 01 May 2030, 09:00 America/New_York (UTC-04:00) = 13:00 UTC."
    )


@pytest.mark.django_db
def test_the_change_form_shows_the_publication_time_as_singapore_wall_time(client):
    release, _ = schedule_heat_summit(client)
    with at(1, 0):
        client.force_login(make_user("chief", "Editor"))
        page = client.get(f"/admin/press/release/{release.pk}/change/").content.decode()
    data = form_data(page)
    assert (data["published_at_0"], data["published_at_1"]) == ("2030-05-01", "09:00:00")


@pytest.mark.django_db
def test_saving_the_change_form_unchanged_keeps_the_publication_time(client):
    release, _ = schedule_heat_summit(client)
    with at(1, 0):
        client.force_login(make_user("chief", "Editor"))
        url = f"/admin/press/release/{release.pk}/change/"
        assert client.post(url, form_data(client.get(url).content.decode())).status_code == 302
        # Twice: a shift would add up.
        assert client.post(url, form_data(client.get(url).content.decode())).status_code == 302
    release.refresh_from_db()
    assert release.published_at == datetime.datetime(2030, 5, 1, 1, tzinfo=UTC)
    assert release.status == Release.Status.PUBLISHED


@pytest.mark.django_db
def test_a_publication_time_typed_in_the_change_form_is_read_in_the_dateline_zone(client):
    release, _ = schedule_heat_summit(client)
    with at(1, 0):
        client.force_login(make_user("chief", "Editor"))
        url = f"/admin/press/release/{release.pk}/change/"
        data = form_data(client.get(url).content.decode(), published_at_1="10:30")
        assert client.post(url, data).status_code == 302
    release.refresh_from_db()
    assert release.published_at == datetime.datetime(2030, 5, 1, 2, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_moving_a_scheduled_release_to_another_day_moves_its_dateline_and_address(client):
    release, _ = schedule_heat_summit(client)
    with at(1, 0):
        client.force_login(make_user("chief", "Editor"))
        url = f"/admin/press/release/{release.pk}/change/"
        # The editor never typed a dateline date: it was filled in from the publication time.
        data = form_data(client.get(url).content.decode(), published_at_0="2030-05-03")
        assert client.post(url, data).status_code == 302
    release.refresh_from_db()
    assert release.published_at == datetime.datetime(2030, 5, 3, 1, tzinfo=UTC)
    assert (release.dateline_date, release.get_absolute_url()) == (
        datetime.date(2030, 5, 3),
        "/releases/2030/05/03/heat-summit-opens/",
    )


@pytest.mark.django_db
def test_the_next_change_is_the_soonest_release_going_live_or_expiring():
    """What every cache entry ends at: the soonest scheduled publication or expiry of a
    published release, whichever comes first; drafts and moments already past are not."""
    with at(1, 12):
        assert Release.objects.next_change() is None
        make_release("Live", published_at=datetime.datetime(2030, 4, 1, tzinfo=UTC))
        make_release(
            "Expired",
            published_at=datetime.datetime(2030, 3, 1, tzinfo=UTC),
            expires_at=datetime.datetime(2030, 4, 1, tzinfo=UTC),
        )
        assert Release.objects.next_change() is None
        make_release("Goes live", published_at=datetime.datetime(2030, 5, 9, tzinfo=UTC))
        draft = make_draft("A draft's date is no schedule")
        Release.objects.filter(pk=draft.pk).update(
            published_at=datetime.datetime(2030, 5, 2, tzinfo=UTC)
        )
        assert Release.objects.next_change() == datetime.datetime(2030, 5, 9, tzinfo=UTC)
        make_release(
            "Expires",
            published_at=datetime.datetime(2030, 4, 2, tzinfo=UTC),
            expires_at=datetime.datetime(2030, 5, 3, tzinfo=UTC),
        )
        assert Release.objects.next_change() == datetime.datetime(2030, 5, 3, tzinfo=UTC)
