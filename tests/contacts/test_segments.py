"""Segments: which contacts a rule tree matches (AND, OR, negation, every kind of condition),
that it is one query, that a send takes the members of its segments as they are when it starts,
and how rules that cannot be read are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.models import ContactTag, Mailing, Segment
from contacts.models.segments import check_rules, describe
from tests.factories import (
    make_mailing,
    make_media_contact,
    make_media_list,
    make_outlet,
    make_release,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.django_db


def when(field, operator, *values):
    return {"field": field, "operator": operator, "values": list(values)}


def rules(*groups, join="or"):
    """Groups given as (join, [conditions])."""
    return {
        "join": join,
        "groups": [{"join": j, "conditions": list(conditions)} for j, conditions in groups],
    }


def members(tree):
    segment = Segment(name="Test", rules=check_rules(tree))  # not saved: used at once
    return sorted(str(contact) for contact in segment.contacts())


@pytest.fixture
def desk():
    """Five journalists in Korea, Japan and Germany, with beats, tags and outlets."""
    water, heat = make_topic("Water"), make_topic("Heat")
    asia = ContactTag.objects.create(name="asia-desk", slug="asia-desk")
    kbs = make_outlet("KBS", kind="broadcast", country="KR")
    nikkei = make_outlet("Nikkei", kind="newspaper", country="JP")
    people = {
        "kim": make_media_contact(
            "Min", "Kim", outlet=kbs, country="KR", language="ko", time_zone="Asia/Seoul",
            regions="Seoul, East Asia",
        ),
        "sato": make_media_contact(
            "Yui", "Sato", outlet=nikkei, country="JP", language="ja", time_zone="Asia/Tokyo",
            regions="Tokyo",
        ),
        "park": make_media_contact(
            "Ji", "Park", outlet=kbs, country="KR", language="en", regions="Busan"
        ),
        "weber": make_media_contact(
            "Anna", "Weber", country="DE", language="de", time_zone="Europe/Berlin"
        ),
        "lee": make_media_contact("Hana", "Lee", country="DE", language="en"),
    }  # fmt: skip
    people["kim"].beats.add(water)
    people["sato"].beats.add(heat)
    people["weber"].beats.add(water, heat)
    people["lee"].tags.add(asia)
    people["park"].tags.add(asia)
    return {"water": water, "heat": heat, "asia": asia, "kbs": kbs, "nikkei": nikkei, **people}


def test_the_regional_list_of_the_issue_is_one_segment(desk):
    # country in {KR, JP} AND beat = Water, OR tag = asia-desk
    tree = rules(
        ("and", [when("country", "any_of", "KR", "JP"), when("beat", "is", desk["water"].pk)]),
        ("and", [when("tag", "is", desk["asia"].pk)]),
    )

    assert members(tree) == ["Hana Lee", "Ji Park", "Min Kim"]


def test_groups_joined_by_and_must_all_match(desk):
    tree = rules(
        ("or", [when("country", "is", "KR"), when("country", "is", "JP")]),
        ("or", [when("language", "is", "ko"), when("language", "is", "ja")]),
        join="and",
    )

    assert members(tree) == ["Min Kim", "Yui Sato"]


def test_is_not_leaves_out_the_contacts_that_match_and_keeps_those_without_a_value(desk):
    assert members(rules(("and", [when("beat", "is_not", desk["water"].pk)]))) == [
        "Hana Lee",
        "Ji Park",
        "Yui Sato",
    ]
    # Contacts without an outlet are not at a broadcaster either.
    assert members(rules(("and", [when("outlet_type", "is_not", "broadcast")]))) == [
        "Anna Weber",
        "Hana Lee",
        "Yui Sato",
    ]
    assert members(rules(("and", [when("outlet", "is_not", desk["kbs"].pk)]))) == [
        "Anna Weber",
        "Hana Lee",
        "Yui Sato",
    ]


def test_a_contact_with_two_beats_is_counted_once(desk):
    tree = rules(("or", [when("beat", "any_of", desk["water"].pk, desk["heat"].pk)]))
    segment = Segment.objects.create(name="Beats", rules=check_rules(tree))

    assert segment.contacts().count() == 3
    assert members(tree) == ["Anna Weber", "Min Kim", "Yui Sato"]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (when("country", "is", "kr"), ["Ji Park", "Min Kim"]),
        (when("region", "is", "seoul"), ["Min Kim"]),
        (when("region", "any_of", "Seoul", "busan"), ["Ji Park", "Min Kim"]),
        (when("language", "any_of", "ja", "de"), ["Anna Weber", "Yui Sato"]),
        (when("time_zone", "is", "Europe/Berlin"), ["Anna Weber"]),
        (when("outlet", "is", "NIKKEI"), ["Yui Sato"]),
        (when("outlet_type", "is", "broadcast"), ["Ji Park", "Min Kim"]),
        (when("tag", "is", "ASIA"), ["Hana Lee", "Ji Park"]),
    ],
)
def test_each_kind_of_condition(desk, condition, expected):
    names = {"NIKKEI": desk["nikkei"].pk, "ASIA": desk["asia"].pk}
    condition["values"] = [names.get(value, value) for value in condition["values"]]

    assert members(rules(("and", [condition]))) == expected


def test_erased_contacts_are_never_members(desk):
    desk["kim"].erased_at = timezone.now()
    desk["kim"].save()

    assert members(rules(("and", [when("country", "is", "KR")]))) == ["Ji Park"]


def test_a_segment_of_many_conditions_is_one_query(desk):
    tree = check_rules(
        rules(
            ("and", [when("country", "any_of", "KR", "JP"), when("beat", "is", desk["water"].pk)]),
            ("or", [when("tag", "is", desk["asia"].pk), when("outlet_type", "is", "broadcast")]),
            ("and", [when("region", "is_not", "Tokyo"), when("language", "is", "en")]),
        )
    )
    segment = Segment.objects.create(name="Many", rules=tree)

    with CaptureQueriesContext(connection) as queries:
        found = list(segment.contacts())

    assert len(queries) == 1
    assert sorted(str(contact) for contact in found) == ["Hana Lee", "Ji Park", "Min Kim"]


def test_a_send_takes_the_segments_members_when_it_starts_not_when_it_was_written(desk):
    segment = Segment.objects.create(
        name="Korea", rules=check_rules(rules(("and", [when("country", "is", "KR")])))
    )
    mailing = make_mailing(make_release())
    mailing.segments.add(segment)
    assert mailing.chosen_contacts().count() == 2
    # Added after the segment and the mailing were saved, before the send starts.
    newcomer = make_media_contact("New", "Comer", country="KR")
    moved = desk["park"]
    moved.country = "JP"
    moved.save()
    make_media_contact("Dae", "Choi", country="KR", do_not_contact=True)

    mailing.status = Mailing.Status.QUEUED
    mailing.save()
    mailing.start()

    assert sorted(mailing.deliveries.values_list("email", "status")) == [
        ("dae.choi@example.com", "skipped"),
        (desk["kim"].email, "queued"),
        (newcomer.email, "queued"),
    ]


def test_a_send_to_a_list_and_a_segment_writes_once_to_a_contact_on_both(desk):
    segment = Segment.objects.create(
        name="Korea", rules=check_rules(rules(("and", [when("country", "is", "KR")])))
    )
    mailing = make_mailing(make_release())
    mailing.segments.add(segment)
    mailing.media_lists.add(make_media_list("Germany", contacts=[desk["weber"], desk["kim"]]))

    mailing.status = Mailing.Status.QUEUED
    mailing.save()
    mailing.start()

    assert sorted(mailing.deliveries.values_list("email", flat=True)) == sorted(
        [desk["kim"].email, desk["park"].email, desk["weber"].email]
    )


def test_a_segment_without_conditions_matches_nobody():
    make_media_contact()

    assert list(Segment(name="Empty").contacts()) == []


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        ([], "The rules are not a list of groups of conditions."),
        ({"join": "or", "groups": []}, "Add at least one condition."),
        (
            {"join": "xor", "groups": [{"conditions": [when("country", "is", "KR")]}]},
            "“and” or “or”",
        ),
        (rules(("and", [when("email", "is", "x")])), "Group 1, condition 1: choose what to filter"),
        (rules(("and", [when("country", "like", "KR")])), "choose “is”, “is not” or “is any of”"),
        (rules(("and", [when("country", "is")])), "Group 1, condition 1: choose a country."),
        (rules(("and", [when("country", "is", "KR", "JP")])), "takes one country; use “is any of”"),
        (rules(("and", [when("country", "is", "XX")])), "'XX' is not a country code."),
        (rules(("and", [when("language", "is", "klingon")])), "is not a language code"),
        (rules(("and", [when("time_zone", "is", "Mars/Base")])), "not a known time zone"),
        (rules(("and", [when("outlet_type", "is", "zine")])), "not an outlet type"),
        (rules(("and", [when("beat", "is", 999999)])), "there is no such beat (999999)"),
        (rules(("and", [when("tag", "is", "abc")])), "there is no such tag (abc)"),
    ],
)
def test_rules_that_cannot_be_used_are_refused_with_a_message(tree, message):
    with pytest.raises(ValidationError) as error:
        check_rules(tree)

    assert message in error.value.messages[0]


def test_the_rules_read_in_words_with_names(desk):
    tree = check_rules(
        rules(
            ("and", [when("country", "any_of", "KR", "JP"), when("beat", "is", desk["water"].pk)]),
            ("and", [when("tag", "is_not", desk["asia"].pk)]),
        )
    )

    assert describe(tree) == (
        "(Country is any of KR, JP and Beat is Water) or (Tag is not asia-desk)"
    )


def test_a_static_list_keeps_the_members_of_the_day(desk):
    officer = make_user("press", "Press officer")
    segment = Segment.objects.create(
        name="Korea", rules=check_rules(rules(("and", [when("country", "is", "KR")])))
    )

    media_list, count = segment.make_list("Korea today", officer)
    make_media_contact("New", "Comer", country="KR")

    assert count == 2
    assert sorted(str(c) for c in media_list.contacts.all()) == ["Ji Park", "Min Kim"]
    assert segment.contacts().count() == 3
    assert media_list.owner == officer
    assert "Country is KR" in media_list.description
