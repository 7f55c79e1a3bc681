"""Who may do what to a release in the admin, enforced by the server.

Each action is taken through real HTTP as a staff member of one editorial group (never a
superuser) and judged by what changed in the database, not by the status code alone: a refused
step must leave the release as it was.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from press.models import PreviewLink, Release
from tests.factories import form_data, make_draft, make_organization, make_release, make_user

CONTRIBUTOR, EDITOR, PRESS_OFFICER, ADMINISTRATOR = (
    "Contributor",
    "Editor",
    "Press officer",
    "Administrator",
)

MATRIX = [
    # Reading
    (CONTRIBUTOR, "open the changelist", True),
    (EDITOR, "open the changelist", True),
    (PRESS_OFFICER, "open the changelist", True),
    (ADMINISTRATOR, "open the changelist", True),
    (CONTRIBUTOR, "open the preview", True),
    (EDITOR, "open the preview", True),
    (PRESS_OFFICER, "open the preview", True),
    (ADMINISTRATOR, "open the preview", True),
    # Writing
    (CONTRIBUTOR, "open the add page", True),
    (EDITOR, "open the add page", True),
    (PRESS_OFFICER, "open the add page", False),
    (ADMINISTRATOR, "open the add page", True),
    (CONTRIBUTOR, "create a release", True),
    (EDITOR, "create a release", True),
    (PRESS_OFFICER, "create a release", False),
    (ADMINISTRATOR, "create a release", True),
    (CONTRIBUTOR, "edit their own draft", True),
    (EDITOR, "edit their own draft", True),
    (PRESS_OFFICER, "edit their own draft", False),
    (ADMINISTRATOR, "edit their own draft", True),
    (CONTRIBUTOR, "edit someone else's draft", False),
    (EDITOR, "edit someone else's draft", True),
    (PRESS_OFFICER, "edit someone else's draft", False),
    (ADMINISTRATOR, "edit someone else's draft", True),
    (CONTRIBUTOR, "edit a release in review", False),
    (EDITOR, "edit a release in review", True),
    (PRESS_OFFICER, "edit a release in review", False),
    (ADMINISTRATOR, "edit a release in review", True),
    (CONTRIBUTOR, "delete a release", False),
    (EDITOR, "delete a release", False),
    (PRESS_OFFICER, "delete a release", False),
    (ADMINISTRATOR, "delete a release", True),
    # The workflow, one release at a time
    (CONTRIBUTOR, "submit their own draft", True),
    (EDITOR, "submit their own draft", True),
    (PRESS_OFFICER, "submit their own draft", False),
    (ADMINISTRATOR, "submit their own draft", True),
    (CONTRIBUTOR, "return a release in review", False),
    (EDITOR, "return a release in review", True),
    (PRESS_OFFICER, "return a release in review", False),
    (ADMINISTRATOR, "return a release in review", True),
    (CONTRIBUTOR, "publish", False),
    (EDITOR, "publish", True),
    (PRESS_OFFICER, "publish", False),
    (ADMINISTRATOR, "publish", True),
    (CONTRIBUTOR, "schedule", False),
    (EDITOR, "schedule", True),
    (PRESS_OFFICER, "schedule", False),
    (ADMINISTRATOR, "schedule", True),
    (CONTRIBUTOR, "unpublish", False),
    (EDITOR, "unpublish", True),
    (PRESS_OFFICER, "unpublish", False),
    (ADMINISTRATOR, "unpublish", True),
    (CONTRIBUTOR, "archive", False),
    (EDITOR, "archive", True),
    (PRESS_OFFICER, "archive", False),
    (ADMINISTRATOR, "archive", True),
    # The workflow, in bulk from the changelist
    (CONTRIBUTOR, "bulk submit", True),
    (EDITOR, "bulk submit", True),
    (PRESS_OFFICER, "bulk submit", False),
    (ADMINISTRATOR, "bulk submit", True),
    (CONTRIBUTOR, "bulk publish", False),
    (EDITOR, "bulk publish", True),
    (PRESS_OFFICER, "bulk publish", False),
    (ADMINISTRATOR, "bulk publish", True),
    (CONTRIBUTOR, "bulk unpublish", False),
    (EDITOR, "bulk unpublish", True),
    (PRESS_OFFICER, "bulk unpublish", False),
    (ADMINISTRATOR, "bulk unpublish", True),
    (CONTRIBUTOR, "bulk archive", False),
    (EDITOR, "bulk archive", True),
    (PRESS_OFFICER, "bulk archive", False),
    (ADMINISTRATOR, "bulk archive", True),
    # Preview links
    (CONTRIBUTOR, "make a preview link", True),
    (EDITOR, "make a preview link", True),
    (PRESS_OFFICER, "make a preview link", False),
    (ADMINISTRATOR, "make a preview link", True),
    (CONTRIBUTOR, "revoke a preview link", True),
    (EDITOR, "revoke a preview link", True),
    (PRESS_OFFICER, "revoke a preview link", False),
    (ADMINISTRATOR, "revoke a preview link", True),
]


def make_world(role):
    """The member of `role` under test, a colleague, and one release in each state.

    Forms are read by an administrator, so a refused user still posts exactly what a browser
    of a permitted one would.
    """
    me = make_user("me", role, first_name="Mei", last_name="Tan")
    other = make_user("other", CONTRIBUTOR)
    reader = Client()
    reader.force_login(make_user("reader", ADMINISTRATOR))
    own_draft = make_draft("My heat plan draft", author=me)
    return SimpleNamespace(
        me=me,
        reader=reader,
        byline=make_organization("City of Houston"),
        own_draft=own_draft,
        others_draft=make_draft("Their flood plan draft", author=other),
        in_review=make_release(
            "My release in review", status=Release.Status.IN_REVIEW, published_at=None, author=me
        ),
        published=make_release("A published release", author=other),
        link=PreviewLink.objects.create(release=own_draft, created_by=me, note="Mayor"),
    )


def status_of(release):
    release.refresh_from_db()
    return release.status


def move(client, release, action, **data):
    client.post(f"/admin/press/release/{release.pk}/move/{action}/", data)
    return status_of(release)


def bulk(client, action, release):
    client.post("/admin/press/release/", {"action": action, "_selected_action": [release.pk]})
    return status_of(release)


def edit(client, world, release):
    url = f"/admin/press/release/{release.pk}/change/"
    client.post(url, form_data(world.reader.get(url).content.decode(), title="Edited title"))
    release.refresh_from_db()
    return release.title == "Edited title"


def open_changelist(client, world):
    response = client.get("/admin/press/release/")
    return response.status_code == 200 and "My heat plan draft" in response.content.decode()


def open_preview(client, world):
    response = client.get(f"/admin/press/release/{world.own_draft.pk}/preview/")
    return response.status_code == 200 and "My heat plan draft" in response.content.decode()


def create(client, world):
    page = world.reader.get("/admin/press/release/add/").content.decode()
    data = form_data(page, title="Schools heat plan", slug="schools-heat-plan")
    client.post("/admin/press/release/add/", {**data, "byline": world.byline.pk})
    return Release.objects.filter(title="Schools heat plan").exists()


def delete(client, world):
    client.post(f"/admin/press/release/{world.own_draft.pk}/delete/", {"post": "yes"})
    return not Release.objects.filter(pk=world.own_draft.pk).exists()


def publish(client, world):
    published = move(client, world.own_draft, "publish") == Release.Status.PUBLISHED
    return published and world.own_draft.published_at <= timezone.now()


def schedule(client, world):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    status = move(client, world.own_draft, "publish", publish_at=f"{tomorrow:%Y-%m-%dT%H:%M}")
    return status == Release.Status.PUBLISHED and world.own_draft.state == "scheduled"


def make_link(client, world):
    url = f"/admin/press/release/{world.own_draft.pk}/preview-links/"
    client.post(url, {"note": "Fire department", "days": 7})
    return PreviewLink.objects.filter(note="Fire department").exists()


def revoke_link(client, world):
    client.post(f"/admin/press/release/preview-links/{world.link.pk}/revoke/")
    world.link.refresh_from_db()
    return world.link.revoked_at is not None


DRAFT, IN_REVIEW = Release.Status.DRAFT, Release.Status.IN_REVIEW
PUBLISHED, ARCHIVED = Release.Status.PUBLISHED, Release.Status.ARCHIVED
ACTIONS = {
    "open the changelist": open_changelist,
    "open the preview": open_preview,
    "open the add page": lambda c, w: c.get("/admin/press/release/add/").status_code == 200,
    "create a release": create,
    "edit their own draft": lambda c, w: edit(c, w, w.own_draft),
    "edit someone else's draft": lambda c, w: edit(c, w, w.others_draft),
    "edit a release in review": lambda c, w: edit(c, w, w.in_review),
    "delete a release": delete,
    "submit their own draft": lambda c, w: move(c, w.own_draft, "submit") == IN_REVIEW,
    "return a release in review": lambda c, w: move(c, w.in_review, "return") == DRAFT,
    "publish": publish,
    "schedule": schedule,
    "unpublish": lambda c, w: move(c, w.published, "unpublish") == DRAFT,
    "archive": lambda c, w: move(c, w.published, "archive") == ARCHIVED,
    "bulk submit": lambda c, w: bulk(c, "submit_selected", w.own_draft) == IN_REVIEW,
    "bulk publish": lambda c, w: bulk(c, "publish_selected", w.own_draft) == PUBLISHED,
    "bulk unpublish": lambda c, w: bulk(c, "unpublish_selected", w.published) == DRAFT,
    "bulk archive": lambda c, w: bulk(c, "archive_selected", w.published) == ARCHIVED,
    "make a preview link": make_link,
    "revoke a preview link": revoke_link,
}


def test_the_matrix_covers_every_role_and_every_action_once():
    pairs = [(role, action) for role, action, _ in MATRIX]
    roles = [CONTRIBUTOR, EDITOR, PRESS_OFFICER, ADMINISTRATOR]
    assert sorted(pairs) == sorted((role, action) for role in roles for action in ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "action", "allowed"), MATRIX, ids=[f"{r}-{a}" for r, a, _ in MATRIX]
)
def test_each_role_may_take_exactly_the_actions_its_group_allows(client, role, action, allowed):
    world = make_world(role)
    client.force_login(world.me)
    assert ACTIONS[action](client, world) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "release", "status"),
    [
        ("publish", "own_draft", Release.Status.DRAFT),
        ("return", "in_review", Release.Status.IN_REVIEW),
        ("unpublish", "published", Release.Status.PUBLISHED),
        ("archive", "published", Release.Status.PUBLISHED),
    ],
)
def test_a_contributor_posting_a_step_they_may_not_take_gets_403(client, action, release, status):
    world = make_world(CONTRIBUTOR)
    client.force_login(world.me)
    release = getattr(world, release)
    assert client.post(f"/admin/press/release/{release.pk}/move/{action}/").status_code == 403
    assert status_of(release) == status


@pytest.mark.django_db
def test_a_contributor_cannot_schedule_by_typing_a_publication_time_in_the_form(client):
    world = make_world(CONTRIBUTOR)
    client.force_login(world.me)
    url = f"/admin/press/release/{world.own_draft.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="published_at_0"' not in page
    data = form_data(page, published_at_0="2030-05-01", published_at_1="09:00")
    assert client.post(url, data).status_code == 302
    world.own_draft.refresh_from_db()
    assert (world.own_draft.status, world.own_draft.published_at) == (Release.Status.DRAFT, None)


@pytest.mark.django_db
def test_a_contributor_cannot_submit_someone_elses_draft(client):
    world = make_world(CONTRIBUTOR)
    client.force_login(world.me)
    response = client.post(f"/admin/press/release/{world.others_draft.pk}/move/submit/")
    assert response.status_code == 403
    assert status_of(world.others_draft) == Release.Status.DRAFT


@pytest.mark.django_db
def test_a_press_officer_sees_a_release_read_only(client):
    world = make_world(PRESS_OFFICER)
    client.force_login(world.me)
    response = client.get(f"/admin/press/release/{world.published.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "A published release" in page
    assert 'name="title"' not in page
    assert 'name="_save"' not in page
