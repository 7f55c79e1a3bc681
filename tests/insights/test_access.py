"""Who sees the insights: editors, press officers and administrators by their groups (the
journalists' page, which names them, the contacts team only); contributors get a 403, the
public the sign-in page."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import make_release, make_user
from tests.pages import get_page, logged_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/insights/overview/",
    "/admin/insights/topicinsights/",
    "/admin/insights/subscriberinsights/",
    "/admin/insights/journalistinsights/",
    "/admin/insights/overview/?csv=figures",
]


def test_the_editorial_groups_hold_the_view_permission_of_the_pages_they_see():
    def holders(codename):
        groups = Group.objects.filter(
            permissions__codename=codename, permissions__content_type__app_label="insights"
        )
        return sorted(groups.values_list("name", flat=True))

    for page in ("overview", "topicinsights", "subscriberinsights"):
        assert holders(f"view_{page}") == ["Administrator", "Editor", "Press officer"]
    assert holders("view_journalistinsights") == ["Administrator", "Press officer"]


@pytest.mark.parametrize("group", ["Editor", "Press officer", "Administrator"])
@pytest.mark.parametrize("url", [url for url in PAGES if "journalist" not in url])
def test_editors_press_officers_and_administrators_see_every_page(group, url):
    assert logged_in(make_user("staff", group_name=group)).get(url).status_code == 200


def test_only_the_contacts_team_sees_the_journalists_by_name():
    url = "/admin/insights/journalistinsights/"
    for group in ("Press officer", "Administrator"):
        assert logged_in(make_user(group, group_name=group)).get(url).status_code == 200
    editor = logged_in(make_user("erin", group_name="Editor"))
    assert editor.get(url).status_code == 403
    assert editor.get(url + "?csv=most-engaged-contacts").status_code == 403
    page = get_page(editor, "/admin/insights/overview/")
    assert url not in page  # neither in the sidebar nor among the tabs


@pytest.mark.parametrize("url", [*PAGES, "/admin/insights/overview/release/{pk}/"])
def test_a_contributor_is_refused(url):
    release = make_release("Heat plan")
    client = logged_in(make_user("writer", group_name="Contributor"))
    assert client.get(url.format(pk=release.pk)).status_code == 403


@pytest.mark.parametrize("url", [*PAGES, "/admin/insights/overview/release/{pk}/"])
def test_the_public_is_sent_to_sign_in(client, url):
    release = make_release("Heat plan")
    response = client.get(url.format(pk=release.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_release_that_does_not_exist_is_a_404(editor_client):
    assert editor_client.get("/admin/insights/overview/release/999999/").status_code == 404


def test_the_admin_index_lists_the_insights_pages_for_those_who_may_see_them(editor_client):
    page = get_page(editor_client, "/admin/")
    assert "Insights" in page
    for url in PAGES[:3]:
        assert f'href="{url}"' in page
    contributor = logged_in(make_user("writer", group_name="Contributor"))
    assert "/admin/insights/" not in get_page(contributor, "/admin/")


def test_the_release_form_links_to_its_insights(editor_client):
    release = make_release("Heat plan")
    page = get_page(editor_client, f"/admin/press/release/{release.pk}/change/")
    assert f'href="/admin/insights/overview/release/{release.pk}/">Insights</a>' in page
    writer = make_user("writer", group_name="Contributor")
    own = make_release("Own draft", status="draft", published_at=None, author=writer)
    page = get_page(logged_in(writer), f"/admin/press/release/{own.pk}/change/")
    assert "/admin/insights/" not in page


def test_a_release_form_reached_by_its_key_with_a_sign_links_to_its_insights(editor_client):
    release = make_release("Heat plan")
    page = get_page(editor_client, f"/admin/press/release/+{release.pk}/change/")
    assert f'href="/admin/insights/overview/release/{release.pk}/">Insights</a>' in page


@pytest.mark.parametrize("key", ["-1", "-18842861590", "0", "-0"])
def test_a_release_form_asked_for_by_a_key_below_one_finds_no_release(editor_client, key):
    # A negative key fits the column but names no release, and the insights link's route
    # takes digits only: a 500 before (found by test_fuzz_admin.py).
    response = editor_client.get(f"/admin/press/release/{key}/change/")
    assert response.status_code == 302  # to the admin's index, saying no such release exists
    assert "/admin/insights/" not in response.content.decode()
