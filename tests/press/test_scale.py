"""What keeps the public pages cheap at 100,000 releases stays right: cached counts, years and
popular topics follow every change, and saves write no more than they must."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from press.kept import QUOTES_SHOWN
from press.models import Quote, Release, ReleaseRead, SlugRedirect, Topic
from tests.factories import (
    days_ago,
    make_draft,
    make_person,
    make_quote,
    make_release,
    make_topic,
    make_user,
)
from tests.markup import card_titles, section, text
from tests.pages import get_page


@pytest.mark.django_db
def test_the_cached_release_count_and_years_follow_publishing_and_unpublishing(client):
    make_release("Heat plan", published_at=datetime.datetime(2021, 9, 1, tzinfo=datetime.UTC))
    for day in range(2, 22):
        make_release(f"Release {day}", published_at=days_ago(day))
    page = get_page(client, "/releases/")
    assert "Page 1 of 2" in page
    assert 'href="/releases/2021/"' in page

    draft = make_draft("Draft of 2019", dateline_date=datetime.date(2019, 5, 1))
    editor = make_user()
    draft.move("publish", editor, publish_at=datetime.datetime(2019, 5, 1, tzinfo=datetime.UTC))
    page = get_page(client, "/releases/")
    assert "Page 1 of 2" in page
    assert 'href="/releases/2019/"' in page
    assert "Draft of 2019" in get_page(client, "/releases/?page=2")

    draft.refresh_from_db()
    draft.move("unpublish", editor)
    Release.objects.get(title="Heat plan").move("unpublish", editor)
    page = get_page(client, "/releases/")
    assert 'rel="next"' not in page  # 20 live releases: one page
    assert 'href="/releases/2019/"' not in page
    assert 'href="/releases/2021/"' not in page


@pytest.mark.django_db
def test_the_cached_popular_topics_follow_publishing_and_unpublishing(client):
    heat, water = make_topic("Extreme Heat"), make_topic("Water")
    make_release("Heat plan", topics=[heat])
    draft = make_draft("Water plan", topics=[water])

    def popular():
        return text(section(get_page(client, "/"), "popular-heading"))

    assert popular() == "Popular Topics Extreme Heat (1)"
    editor = make_user()
    draft.move("publish", editor)
    assert popular() == "Popular Topics Extreme Heat (1) Water (1)"
    draft.move("unpublish", editor)
    assert popular() == "Popular Topics Extreme Heat (1)"


@pytest.mark.django_db
def test_popular_list_agrees_with_the_popular_queryset():
    topics = [make_topic(f"Topic {n}") for n in range(5)]
    releases = [
        make_release("One", topics=topics[:3]),
        make_release("Two", topics=topics[1:4]),
        make_release("Three", topics=[topics[4]]),
    ]
    make_draft("Draft", topics=topics)
    for release, reads in zip(releases, [5, 2, 9], strict=True):
        ReleaseRead.objects.create(release=release, day=timezone.localdate(), count=reads)
    # Too old to count.
    ReleaseRead.objects.create(
        release=releases[0], day=timezone.localdate() - datetime.timedelta(days=40), count=99
    )
    expected = [
        (topic.name, topic.live_count, topic.recent_reads) for topic in Topic.objects.popular()
    ]
    assert [
        (topic.name, topic.live_count, topic.recent_reads) for topic in Topic.objects.popular_list()
    ] == expected
    assert expected == [
        ("Topic 4", 1, 9),
        ("Topic 1", 2, 7),
        ("Topic 2", 2, 7),
        ("Topic 0", 1, 5),
        ("Topic 3", 1, 2),
    ]


@pytest.mark.django_db
def test_the_person_page_shows_only_the_latest_quotes(client):
    person = make_person("Lauren Sorkin")
    for n in range(QUOTES_SHOWN + 2):
        release = make_release(f"Release {n}", published_at=days_ago(n + 1))
        make_quote(release, person, text=f"Quote number {n}.")
    page = get_page(client, "/people/lauren-sorkin/")
    assert page.count('<figure class="quote">') == QUOTES_SHOWN
    assert "Quote number 0." in page
    assert f"Quote number {QUOTES_SHOWN}." not in page


@pytest.mark.django_db
def test_saving_a_loaded_release_neither_reads_it_again_nor_touches_redirects():
    make_release("Heat plan")
    release = Release.objects.get()
    release.title = "Heat plan, revised"
    with CaptureQueriesContext(connection) as queries:
        release.save()
    statements = [query["sql"].split()[0] for query in queries]
    # The UPDATE of the row, and on PostgreSQL the search vector's.
    expected = ["UPDATE", "UPDATE"] if connection.vendor == "postgresql" else ["UPDATE"]
    assert statements == expected


@pytest.mark.django_db
def test_a_changed_address_still_leaves_a_redirect_when_saved_from_a_loaded_release(client):
    make_release("Heat plan", slug="heat-plan")
    release = Release.objects.get()
    old_url = release.get_absolute_url()
    release.slug = "heat-action-plan"
    release.save()
    assert SlugRedirect.objects.filter(slug="heat-plan").count() == 1
    assert client.get(old_url).status_code == 301
    release.slug = "heat-plan"
    release.save()  # back at its old address: no redirect away from itself
    assert not SlugRedirect.objects.filter(slug="heat-plan").exists()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors: PostgreSQL only")
def test_quotes_saved_together_refresh_the_search_vector_once():
    release = make_release("Heat plan")
    person = make_person()
    with CaptureQueriesContext(connection) as queries:
        with release.search_vector_refreshed_once():
            for n in range(3):
                Quote.objects.create(release=release, person=person, text=f"Mangroves {n}")
    updates = [query for query in queries if "search_vector" in query["sql"]]
    assert len(updates) == 1
    assert Release.objects.filter(search_vector="mangroves").get() == release


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranked search: PostgreSQL only")
def test_a_search_with_more_matches_than_are_ranked_says_more_than(client, monkeypatch):
    monkeypatch.setattr("press.search.RANKED", 3)
    for n in range(5):
        make_release(f"Mangrove plan {n}", published_at=days_ago(n + 1))
    page = get_page(client, "/search/?q=mangrove")
    assert "More than 3 results" in page
    # The newest three, the best first.
    assert sorted(card_titles(page)) == ["Mangrove plan 0", "Mangrove plan 1", "Mangrove plan 2"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranked search: PostgreSQL only")
def test_a_quoted_phrase_ranks_fewer_of_its_newest_matches_than_words_do(client, monkeypatch):
    """A phrase's matches are found by reading releases newest first, checking word positions:
    fewer are ranked, so that one phrase met rarely never reads the whole table."""
    monkeypatch.setattr("press.search.RANKED", 4)
    monkeypatch.setattr("press.search.PHRASE_RANKED", 2)
    for n in range(5):
        make_release(f"Sea level plan {n}", published_at=days_ago(n + 1))

    page = get_page(client, '/search/?q="sea level"')
    assert "More than 2 results" in page
    assert sorted(card_titles(page)) == ["Sea level plan 0", "Sea level plan 1"]
    # The same words, unquoted: as many as any search ranks.
    page = get_page(client, "/search/?q=sea level")
    assert "More than 4 results" in page
    assert len(card_titles(page)) == 4
    # A quote left open runs to the end of the query, as websearch syntax reads it.
    assert "More than 2 results" in get_page(client, '/search/?q="sea level')
