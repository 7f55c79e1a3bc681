"""A release's way through the newsroom: draft, in review, published, archived.

Steps are taken through the admin's move view (/admin/press/release/<pk>/move/<action>/), as
the Workflow panel's buttons post them, and read back from the database and the change page.
"""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from press.models import Release, Transition
from tests.factories import (
    make_draft,
    make_release,
    make_scheduled,
    make_topic,
    make_user,
)
from tests.markup import text
from tests.pages import messages_of

UTC = datetime.UTC


def move(client, release, action, **data):
    return client.post(f"/admin/press/release/{release.pk}/move/{action}/", data, follow=True)


def history_rows(page):
    """The rows of the "History of this release" table on the change page, as text."""
    table = re.search(r"<h3>History of this release</h3>\s*<table>(.*?)</table>", page, re.S)
    assert table, "The change page has no history table."
    body = table.group(1).split("</thead>")[1]
    return [
        [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def changelist_titles(page):
    return re.findall(r'<th class="field-title"><a href="[^"]*">([^<]*)</a></th>', page)


def changelist_row(page, title):
    """The cells of the changelist row of `title`, by column name."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        if f">{title}</a>" in row:
            cells = re.findall(r'<t[dh] class="field-([a-z_]+)[^"]*">(.*?)</t[dh]>', row, re.S)
            return {name: text(cell) for name, cell in cells}
    raise AssertionError(f"No changelist row for {title!r}.")


@pytest.mark.django_db
def test_a_release_goes_from_draft_to_review_to_published_to_archived(client):
    writer = make_user("writer", "Contributor")
    editor = make_user("editor", "Editor")
    release = make_draft("Cooling centres open", author=writer)
    client.force_login(writer)
    move(client, release, "submit")
    release.refresh_from_db()
    assert release.status == Release.Status.IN_REVIEW
    client.force_login(editor)
    move(client, release, "publish")
    release.refresh_from_db()
    assert (release.status, release.state) == (Release.Status.PUBLISHED, "published")
    move(client, release, "archive")
    release.refresh_from_db()
    assert release.status == Release.Status.ARCHIVED


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Release.Status.PUBLISHED, Release.Status.ARCHIVED])
def test_unpublishing_returns_a_release_to_draft_and_takes_it_off_the_site(client, status):
    release = make_release("Cooling centres open", status=status)
    url = release.get_absolute_url()
    client.force_login(make_user("editor", "Editor"))
    response = move(client, release, "unpublish", comment="Wrong figures")
    release.refresh_from_db()
    assert release.status == Release.Status.DRAFT
    assert messages_of(response) == ["“Cooling centres open” is now draft."]
    client.logout()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_each_step_is_recorded_with_who_when_and_why(client):
    with time_machine.travel(datetime.datetime(2030, 5, 1, 8, tzinfo=UTC), tick=False) as clock:
        writer = make_user("writer", "Contributor")
        editor = make_user("editor", "Editor")
        release = make_draft("Cooling centres open", author=writer)
        client.force_login(writer)
        move(client, release, "submit", comment="Ready for a look")
        clock.move_to(datetime.datetime(2030, 5, 1, 8, 30, tzinfo=UTC))
        client.force_login(editor)
        move(client, release, "publish", comment="Looks good")
        clock.move_to(datetime.datetime(2030, 6, 1, 10, tzinfo=UTC))
        client.force_login(editor)  # The session of a month ago has expired.
        move(client, release, "archive", comment="Superseded")
    steps = Transition.objects.filter(release=release).order_by("created_at")
    assert [
        (step.action, step.from_status, step.to_status, step.user, step.comment, step.created_at)
        for step in steps
    ] == [
        ("submit", "draft", "in_review", writer, "Ready for a look", clock_time(5, 1, 8)),
        ("publish", "in_review", "published", editor, "Looks good", clock_time(5, 1, 8, 30)),
        ("archive", "published", "archived", editor, "Superseded", clock_time(6, 1, 10)),
    ]


def clock_time(month, day, hour, minute=0):
    return datetime.datetime(2030, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.django_db
def test_the_change_page_shows_the_history_of_the_release_newest_first(client):
    with time_machine.travel(clock_time(5, 1, 8), tick=False) as clock:
        editor = make_user("editor", "Editor")
        release = make_draft("Cooling centres open", author=editor)
        client.force_login(editor)
        move(client, release, "submit", comment="Ready for a look")
        clock.move_to(clock_time(5, 1, 8, 30))
        move(client, release, "publish", comment="Looks good")
        clock.move_to(clock_time(6, 1, 10))
        client.force_login(editor)  # The session of a month ago has expired.
        move(client, release, "archive", comment="Superseded")
        page = client.get(f"/admin/press/release/{release.pk}/change/").content.decode()
    assert history_rows(page) == [
        ["2030-06-01 10:00", "editor", "Archived", "Superseded"],
        ["2030-05-01 08:30", "editor", "Published for 2030-05-01 08:30 UTC", "Looks good"],
        ["2030-05-01 08:00", "editor", "Submitted for review", "Ready for a look"],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        ("draft", "archive", "A release that is draft cannot be archived."),
        ("draft", "return", "A release that is draft cannot be returned."),
        ("published", "submit", "A release that is published cannot be submitted."),
        ("published", "publish", "A release that is published cannot be published."),
        ("in_review", "archive", "A release that is in review cannot be archived."),
        ("archived", "publish", "A release that is archived cannot be published."),
    ],
)
def test_a_step_that_does_not_fit_the_status_is_refused_with_a_clear_message(
    client, status, action, message
):
    release = make_release("Cooling centres open", status=status)
    client.force_login(make_user("editor", "Editor"))
    response = move(client, release, action)
    assert response.redirect_chain == [(f"/admin/press/release/{release.pk}/change/", 302)]
    assert messages_of(response) == [message]
    release.refresh_from_db()
    assert release.status == status
    assert list(Transition.objects.filter(release=release)) == []


@pytest.mark.django_db
def test_an_unknown_step_is_404_and_a_get_is_405(client):
    release = make_draft("Cooling centres open")
    client.force_login(make_user("editor", "Editor"))
    assert client.post(f"/admin/press/release/{release.pk}/move/delete/").status_code == 404
    assert client.get(f"/admin/press/release/{release.pk}/move/publish/").status_code == 405
    release.refresh_from_db()
    assert release.status == Release.Status.DRAFT


@pytest.mark.django_db
def test_the_workflow_panel_offers_only_the_steps_the_user_may_take(client):
    writer = make_user("writer", "Contributor")
    release = make_draft("Cooling centres open", author=writer)

    def buttons():
        page = client.get(f"/admin/press/release/{release.pk}/change/").content.decode()
        return re.findall(r'name="step" value="([a-z]+)">', page)

    client.force_login(writer)
    assert buttons() == ["submit"]
    client.force_login(make_user("editor", "Editor"))
    assert buttons() == ["submit", "publish"]


@pytest.mark.django_db
def test_bulk_publishing_publishes_what_it_can_and_names_what_it_could_not(client):
    draft = make_draft("Cooling centres open")
    archived = make_release("Old heat plan", status=Release.Status.ARCHIVED)
    client.force_login(make_user("editor", "Editor"))
    response = client.post(
        "/admin/press/release/",
        {"action": "publish_selected", "_selected_action": [draft.pk, archived.pk]},
        follow=True,
    )
    assert sorted(messages_of(response)) == [
        "Old heat plan: A release that is archived cannot be published.",
        "Publish: 1 release(s).",
    ]
    assert Release.objects.get(pk=draft.pk).status == Release.Status.PUBLISHED
    assert Release.objects.get(pk=archived.pk).status == Release.Status.ARCHIVED


def make_one_of_each(editor):
    other = make_user("other", "Contributor")
    make_draft("My draft on heat", author=editor)
    make_draft("Their draft on floods", author=other)
    make_release("Awaiting review", status=Release.Status.IN_REVIEW, published_at=None)
    make_scheduled("Scheduled water plan")
    make_release("Live tree plan")
    make_release("Expired park plan", expires_at=timezone.now() - datetime.timedelta(hours=1))
    make_release("Archived storm plan", status=Release.Status.ARCHIVED)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("workflow", "titles"),
    [
        ("mine", ["My draft on heat"]),
        ("review", ["Awaiting review"]),
        ("scheduled", ["Scheduled water plan"]),
        ("published", ["Live tree plan"]),
        ("archived", ["Archived storm plan"]),
    ],
)
def test_each_workflow_filter_lists_exactly_its_releases(client, workflow, titles):
    editor = make_user("editor", "Editor")
    make_one_of_each(editor)
    client.force_login(editor)
    response = client.get(f"/admin/press/release/?workflow={workflow}")
    assert changelist_titles(response.content.decode()) == titles


@pytest.mark.django_db
def test_the_workflow_filter_is_offered_with_its_names(client):
    client.force_login(make_user("editor", "Editor"))
    page = client.get("/admin/press/release/").content.decode()
    offered = re.findall(r'<a href="\?workflow=([a-z]+)"[^>]*>([^<]+)</a>', page)
    assert offered == [
        ("mine", "My drafts"),
        ("review", "Awaiting review"),
        ("scheduled", "Scheduled"),
        ("published", "Published"),
        ("archived", "Archived"),
    ]


@pytest.mark.django_db
def test_the_changelist_shows_status_place_time_author_and_topics(client):
    editor = make_user("editor", "Editor")
    make_release(
        "Cooling centres open",
        author=editor,
        dateline_place="HOUSTON",
        dateline_time_zone="America/New_York",
        published_at=datetime.datetime(2024, 5, 1, 13, tzinfo=UTC),
        topics=[make_topic("Water"), make_topic("Extreme Heat")],
    )
    client.force_login(editor)
    page = client.get("/admin/press/release/").content.decode()
    assert changelist_row(page, "Cooling centres open") == {
        "title": "Cooling centres open",
        "state_label": "Published",
        "dateline_place": "HOUSTON",
        "published_time": "Wed 01 May 2024, 09:00 America/New_York (UTC-04:00) = 13:00 UTC",
        "author": "editor",
        "topic_list": "Extreme Heat, Water",
    }


@pytest.mark.django_db
def test_the_changelist_calls_a_future_release_scheduled(client):
    make_scheduled("Scheduled water plan")
    client.force_login(make_user("editor", "Editor"))
    page = client.get("/admin/press/release/").content.decode()
    assert changelist_row(page, "Scheduled water plan")["state_label"] == "Scheduled"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("flood", ["Flood barriers finished"]),
        ("singapore", ["Heat plan for the city-state"]),
        ("mangroves", ["Coasts get greener", "Mangroves replanted"]),
        ("volcano", []),
    ],
)
def test_the_changelist_search_finds_releases_by_their_words(client, query, titles):
    make_release("Flood barriers finished", dateline_place="ROTTERDAM")
    make_release("Heat plan for the city-state", dateline_place="SINGAPORE")
    make_release("Coasts get greener", summary="Mangroves replanted along the coast.")
    make_draft("Mangroves replanted")
    client.force_login(make_user("editor", "Editor"))
    page = client.get(f"/admin/press/release/?q={query}").content.decode()
    assert sorted(changelist_titles(page)) == titles
