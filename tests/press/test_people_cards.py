"""People shown with their photos and current role: the person page, an organization's people,
the leadership page; the photos' renditions read in one query for the whole page."""

import datetime
import re

import pytest
from django.test.utils import override_settings

from press.renditions import renditions_for
from tests.factories import make_image_file, make_organization, make_person, make_role
from tests.markup import elements, section, text
from tests.pages import count_queries, get_page


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads and renditions go to a fresh directory, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def photographed(name):
    slug = name.lower().replace(" ", "-")
    return make_person(name, slug=slug, photo=make_image_file(f"{slug}.jpg", size=(600, 600)))


@pytest.mark.django_db
def test_the_person_page_leads_with_their_photo_and_current_role_only(client):
    houston = make_organization("City of Houston")
    turner = photographed("Sylvester Turner")
    make_role(turner, houston, "Mayor", start_date=datetime.date(2016, 1, 4))
    make_role(turner, houston, "State Representative", start_date=datetime.date(1989, 1, 10),
              end_date=datetime.date(2016, 1, 1))  # fmt: skip
    page = get_page(client, "/people/sylvester-turner/")
    profile = re.search(r'<div class="profile">.*?</h1>.*?</p>', page, re.S).group()
    assert re.findall(r'<p class="current-role">(.*?)</p>', page) == [
        'Mayor, <a href="/organizations/city-of-houston/">City of Houston</a>'
    ]
    (photo,) = elements(profile, "img")
    renditions = renditions_for(turner.photo)
    assert (photo["src"], photo["width"], photo["height"], photo["alt"]) == (
        f"/media/{renditions[-1].file.name}",
        "600",
        "600",
        "",
    )


@pytest.mark.django_db
def test_an_organizations_people_show_photo_name_and_role(client):
    rcn = make_organization("Resilient Cities Network")
    make_role(photographed("Lauren Sorkin"), rcn, "Executive Director", kind="executive")
    make_role(make_person("Ana Gomez"), rcn, "Board member", kind="board")
    people = section(get_page(client, "/organizations/resilient-cities-network/"), "people-heading")
    cards = re.findall(r'<li class="person-card">.*?</li>', people, re.S)
    assert [text(card) for card in cards] == [
        "Ana Gomez, Board member",
        "Lauren Sorkin, Executive Director",
    ]
    # Without a photo, an empty disc keeps the list in line.
    assert [len(elements(card, "img")) for card in cards] == [0, 1]
    assert '<div class="person-photo"></div>' in cards[0]


@pytest.mark.django_db
@override_settings(NEWSROOM_ORGANIZATION="resilient-cities-network")
@pytest.mark.parametrize("url", ["/organizations/resilient-cities-network/", "/leadership/"])
def test_photos_cost_one_query_for_the_page_with_one_or_three_people(client, url):
    rcn = make_organization("Resilient Cities Network", slug="resilient-cities-network")

    def add(name):
        make_role(photographed(name), rcn, "Board member", kind="board")

    add("Person One")
    get_page(client, url)  # the first request makes the renditions
    one = count_queries(client, url)
    add("Person Two")
    add("Person Three")
    get_page(client, url)
    assert count_queries(client, url) == one
    # Leadership: the organization running the site; its current board and executives with
    # their people; the renditions of all their photos (the site settings are cached).
    if url == "/leadership/":
        assert one == 3
