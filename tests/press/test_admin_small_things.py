"""Small things in the release admin (issue 16, defect 10): the status reads "In review", the
editor picks the releases pinned under Related Articles in the form, a change to them shows on
the cached public page at once, and the admin is named after the newsroom."""

import re

import pytest
from django.core.cache import cache

from press.models import Release
from tests.factories import form_data, make_draft, make_release, make_user, name_the_organization
from tests.markup import card_titles, section, text

pytestmark = pytest.mark.django_db


def test_a_release_in_review_reads_in_review_in_the_list_and_the_workflow_panel(client):
    casey = make_user("casey", "Contributor")
    release = make_draft("Cooling centres open", author=casey)
    release.move("submit", casey)
    client.force_login(make_user("erin", "Editor"))
    listing = client.get("/admin/press/release/").content.decode()
    assert text(re.search(r'<td class="field-state_label">(.*?)</td>', listing).group(1)) == (
        "In review"
    )
    page = client.get(f"/admin/press/release/{release.pk}/change/").content.decode()
    assert re.search(r"<p>Status: <strong>(.*?)</strong>", page).group(1) == "In review"
    assert "In_review" not in page and "In_review" not in listing


def edit(client, release, **changes):
    url = f"/admin/press/release/{release.pk}/change/"
    return client.post(url, form_data(client.get(url).content.decode(), **changes))


def test_the_editor_pins_related_articles_in_the_form_and_the_cached_page_follows(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    release = make_release("Cooling centres open", dateline_place="HOUSTON")
    make_release("Houston heat plan", dateline_place="HOUSTON")
    pinned = make_release("Water for Jakarta", dateline_place="JAKARTA")
    url = release.get_absolute_url()

    def related():
        page = client.get(url).content.decode()
        return card_titles(section(page, "related-heading"))

    assert related() == ["Houston heat plan"]
    client.force_login(make_user("erin", "Editor"))
    assert (
        'name="pinned_related"'
        in client.get(f"/admin/press/release/{release.pk}/change/").content.decode()
    )
    assert edit(client, release, pinned_related=[str(pinned.pk)]).status_code == 302
    assert list(release.pinned_related.all()) == [pinned]
    client.logout()
    assert related() == ["Water for Jakarta", "Houston heat plan"]
    # Unpinned outside the admin: the cached page follows too.
    release.pinned_related.clear()
    assert related() == ["Houston heat plan"]


def test_at_most_three_releases_may_be_pinned_and_never_the_release_itself(client):
    release = make_release("Cooling centres open")
    others = [make_release(f"Release {n}") for n in range(4)]
    client.force_login(make_user("erin", "Editor"))
    response = edit(client, release, pinned_related=[str(other.pk) for other in others])
    assert response.context["adminform"].form.errors["pinned_related"] == [
        "Choose at most three releases."
    ]
    response = edit(client, release, pinned_related=[str(release.pk)])
    assert response.context["adminform"].form.errors["pinned_related"] == [
        "A release cannot be related to itself."
    ]
    assert Release.objects.get(pk=release.pk).pinned_related.count() == 0


def test_the_admin_is_named_after_the_newsroom(client, settings):
    name_the_organization("City of Houston Newsroom")
    login = client.get("/admin/login/").content.decode()
    client.force_login(make_user("erin", "Editor"))
    index = client.get("/admin/").content.decode()
    for page in (login, index):
        assert "Django administration" not in page and "Django site admin" not in page
        assert (
            re.search(r'<div id="site-name"><a href="/admin/"[^>]*>(.*?)</a></div>', page).group(1)
            == "City of Houston Newsroom"
        )
    assert re.search(r"<title>(.*?)</title>", index).group(1) == (
        "Site administration | City of Houston Newsroom"
    )
