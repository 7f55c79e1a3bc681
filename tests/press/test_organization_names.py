"""Organizations keep their former names (issue 16, defect 5): a release prints the byline's
name in force on its date, written down at publication like the boilerplate; the organization
page says what it was called; search finds the old names; the old address still answers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from press.models import OrganizationName, Quote, Release
from press.search import organizations_found
from tests.factories import (
    make_draft,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_role,
    make_user,
)
from tests.markup import links, section, text
from tests.pages import get_page

UTC = datetime.UTC


def rename(organization, name, slug, old_until):
    """What an editor does in the admin: the new name and address, the old name kept."""
    OrganizationName.objects.create(
        organization=organization, name=organization.name, valid_until=old_until
    )
    organization.name, organization.slug = name, slug
    organization.save()


def byline(page):
    return text(page.split('<p class="byline">')[1].split("</p>")[0])


@pytest.fixture
def water():
    return make_organization("Metro Water Board", boilerplate="We keep the taps running.")


@pytest.mark.django_db
def test_a_published_release_keeps_the_name_it_was_published_under(client, water):
    make_release(
        "Reservoirs refilled",
        byline=water,
        published_at=datetime.datetime(2019, 5, 2, 9, tzinfo=UTC),
    )
    rename(water, "Metro Water", "metro-water", datetime.date(2020, 6, 30))

    page = get_page(client, "/releases/2019/05/02/reservoirs-refilled/")
    assert byline(page) == "Written by Metro Water Board"
    assert text(section(page, "about-heading")).startswith("About Metro Water Board")
    assert "· Metro Water Board" in get_page(client, "/releases/")


@pytest.mark.django_db
def test_an_archive_release_entered_after_a_rename_prints_the_name_of_its_date(client, water):
    rename(water, "Metro Water", "metro-water", datetime.date(2020, 6, 30))
    editor = make_user()
    for title, day in (
        ("Old pipes", datetime.date(2020, 6, 30)),
        ("New pipes", datetime.date(2020, 7, 1)),
    ):
        draft = make_draft(title, byline=water, dateline_date=day)
        assert draft.printed_byline == ("Metro Water Board" if day.month == 6 else "Metro Water")
        draft.move("publish", editor, publish_at=datetime.datetime(2026, 1, 5, tzinfo=UTC))

    assert dict(Release.objects.values_list("title", "byline_name")) == {
        "Old pipes": "Metro Water Board",
        "New pipes": "Metro Water",
    }
    assert byline(get_page(client, "/releases/2020/06/30/old-pipes/")) == (
        "Written by Metro Water Board"
    )
    assert byline(get_page(client, "/releases/2020/07/01/new-pipes/")) == "Written by Metro Water"


@pytest.mark.django_db
def test_the_organization_page_says_what_it_was_called(client, water):
    rename(water, "Metro Water", "metro-water", datetime.date(2020, 6, 30))
    OrganizationName.objects.create(
        organization=water, name="City Waterworks", valid_until=datetime.date(2009, 12, 31)
    )
    page = get_page(client, "/organizations/metro-water/")
    assert text(page.split('class="former-names">')[1].split("</p>")[0]) == (
        "Formerly Metro Water Board (until 2020), City Waterworks (until 2009)"
    )
    assert '"alternateName": ["Metro Water Board", "City Waterworks"]' in page


@pytest.mark.django_db
def test_the_old_address_of_an_organization_redirects_to_the_new_one(client, water):
    rename(water, "Metro Water", "metro-water", datetime.date(2020, 6, 30))
    response = client.get("/organizations/metro-water-board/")
    assert (response.status_code, response["Location"]) == (301, "/organizations/metro-water/")
    assert client.get("/organizations/no-such-board/").status_code == 404


@pytest.mark.django_db
def test_search_finds_an_organization_by_a_former_name(client, water):
    rename(water, "Metro Water", "metro-water", datetime.date(2020, 6, 30))
    make_organization("Water Board of Elsewhere")
    page = get_page(client, "/search/?q=metro+board")
    assert links(section(page, "organizations-heading")) == [
        ("Metro Water", "/organizations/metro-water/")
    ]


@pytest.mark.django_db
def test_a_quote_names_the_speakers_organization_as_it_was_called_on_the_date(client, water):
    person = make_person("Tomas Okoro")
    make_role(person, water, "Director", start_date=datetime.date(2018, 1, 1))
    rename(water, "Metro Water", "metro-water", datetime.date(2020, 6, 30))
    editor = make_user()
    for title, day in (
        ("Old pipes", datetime.date(2020, 6, 30)),
        ("New pipes", datetime.date(2020, 7, 1)),
    ):
        draft = make_draft(title, byline=water, dateline_date=day)
        make_quote(draft, person)
        draft.move("publish", editor, publish_at=datetime.datetime(2026, 1, 5, tzinfo=UTC))
    assert dict(Quote.objects.values_list("release__title", "attribution")) == {
        "Old pipes": "Director, Metro Water Board",
        "New pipes": "Director, Metro Water",
    }


@pytest.mark.django_db
def test_a_published_release_given_another_byline_prints_that_ones_name_on_its_date(client):
    water = make_organization("Metro Water Board")
    city = make_organization("City of Port Amara")
    OrganizationName.objects.create(
        organization=city, name="Port Amara Council", valid_until=datetime.date(2020, 6, 30)
    )
    release = make_release(
        "Reservoirs refilled", byline=water, published_at=datetime.datetime(2019, 5, 2, tzinfo=UTC)
    )
    release.byline = city
    release.save()
    release.refresh_from_db()
    assert (release.byline_name, release.printed_byline) == ("Port Amara Council",) * 2


@pytest.mark.django_db
def test_search_reads_former_names_word_by_word_in_two_queries_whatever_the_words(water):
    """Each word may be in a former name or in the organization's own columns; a word
    written -word is in neither. The former names holding any word are read in one query."""
    rename(water, "Metro Water", "metro-water", datetime.date(2020, 6, 30))
    make_organization("Board of Rivers")
    make_organization("Metro Transit")

    def found(query):
        with CaptureQueriesContext(connection) as queries:
            names = [organization.name for organization in organizations_found(query)]
        assert len(queries) == 2
        return names

    assert found("board") == ["Board of Rivers", "Metro Water"]
    assert found("metro board") == ["Metro Water"]
    assert found("metro -board") == ["Metro Transit"]
    assert found("metro water -board") == []
    assert found("rivers board metro") == []
