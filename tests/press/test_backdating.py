"""Publishing an archive: Publish keeps the publication time the editor entered. A past time
backdates the release (live at once, dated in the past), a future one schedules it, and only
a release with no time entered is published now (Release.move(), the rule in
press.models.publication)."""

import datetime

import pytest
import time_machine

from press.models import Release
from tests.factories import form_data, make_draft, make_organization, make_release, make_user
from tests.pages import messages_of

UTC = datetime.UTC
NOW = datetime.datetime(2030, 5, 1, 10, tzinfo=UTC)
# 09:00 in Singapore on 23 September 2021.
PAST = datetime.datetime(2021, 9, 23, 1, tzinfo=UTC)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_publishing_keeps_a_past_publication_time_and_the_release_is_live_at_once():
    release = make_release("Cities join forces on heat", status="draft", published_at=PAST)
    release.move("publish", make_user())
    release.refresh_from_db()
    assert (release.status, release.state, release.published_at) == ("published", "published", PAST)
    assert release.dateline_date == datetime.date(2021, 9, 23)
    assert list(Release.objects.live()) == [release]
    assert [(step.action, step.publish_at) for step in release.transitions.all()] == [
        ("publish", PAST)
    ]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_publishing_with_a_future_publication_time_schedules_the_release():
    tomorrow = NOW + datetime.timedelta(days=1)
    release = make_release("Cities join forces on heat", status="draft", published_at=tomorrow)
    release.move("publish", make_user())
    assert (release.state, release.published_at) == ("scheduled", tomorrow)
    assert list(Release.objects.live()) == []
    assert release.transitions.get().action == "schedule"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_publishing_a_release_without_a_publication_time_publishes_it_now():
    release = make_draft("Cities join forces on heat")
    release.move("publish", make_user())
    assert (release.state, release.published_at) == ("published", NOW)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_time_typed_in_the_workflow_panel_wins_over_the_one_entered_on_the_release():
    release = make_release("Cities join forces on heat", status="draft", published_at=PAST)
    release.move("publish", make_user(), publish_at=NOW - datetime.timedelta(hours=1))
    assert release.published_at == NOW - datetime.timedelta(hours=1)


def add_backdated_release(client, button):
    """The add page filled in as an editor moving an old release in: a past publication time
    typed in the dateline's zone, then `button` pressed."""
    page = client.get("/admin/press/release/add/").content.decode()
    data = form_data(
        page,
        title="Cities join forces on heat",
        slug="cities-join-forces-on-heat",
        byline=make_organization().pk,
        dateline_place="SINGAPORE",
        dateline_time_zone="Asia/Singapore",
        published_at_0="2021-09-23",
        published_at_1="09:00:00",
        **{button: "1"},
    )
    return client.post("/admin/press/release/add/", data, follow=True)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_an_editor_saves_a_past_date_then_presses_publish_in_the_workflow_panel(client):
    client.force_login(make_user("erin", "Editor"))
    add_backdated_release(client, "_continue")
    release = Release.objects.get()
    # The panel offers the time entered on the release.
    page = client.get(f"/admin/press/release/{release.pk}/change/").content.decode()
    assert 'name="publish_at" value="2021-09-23T09:00"' in page
    # The editor leaves the panel's field empty: the release's own time is kept.
    response = client.post(
        f"/admin/press/release/{release.pk}/move/publish/", {"publish_at": ""}, follow=True
    )
    release.refresh_from_db()
    assert (release.state, release.published_at) == ("published", PAST)
    assert messages_of(response) == [
        "“Cities join forces on heat” is now published. "
        "Thu 23 Sep 2021, 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC"
    ]
    assert client.get("/releases/2021/09/23/cities-join-forces-on-heat/").status_code == 200


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_save_and_publish_keeps_the_past_date_typed_in_the_form(client):
    client.force_login(make_user("erin", "Editor"))
    response = add_backdated_release(client, "_publish")
    release = Release.objects.get()
    assert (release.state, release.published_at) == ("published", PAST)
    assert response.redirect_chain[-1][0] == f"/admin/press/release/{release.pk}/change/"
    assert [str(m) for m in response.context["messages"]] == [
        "“Cities join forces on heat” was saved and is now published. "
        "Thu 23 Sep 2021, 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC"
    ]


@pytest.mark.django_db
def test_save_and_publish_is_offered_only_to_those_who_may_publish(client):
    client.force_login(make_user("casey", "Contributor"))
    assert 'name="_publish"' not in client.get("/admin/press/release/add/").content.decode()
    client.force_login(make_user("erin", "Editor"))
    assert 'name="_publish"' in client.get("/admin/press/release/add/").content.decode()
