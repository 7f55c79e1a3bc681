"""/api/v1/releases/: live releases only, whatever the filter, with constant queries a page."""

import datetime

import pytest
from django.utils import timezone

from press.models import Release
from tests.factories import (
    make_draft,
    make_expired,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_scheduled,
    make_topic,
)

HIDDEN = ["Secret draft heat plan", "Embargoed heat plan", "Expired heat plan", "Archived plan"]


def make_world():
    """One live release and a draft, a scheduled, an expired and an archived one, all sharing
    topic, person, organization and translation group: every filter could leak them."""
    rcn = make_organization("Resilient Cities Network")
    houston = make_organization("City of Houston")
    turner = make_person("Sylvester Turner")
    heat = make_topic("Extreme Heat")
    live = make_release("Live heat plan", byline=rcn, language="en")
    hidden = [
        make_draft(HIDDEN[0], byline=rcn),
        make_scheduled(HIDDEN[1], byline=rcn),
        make_expired(HIDDEN[2], byline=rcn),
        make_release(HIDDEN[3], byline=rcn, status=Release.Status.ARCHIVED),
    ]
    for release in [live, *hidden]:
        release.topics.set([heat])
        release.people.set([turner])
        release.organizations.set([houston])
        make_quote(release, turner, f"Quote of {release.title}.")
        if release is not live:
            Release.objects.filter(pk=release.pk).update(
                translation_key=live.translation_key, language="es"
            )
    return live, hidden


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


@pytest.mark.django_db
def test_the_list_holds_live_releases_newest_first_with_what_a_partner_needs(client):
    make_organization("Resilient Cities Network")
    older = make_release("Older", published_at=timezone.now() - datetime.timedelta(days=3))
    newer = make_release("Newer", subtitle="A subtitle", language="pt-br")
    response = client.get("/api/v1/releases/")
    assert titles(response) == ["Newer", "Older"]
    item = response.json()["results"][0]
    assert item["id"] == newer.pk
    assert item["language"] == "pt-BR"
    assert item["subtitle"] == "A subtitle"
    assert item["url"] == f"http://testserver{newer.get_absolute_url()}"
    assert item["ninjs_url"] == f"http://testserver/api/v1/releases/{newer.pk}/ninjs"
    assert item["byline"] == {
        "slug": "resilient-cities-network",
        "name": "Resilient Cities Network",
    }
    assert item["translation_key"] == str(newer.translation_key)
    assert older.pk != newer.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?topic=extreme-heat",
        "?organization=city-of-houston",
        "?organization=resilient-cities-network",
        "?person=sylvester-turner",
        "?language=es",
        "?language=en",
        "?updated_since=2000-01-01T00:00:00Z",
    ],
)
def test_no_filter_lets_a_draft_an_embargoed_an_expired_or_an_archived_release_through(
    client, query
):
    live, hidden = make_world()
    found = titles(client.get(f"/api/v1/releases/{query}"))
    assert not set(found) & set(HIDDEN)
    assert found == ([] if query == "?language=es" else ["Live heat plan"])


@pytest.mark.django_db
def test_the_translation_group_filter_gives_the_live_translations_only(client):
    live, hidden = make_world()
    spanish = make_release("Plan de calor", language="es")
    Release.objects.filter(pk=spanish.pk).update(translation_key=live.translation_key)
    found = titles(client.get(f"/api/v1/releases/?translation_key={live.translation_key}"))
    assert found == ["Plan de calor", "Live heat plan"]


@pytest.mark.django_db
def test_hidden_releases_have_no_detail_and_no_ninjs(client):
    live, hidden = make_world()
    for release in hidden:
        assert client.get(f"/api/v1/releases/{release.pk}/").status_code == 404
        assert client.get(f"/api/v1/releases/{release.pk}/ninjs").status_code == 404
    assert client.get("/api/v1/releases/999999/").status_code == 404


@pytest.mark.django_db
def test_the_detail_shows_body_quotes_and_live_translations_only(client):
    live, hidden = make_world()
    spanish = make_release("Plan de calor", language="es")
    Release.objects.filter(pk=spanish.pk).update(translation_key=live.translation_key)
    data = client.get(f"/api/v1/releases/{live.pk}/").json()
    assert data["body_html"] == "<p>Body of Live heat plan.</p>"
    assert [quote["text"] for quote in data["quotes"]] == ["Quote of Live heat plan."]
    assert [t["title"] for t in data["translations"]] == ["Plan de calor"]
    assert not any(title in str(data) for title in HIDDEN)


@pytest.mark.django_db
def test_updated_since_gives_the_releases_changed_since(client):
    make_release("Unchanged")
    changed = make_release("Changed", published_at=timezone.now() - datetime.timedelta(days=9))
    since = timezone.now()
    changed.save()
    found = titles(client.get("/api/v1/releases/", {"updated_since": since.isoformat()}))
    assert found == ["Changed"]


@pytest.mark.django_db
def test_cursor_pages_walk_the_whole_list_once(client):
    make_organization()
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(7):
        make_release(f"Release {day}", published_at=start + datetime.timedelta(days=day))
    # Two published at the same moment: the cursor still gives each once.
    make_release("Twin A", published_at=start + datetime.timedelta(days=3))
    seen, url = [], "/api/v1/releases/?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [item["title"] for item in page["results"]]
        url = page["next"]
    assert len(seen) == 8 and len(set(seen)) == 8
    assert seen[0] == "Release 6" and seen[-1] == "Release 0"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3, 20])
def test_a_page_of_releases_costs_the_same_queries_whatever_its_size(
    client, django_assert_num_queries, count
):
    rcn = make_organization()
    person = make_person()
    topic = make_topic()
    for number in range(count):
        release = make_release(f"Release {number}", byline=rcn, topics=[topic])
        release.people.set([person])
        release.organizations.set([rcn])
    # The page of releases with their bylines; their topics; people; organizations.
    with django_assert_num_queries(4):
        response = client.get("/api/v1/releases/")
    assert len(response.json()["results"]) == count


@pytest.mark.django_db
def test_a_cursor_the_api_did_not_give_is_refused(client):
    response = client.get("/api/v1/releases/?cursor=not-a-cursor")
    assert response.status_code == 400
    assert response.json() == {"detail": "This cursor is not one the API gave."}
