"""The public pages around releases: home, the release list, topics, people, organizations."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from press.models import Release
from tests.factories import (
    make_draft,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_role,
    make_topic,
)
from tests.markup import card_titles, links, section, text
from tests.pages import count_queries, get_page, renders_of


def on(month, day, year=2021):
    return datetime.datetime(year, month, day, 1, tzinfo=datetime.UTC)


# Topic


@pytest.mark.django_db
def test_topic_page_shows_the_topic_and_its_live_releases_newest_first(client):
    heat = make_topic("Extreme Heat", description="Cities facing hotter summers.")
    make_release("Heat plan", published_at=on(9, 1), topics=[heat])
    make_release("Heat officers", published_at=on(9, 23), topics=[heat])
    make_release("Water plan", published_at=on(9, 24), topics=[make_topic("Water")])
    make_draft("Heat draft", topics=[heat])
    page = get_page(client, "/topics/extreme-heat/")
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Extreme Heat"]
    assert re.findall(r'<p class="lead">(.*?)</p>', page) == ["Cities facing hotter summers."]
    assert card_titles(page) == ["Heat officers", "Heat plan"]


@pytest.mark.django_db
def test_unknown_topic_is_not_found(client):
    make_topic("Extreme Heat")
    assert client.get("/topics/no-such-topic/").status_code == 404


@pytest.mark.django_db
def test_topic_page_makes_the_same_queries_with_one_or_three_releases(client):
    url = "/topics/extreme-heat/"
    heat = make_topic("Extreme Heat")
    make_release("Heat 1", published_at=on(9, 1), topics=[heat])
    one = count_queries(client, url), count_queries(client, url)
    make_release("Heat 2", published_at=on(9, 2), topics=[heat])
    make_release("Heat 3", published_at=on(9, 3), topics=[heat])
    assert (count_queries(client, url), count_queries(client, url)) == one
    # After a content change: the topic; the next scheduled change (for the cache); its live
    # releases counted for the paginator; the page of them with bylines (all then kept).
    # Later requests: none.
    assert one == (4, 0)


# Person


def make_turner():
    houston = make_organization("City of Houston")
    turner = make_person("Sylvester Turner", bio="Mayor of Houston.")
    make_role(turner, houston, "Mayor", start_date=datetime.date(2016, 1, 4))
    make_role(
        turner,
        houston,
        "State Representative",
        start_date=datetime.date(1989, 1, 10),
        end_date=datetime.date(2016, 1, 1),
    )
    return turner


@pytest.mark.django_db
def test_person_page_lists_roles_with_their_dates_current_first(client):
    make_turner()
    roles = section(get_page(client, "/people/sylvester-turner/"), "roles-heading")
    assert [text(item) for item in re.findall(r"<li>.*?</li>", roles, re.S)] == [
        "Mayor, City of Houston (from 4 January 2016, current)",
        "State Representative, City of Houston (from 10 January 1989 to 1 January 2016)",
    ]
    assert links(roles) == [
        ("City of Houston", "/organizations/city-of-houston/"),
        ("City of Houston", "/organizations/city-of-houston/"),
    ]


@pytest.mark.django_db
def test_person_page_does_not_call_a_role_that_has_not_begun_current(client):
    turner = make_turner()
    make_role(turner, make_organization("Resilient Cities Network"), "Board member-elect",
              start_date=datetime.date(2099, 1, 1))  # fmt: skip
    roles = section(get_page(client, "/people/sylvester-turner/"), "roles-heading")
    assert [text(item) for item in re.findall(r"<li>.*?</li>", roles, re.S)][0] == (
        "Board member-elect, Resilient Cities Network (from 1 January 2099)"
    )


@pytest.mark.django_db
def test_person_page_lists_a_role_with_no_start_date_as_the_oldest_on_every_database(client):
    # As attributions do (Person.attribution_on): an unknown start counts as the earliest.
    turner = make_turner()
    make_role(turner, make_organization("Resilient Cities Network"), "Board member")
    roles = section(get_page(client, "/people/sylvester-turner/"), "roles-heading")
    assert [text(item) for item in re.findall(r"<li>.*?</li>", roles, re.S)] == [
        "Mayor, City of Houston (from 4 January 2016, current)",
        "State Representative, City of Houston (from 10 January 1989 to 1 January 2016)",
        "Board member, Resilient Cities Network (current)",
    ]


@pytest.mark.django_db
def test_person_page_shows_their_quotes_with_a_link_to_the_release(client):
    turner = make_turner()
    release = make_release("Heat plan", published_at=on(9, 23))
    make_quote(release, turner, "Heat is a silent killer.")
    quotes = section(get_page(client, "/people/sylvester-turner/"), "quotes-heading")
    assert re.findall(r"<blockquote><p>(.*?)</p></blockquote>", quotes) == [
        "“Heat is a silent killer.”"
    ]
    assert text(re.search(r"<figcaption>.*?</figcaption>", quotes).group()) == (
        "Sylvester Turner, Mayor, City of Houston, in Heat plan, 23 September 2021"
    )
    assert links(quotes) == [("Heat plan", "/releases/2021/09/23/heat-plan/")]


@pytest.mark.django_db
def test_person_page_lists_the_releases_mentioning_them(client):
    turner = make_turner()
    make_release("Heat plan", published_at=on(9, 1)).people.set([turner])
    make_release("Heat officers", published_at=on(9, 23)).people.set([turner])
    make_release("Not about him", published_at=on(9, 24))
    page = get_page(client, "/people/sylvester-turner/")
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Sylvester Turner"]
    assert card_titles(section(page, "releases-heading")) == ["Heat officers", "Heat plan"]


@pytest.mark.django_db
def test_unknown_person_is_not_found(client):
    make_turner()
    assert client.get("/people/no-such-person/").status_code == 404


@pytest.mark.django_db
def test_person_page_makes_the_same_queries_with_one_or_three_of_everything(client):
    turner = make_person("Sylvester Turner")

    def add(n):
        make_role(turner, make_organization(f"Org {n}"), "Board member")
        release = make_release(f"Release {n}", published_at=on(9, n))
        release.people.add(turner)
        make_quote(release, turner, f"Quote {n}.")

    add(1)
    one = count_queries(client, "/people/sylvester-turner/")
    add(2)
    add(3)
    assert count_queries(client, "/people/sylvester-turner/") == one
    # The first request after a change: the next scheduled change (until when the page's
    # values may be kept); the person; their roles with organizations; their live quotes with
    # releases; the live releases mentioning them with bylines.
    assert one == 5
    # Then they are kept: the page is rendered again without a query.
    assert count_queries(client, "/people/sylvester-turner/") == 0


@pytest.mark.django_db
def test_person_page_sorts_their_quotes_without_the_releases_long_texts(client):
    """A busy speaker has thousands of quotes, sorted before the latest are kept: a sort
    carrying each release's body and search vector is many times slower."""
    turner = make_person("Sylvester Turner")
    release = make_release("Heat plan", body="<p>A long body.</p>")
    make_quote(release, turner, "We are ready.")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/people/sylvester-turner/").content.decode()
    assert "We are ready." in page
    quotes_query = next(query["sql"] for query in queries if 'FROM "press_quote"' in query["sql"])
    for column in ("body", "search_vector", "boilerplate"):
        assert f'"press_release"."{column}"' not in quotes_query


# Organization


def make_rcn():
    houston = make_organization("City of Houston")
    rcn = make_organization("Resilient Cities Network", boilerplate="We help 100 cities.")
    office = make_organization("Houston Office of Resilience", parent=houston)
    sorkin, turner = make_person("Lauren Sorkin"), make_person("Sylvester Turner")
    make_role(sorkin, rcn, "Executive Director", kind="executive")
    make_role(turner, rcn, "Chair of the Board", kind="board")
    make_role(make_person("Ana Gomez"), rcn, "Board member", kind="board")
    make_role(
        make_person("Former Fred"),
        rcn,
        "Board member",
        kind="board",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2020, 1, 1),
    )
    make_role(
        make_person("Future Fay"),
        rcn,
        "Board member",
        kind="board",
        start_date=datetime.date(2099, 1, 1),
    )
    return rcn, office


@pytest.mark.django_db
def test_organization_page_shows_its_boilerplate_and_current_people_by_kind(client):
    make_rcn()
    page = get_page(client, "/organizations/resilient-cities-network/")
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Resilient Cities Network"]
    assert (
        text(section(page, "about-heading")) == "About Resilient Cities Network We help 100 cities."
    )
    people = section(page, "people-heading")
    assert re.findall(r"<h3>(.*?)</h3>", people) == ["Board", "Executive"]
    assert [text(item) for item in re.findall(r"<li[^>]*>.*?</li>", people, re.S)] == [
        "Ana Gomez, Board member",
        "Sylvester Turner, Chair of the Board",
        "Lauren Sorkin, Executive Director",
    ]


@pytest.mark.django_db
def test_organization_page_lists_releases_it_wrote_and_releases_mentioning_it(client):
    rcn, _ = make_rcn()
    houston = make_organization("Other Org")
    make_release("Written by RCN", byline=rcn, published_at=on(9, 1))
    make_release("Written later by RCN", byline=rcn, published_at=on(9, 2))
    make_release("About RCN", byline=houston, published_at=on(9, 3)).organizations.set([rcn])
    make_release("About someone else", byline=houston, published_at=on(9, 4))
    page = get_page(client, "/organizations/resilient-cities-network/")
    assert card_titles(section(page, "bylined-heading")) == [
        "Written later by RCN",
        "Written by RCN",
    ]
    assert card_titles(section(page, "mentioned-heading")) == ["About RCN"]


@pytest.mark.django_db
def test_organization_page_links_to_the_body_it_belongs_to(client):
    make_rcn()
    page = get_page(client, "/organizations/houston-office-of-resilience/")
    meta = re.search(r'<p class="meta">(.*?)</p>', page).group(1)
    assert links(meta) == [("City of Houston", "/organizations/city-of-houston/")]
    assert text(meta) == "Other · Part of City of Houston"


@pytest.mark.django_db
def test_unknown_organization_is_not_found(client):
    make_rcn()
    assert client.get("/organizations/no-such-organization/").status_code == 404


@pytest.mark.django_db
def test_organization_page_makes_the_same_queries_with_one_or_three_of_everything(client):
    rcn = make_organization("Resilient Cities Network")
    other = make_organization("Other Org")

    def add(n):
        make_role(make_person(f"Person {n}"), rcn, "Board member")
        make_release(f"By RCN {n}", byline=rcn, published_at=on(9, n))
        release = make_release(f"About RCN {n}", byline=other, published_at=on(9, n))
        release.organizations.add(rcn)

    add(1)
    one = count_queries(client, "/organizations/resilient-cities-network/")
    add(2)
    add(3)
    assert count_queries(client, "/organizations/resilient-cities-network/") == one
    # The first request after a change: the next scheduled change (until when the page's
    # values may be kept); the organization with its parent; its former names; its current
    # roles with people; the live releases it wrote; the live releases mentioning it (both with
    # bylines).
    assert one == 6
    # Then they are kept: the page is rendered again without a query.
    assert count_queries(client, "/organizations/resilient-cities-network/") == 0


# Home


@pytest.mark.django_db
def test_home_leads_with_the_newest_release_then_the_nine_after_it(client):
    for day in range(1, 12):
        make_release(f"Release of September {day}", published_at=on(9, day))
    make_draft("Draft")
    page = get_page(client, "/")
    assert re.findall(r'id="lead-title"[^>]*><a href="[^"]*">([^<]*)</a>', page) == [
        "Release of September 11"
    ]
    assert card_titles(page) == [f"Release of September {day}" for day in range(10, 1, -1)]


@pytest.mark.django_db
def test_home_shows_popular_topics_and_links_to_press_contacts(client):
    heat, water = make_topic("Extreme Heat"), make_topic("Water")
    make_release("Heat plan", published_at=on(9, 1), topics=[heat, water])
    make_release("Heat officers", published_at=on(9, 2), topics=[heat])
    page = get_page(client, "/")
    assert text(section(page, "popular-heading")) == "Popular Topics Extreme Heat (2) Water (1)"
    assert links(section(page, "contacts-heading")) == [
        ("Press contacts by office", "/press-contacts/")
    ]


@pytest.mark.django_db
def test_home_ends_with_the_sign_up_form_offering_the_popular_topics(client):
    heat, water = make_topic("Extreme Heat"), make_topic("Water")
    make_release("Heat plan", published_at=on(9, 1), topics=[heat, water])
    signup = section(get_page(client, "/"), "newsletter-heading")
    assert re.findall(r'<form method="post" action="([^"]*)"', signup) == ["/subscribe/"]
    assert re.findall(r'<label for="id_topics_\d+">([^<]*)</label>', signup) == [
        "Extreme Heat",
        "Water",
    ]


@pytest.mark.django_db
def test_home_makes_the_same_queries_with_one_or_three_releases_and_topics(client):
    def add(n):
        make_release(f"Release {n}", published_at=on(9, n), topics=[make_topic(f"Topic {n}")])

    add(1)
    one = count_queries(client, "/"), count_queries(client, "/")
    add(2)
    add(3)
    assert (count_queries(client, "/"), count_queries(client, "/")) == one
    # After a content change: 1. the next scheduled change (until when values may be kept),
    # 2. the pinned release (the lead story), 3. the latest live releases with bylines (the
    # lead when none is pinned), 4. the popular topics: the topics with their live counts and
    # reads, in one statement (the sign-up form reuses them). Then all of it is kept.
    assert one == (4, 0)


# Release list


@pytest.mark.django_db
def test_release_list_shows_twenty_per_page_newest_first(client):
    for day in range(1, 22):
        make_release(f"Release of September {day}", published_at=on(9, day))
    first = get_page(client, "/releases/")
    assert card_titles(first) == [f"Release of September {day}" for day in range(21, 1, -1)]
    assert links(re.search(r'<nav class="pagination".*?</nav>', first, re.S).group()) == [
        ("Older releases", "?page=2")
    ]
    second = get_page(client, "/releases/?page=2")
    assert card_titles(second) == ["Release of September 1"]
    assert "Page 2 of 2" in second


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "0", "-1", "999"])
def test_release_list_copes_with_a_page_number_that_is_not_one(client, page):
    make_release("Heat plan")
    assert card_titles(get_page(client, f"/releases/?page={page}")) == ["Heat plan"]


@pytest.mark.django_db
def test_release_list_makes_the_same_queries_with_one_or_three_releases(client):
    make_release("Release 1", published_at=on(9, 1))
    one = count_queries(client, "/releases/"), count_queries(client, "/releases/")
    make_release("Release 2", published_at=on(9, 2))
    make_release("Release 3", published_at=on(9, 3))
    assert (count_queries(client, "/releases/"), count_queries(client, "/releases/")) == one
    # After a content change: 1. the next scheduled change (for the cache), 2. the live
    # releases counted for the paginator, 3. the page of them with bylines, 4. the years of
    # the archive. Later requests: none, the count, the page and the years being kept.
    assert one == (4, 0)


@pytest.mark.django_db
def test_an_archive_for_year_zero_is_not_found(client):
    assert client.get("/releases/0000/01/").status_code == 404
    assert client.get("/releases/0000/").status_code == 404


# Every page: the part showing releases is rendered once until content changes


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?language=all",
        "/releases/",
        "/releases/?page=2",
        "/releases/2021/",
        "/topics/extreme-heat/",
        "/people/sylvester-turner/",
        "/organizations/resilient-cities-network/",
    ],
)
def test_a_page_rendered_again_shows_its_releases_from_its_kept_part_until_content_changes(
    client, url
):
    """Each request renders the page (the page cache is off in tests), but its cards only when
    what they show has changed ({% kept %})."""
    heat, rcn = make_topic("Extreme Heat"), make_organization("Resilient Cities Network")
    turner = make_person("Sylvester Turner")
    for day in range(1, 23):
        release = make_release(
            f"Release of September {day}", published_at=on(9, day), topics=[heat], byline=rcn
        )
        release.people.add(turner)
    with renders_of("press/includes/release_card.html") as cards:
        first = get_page(client, url)
    assert cards
    with renders_of("base.html") as pages, renders_of("press/includes/release_card.html") as cards:
        again = get_page(client, url)
    assert (len(pages), cards) == (1, [])
    assert card_titles(again) == card_titles(first)

    make_release("Release of September 30", published_at=on(9, 30), topics=[heat], byline=rcn)
    Release.objects.get(title="Release of September 30").people.add(turner)
    with renders_of("press/includes/release_card.html") as cards:
        changed = get_page(client, url)
    assert cards
    assert card_titles(changed) != card_titles(first)


@pytest.mark.django_db
def test_a_part_rendered_for_a_query_the_page_does_not_declare_is_not_kept(client):
    """The pagination links keep the query: a part rendered for ?utm_source=... (or anything
    a stranger types) would show their parameter to every reader after them."""
    for day in range(1, 23):
        make_release(f"Release of September {day}", published_at=on(9, day))
    tagged = get_page(client, "/releases/?utm_source=newsletter&x=%22planted%22")
    assert "utm_source=newsletter" in tagged and "planted" in tagged
    with renders_of("press/includes/release_card.html") as cards:
        plain = get_page(client, "/releases/")
    assert cards  # rendered afresh: nothing was kept for the tagged address
    assert "utm_source" not in plain and "planted" not in plain
    assert ("Older releases", "?page=2") in links(plain)
