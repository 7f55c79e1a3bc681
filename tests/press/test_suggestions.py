"""Related Articles (press.suggestions.related_articles) and "You may also be interested in"
(press.suggestions.also_interesting): the edge cases of choosing from bounded candidates."""

import datetime

import pytest
from django.utils import timezone

from press.models import ReleaseRead
from press.suggestions import also_interesting, related_articles, suggestions
from tests.factories import (
    days_ago,
    make_draft,
    make_expired,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_scheduled,
    make_topic,
)


def titles(releases):
    return [release.title for release in releases]


@pytest.fixture
def heat():
    return make_topic("Heat")


@pytest.mark.django_db
def test_a_release_sharing_two_topics_outranks_a_newer_one_sharing_one(heat):
    floods = make_topic("Floods")
    release = make_release("This one", topics=[heat, floods])
    make_release("Shares both topics", published_at=days_ago(30), topics=[heat, floods])
    make_release("Shares one topic", published_at=days_ago(2), topics=[heat])
    assert titles(related_articles(release)) == ["Shares both topics", "Shares one topic"]


@pytest.mark.django_db
def test_equal_scores_are_ordered_newest_first(heat):
    release = make_release("This one", topics=[heat])
    make_release("Older", published_at=days_ago(20), topics=[heat])
    make_release("Newest", published_at=days_ago(2), topics=[heat])
    make_release("Newer", published_at=days_ago(10), topics=[heat])
    make_release("Oldest", published_at=days_ago(30), topics=[heat])
    assert titles(related_articles(release)) == ["Newest", "Newer", "Older"]


@pytest.mark.django_db
def test_the_same_place_breaks_a_tie_with_a_shared_person_whatever_the_case(heat):
    """A topic (2) and the place (1) weigh as much as a person (3): the newer wins, even when
    the person alone would be chosen first among the candidates."""
    turner = make_person("Sylvester Turner")
    release = make_release("This one", topics=[heat], dateline_place="Houston")
    release.people.set([turner])
    make_release("Shares the person", published_at=days_ago(20)).people.set([turner])
    make_release(
        "Shares the topic and the place in capitals",
        published_at=days_ago(3),
        topics=[heat],
        dateline_place="HOUSTON",
    )
    assert titles(related_articles(release, limit=1)) == [
        "Shares the topic and the place in capitals"
    ]


@pytest.mark.django_db
def test_releases_sharing_only_the_place_come_after_any_sharing_more(heat):
    release = make_release("This one", topics=[heat], dateline_place="Nairobi")
    make_release("Same place, newest", published_at=days_ago(1), dateline_place="NAIROBI")
    make_release("Same place, newer", published_at=days_ago(2), dateline_place="Nairobi")
    make_release("Same place, oldest", published_at=days_ago(3), dateline_place="nairobi")
    make_release("Shares the topic, old", published_at=days_ago(300), topics=[heat])
    make_release("Other place", published_at=days_ago(1), dateline_place="Lagos")
    assert titles(related_articles(release)) == [
        "Shares the topic, old",
        "Same place, newest",
        "Same place, newer",
    ]


@pytest.mark.django_db
def test_pinned_releases_come_first_even_sharing_nothing_but_only_when_live(heat):
    release = make_release("This one", topics=[heat])
    pinned = make_release("Pinned, shares nothing", published_at=days_ago(400))
    hidden = make_expired("Pinned but expired")
    release.pinned_related.set([pinned, hidden])
    make_release("Shares the topic", published_at=days_ago(1), topics=[heat])
    assert titles(related_articles(release)) == ["Pinned, shares nothing", "Shares the topic"]


@pytest.mark.django_db
def test_scheduled_expired_and_draft_releases_are_never_related(heat):
    turner = make_person("Sylvester Turner")
    release = make_release("This one", topics=[heat], dateline_place="Houston")
    release.people.set([turner])
    for make in (make_scheduled, make_expired, make_draft):
        hidden = make(make.__name__, topics=[heat], dateline_place="Houston")
        hidden.people.set([turner])
    make_release("Live, shares the topic", published_at=days_ago(50), topics=[heat])
    assert titles(related_articles(release)) == ["Live, shares the topic"]


@pytest.mark.django_db
def test_a_release_sharing_nothing_has_no_related_articles_and_is_never_its_own():
    release = make_release("This one")
    make_release("Another one")
    assert titles(related_articles(release)) == []


@pytest.mark.django_db
def test_a_person_with_more_releases_than_the_bound_relates_only_the_newest_created(
    monkeypatch,
):
    """The documented bound: only the newest RELATED_PER_KEY releases of each shared topic,
    person or organization, by creation (this one among them), are candidates."""
    monkeypatch.setattr("press.suggestions.RELATED_PER_KEY", 3)
    turner = make_person("Sylvester Turner")
    make_release("Created first, published last", published_at=days_ago(1)).people.set([turner])
    make_release("Created second", published_at=days_ago(6)).people.set([turner])
    make_release("Created third", published_at=days_ago(5)).people.set([turner])
    release = make_release("This one")
    release.people.set([turner])
    assert titles(related_articles(release)) == ["Created third", "Created second"]


def read(release, count, days=1):
    ReleaseRead.objects.create(
        release=release, day=timezone.localdate() - datetime.timedelta(days=days), count=count
    )


@pytest.mark.django_db
def test_interesting_releases_in_the_topics_come_most_read_first(heat):
    rcn, other = make_organization("Resilient Cities Network"), make_organization("Other")
    release = make_release("This one", byline=rcn, topics=[heat])
    read(make_release("Read 5 times", byline=other, topics=[heat]), 5)
    read(make_release("Read 9 times", byline=other, topics=[heat]), 9)
    read(make_release("Read 50 times, long ago", byline=other, topics=[heat]), 50, days=91)
    make_release("Newest of all, other topic", byline=other, published_at=days_ago(0.5))
    assert titles(also_interesting(release, exclude=[])) == [
        "Read 9 times",
        "Read 5 times",
        "Read 50 times, long ago",
    ]


@pytest.mark.django_db
def test_an_interesting_release_in_the_topics_by_the_same_byline_comes_first(heat):
    rcn, other = make_organization("Resilient Cities Network"), make_organization("Other")
    release = make_release("This one", byline=rcn, topics=[heat])
    read(make_release("In the topic, much read", byline=other, topics=[heat]), 90)
    make_release("In the topic, same byline", byline=rcn, topics=[heat], published_at=days_ago(9))
    make_release("Same byline only", byline=rcn, published_at=days_ago(0.5))
    assert titles(also_interesting(release, exclude=[])) == [
        "In the topic, same byline",
        "In the topic, much read",
        "Same byline only",
    ]


@pytest.mark.django_db
def test_interesting_releases_leave_out_the_excluded_the_hidden_and_the_release_itself(heat):
    rcn, other = make_organization("Resilient Cities Network"), make_organization("Other")
    release = make_release("This one", byline=rcn, topics=[heat])
    related = make_release("Related", byline=other, topics=[heat])
    read(related, 100)
    for make in (make_scheduled, make_expired, make_draft):
        read(make(make.__name__, byline=rcn, topics=[heat]), 100)
    make_release("Newest, other byline", byline=other, published_at=days_ago(2))
    make_release("Newer, other byline", byline=other, published_at=days_ago(3))
    make_release("Older, same byline", byline=rcn, published_at=days_ago(40))
    make_release("Oldest, other byline", byline=other, published_at=days_ago(50))
    assert titles(also_interesting(release, exclude=[related])) == [
        "Older, same byline",
        "Newest, other byline",
        "Newer, other byline",
    ]


@pytest.mark.django_db
def test_a_release_without_topics_suggests_its_bylines_newest_then_the_newest_of_all():
    rcn, other = make_organization("Resilient Cities Network"), make_organization("Other")
    release = make_release("This one", byline=rcn)
    for n in range(1, 5):
        make_release(f"Other byline {n} days old", byline=other, published_at=days_ago(n))
    make_release("Same byline, a year old", byline=rcn, published_at=days_ago(365))
    excluded = make_release("Excluded, newest", byline=rcn, published_at=days_ago(0.5))
    assert titles(also_interesting(release, exclude=[excluded], limit=4)) == [
        "Same byline, a year old",
        "Other byline 1 days old",
        "Other byline 2 days old",
        "Other byline 3 days old",
    ]


@pytest.mark.django_db
def test_releases_quoting_the_same_person_are_related_without_naming_them(
    heat, django_assert_num_queries
):
    """Issue 16: a speaker quoted counts as one of the release's people (weight 3), as if the
    editor had ticked them; quoted and named too, they count once."""
    turner = make_person("Sylvester Turner")
    release = make_release("This one")
    make_quote(release, turner, "Heat is the quiet emergency.")
    make_quote(make_release("Quotes him", published_at=days_ago(30)), turner)
    names_him = make_release("Names him and quotes him", published_at=days_ago(40))
    names_him.people.set([turner])
    make_quote(names_him, turner)
    make_release("Shares a topic only", published_at=days_ago(2), topics=[heat])
    release.topics.set([heat])
    make_quote(make_draft("A draft quoting him"), turner)
    make_release("Unrelated and newest", published_at=days_ago(1))

    with django_assert_num_queries(2):  # the ids, best first, then their cards
        related = titles(related_articles(release))
    assert related == ["Quotes him", "Names him and quotes him", "Shares a topic only"]


@pytest.mark.django_db
def test_a_release_quoting_the_same_person_is_also_interesting_before_the_bylines(
    heat, django_assert_num_queries
):
    """Issue 16: the release's people (named or quoted) count with its topics in "You may
    also be interested in", ahead of the byline's newest and the newest of all."""
    rcn = make_organization("Resilient Cities Network")
    other = make_organization("Other Org")
    turner = make_person("Sylvester Turner")
    release = make_release("This one", byline=rcn)
    make_quote(release, turner, "Heat is the quiet emergency.")
    make_quote(make_release("Quotes him", byline=other, published_at=days_ago(40)), turner)
    make_release("Names him", byline=other, published_at=days_ago(50)).people.set([turner])
    make_release("By the same byline", byline=rcn, published_at=days_ago(2))
    make_release("Newest of all", byline=other, published_at=days_ago(1))
    with django_assert_num_queries(2):  # the ids, best first, then their cards
        interesting = titles(also_interesting(release, exclude=[]))
    assert interesting == ["Quotes him", "Names him", "By the same byline"]


@pytest.mark.django_db
def test_both_lists_are_read_together_in_two_queries_and_never_share_a_release(
    heat, django_assert_num_queries
):
    """The page's two lists: the ids of both in one statement, then their cards. What
    Related Articles shows is left out of "You may also be interested in", whose places go
    to the next ones, in the same order as each list asked for on its own."""
    rcn, other = make_organization("Resilient Cities Network"), make_organization("Other")
    floods = make_topic("Floods")
    release = make_release("This one", byline=rcn, topics=[heat, floods])
    make_release("Both topics", byline=other, published_at=days_ago(9), topics=[heat, floods])
    read(make_release("Heat, much read", byline=other, topics=[heat]), 40)
    read(make_release("Floods, read", byline=other, topics=[floods], published_at=days_ago(20)), 7)
    read(make_release("Heat, old", byline=other, topics=[heat], published_at=days_ago(60)), 3)
    make_release("Same byline, newest", byline=rcn, published_at=days_ago(0.5))
    make_release("Other byline, newest of all", byline=other, published_at=days_ago(0.2))

    with django_assert_num_queries(2):
        related, interesting = suggestions(release, limit=2)
    assert titles(related) == ["Both topics", "Heat, much read"]
    assert titles(interesting) == ["Floods, read", "Heat, old"]
    assert related == list(related_articles(release, limit=2))
    assert interesting == list(also_interesting(release, exclude=related, limit=2))
    assert related[0].byline.name == "Other"  # read with the card, no query more
