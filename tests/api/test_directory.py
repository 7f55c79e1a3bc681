"""/api/v1/topics/, people/, organizations/, press-offices/: what the public pages show,
nothing more (no topic only drafts use, no private contact, no person's email)."""

import datetime

import pytest

from tests.factories import (
    make_draft,
    make_office,
    make_organization,
    make_person,
    make_press_contact,
    make_release,
    make_role,
    make_scheduled,
    make_topic,
)


@pytest.mark.django_db
def test_topics_are_those_of_live_releases_by_name(client):
    make_organization()
    make_release("Live", topics=[make_topic("Water"), make_topic("Heat")])
    make_draft("Draft", topics=[make_topic("Secret draft topic")])
    make_scheduled("Scheduled", topics=[make_topic("Embargoed topic")])
    data = client.get("/api/v1/topics/").json()
    assert [topic["name"] for topic in data["results"]] == ["Heat", "Water"]
    assert data["results"][0]["url"] == "http://testserver/topics/heat/"


@pytest.mark.django_db
def test_people_come_with_their_roles_and_without_their_contact_details(client):
    rcn = make_organization("Resilient Cities Network")
    sorkin = make_person("Lauren Sorkin", email="lauren@example.org", phone="+1 555 0100")
    make_role(sorkin, rcn, "Executive Director", start_date=datetime.date(2020, 1, 1))
    make_role(sorkin, rcn, "Deputy", start_date=datetime.date(2017, 1, 1), end_date=None)
    response = client.get("/api/v1/people/")
    [person] = response.json()["results"]
    assert person["name"] == "Lauren Sorkin"
    assert [role["title"] for role in person["roles"]] == ["Executive Director", "Deputy"]
    assert person["roles"][0]["organization"] == {
        "slug": "resilient-cities-network",
        "name": "Resilient Cities Network",
    }
    assert b"lauren@example.org" not in response.content and b"0100" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_a_page_of_people_costs_the_same_queries_whatever_its_size(
    client, django_assert_num_queries, count
):
    rcn = make_organization()
    for number in range(count):
        make_role(make_person(f"Person {number}"), rcn)
    with django_assert_num_queries(2):  # the people; their roles with organizations
        client.get("/api/v1/people/")


@pytest.mark.django_db
def test_organizations_are_listed_by_name_with_their_parent(client):
    rcn = make_organization("Resilient Cities Network")
    make_organization("City of Houston", parent=rcn, city="Houston")
    data = client.get("/api/v1/organizations/").json()["results"]
    assert [org["name"] for org in data] == ["City of Houston", "Resilient Cities Network"]
    assert data[0]["parent"] == {"slug": "resilient-cities-network", "name": rcn.name}
    assert data[1]["parent"] is None


@pytest.mark.django_db
def test_press_offices_show_public_contacts_only(client):
    office = make_office("New York City")
    make_press_contact("Thomas Halaczinsky", office=office)
    make_press_contact("Private Person", office=office, is_public=False)
    make_press_contact("Global Contact")
    response = client.get("/api/v1/press-offices/")
    data = response.json()
    assert [contact["name"] for contact in data["global_contacts"]] == ["Global Contact"]
    [new_york] = data["offices"]
    assert new_york["time_zone"] == "America/New_York"
    assert [contact["name"] for contact in new_york["contacts"]] == ["Thomas Halaczinsky"]
    assert b"Private Person" not in response.content
