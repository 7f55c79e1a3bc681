"""The rollups hold what was planted: per day, per topic, per mailing, per contact; a second
run adds only what changed; days are the site's time zone's."""

import datetime

import pytest
from django.test import override_settings

from contacts.models import Coverage, DeliveryEvent, Mailing
from insights.models import (
    ContactDay,
    ContactStanding,
    DayFigures,
    MailingFigures,
    ReleaseMonth,
    ReleaseWeek,
    TopicDay,
)
from insights.periods import spans
from insights.rollups import rollup
from press.models import ReleaseRead
from tests.factories import make_mailing, make_release
from tests.insights.planted import at, nov, plant, sent

pytestmark = pytest.mark.django_db


def figures(day):
    row = DayFigures.objects.get(day=day)
    names = ["releases", "reads", "signups", "confirmed", "unsubscribed", "coverage"]
    return {name: getattr(row, name) for name in names}


def test_each_day_holds_what_was_planted_on_it(planted):
    assert figures(nov(18)) == {
        "releases": 1, "reads": 45, "signups": 0, "confirmed": 0, "unsubscribed": 0, "coverage": 0
    }  # fmt: skip
    assert figures(nov(19)) == {
        "releases": 0, "reads": 25, "signups": 4, "confirmed": 3, "unsubscribed": 1, "coverage": 1
    }  # fmt: skip
    assert figures(nov(10))["releases"] == 1
    assert figures(nov(10))["reads"] == 30
    # Every day from the first figure to today has a row, empty ones too.
    assert DayFigures.objects.first().day == nov(1)
    assert DayFigures.objects.last().day == nov(20)
    assert DayFigures.objects.count() == 20


def test_topics_hold_their_releases_reads_and_followers_of_today(planted):
    rows = {
        (row.topic.name, row.day): (row.reads, row.releases, row.followers)
        for row in TopicDay.objects.select_related("topic")
    }
    assert rows == {
        ("Extreme Heat", nov(18)): (40, 1, None),
        ("Extreme Heat", nov(19)): (25, 0, None),
        ("Extreme Heat", nov(20)): (0, 0, 3),
        ("Water", nov(10)): (30, 1, None),
        ("Water", nov(18)): (5, 0, None),
        # The one who followed Water unsubscribed: no follower left.
    }


def test_a_mailing_holds_its_funnel_and_each_contact_what_they_did(planted):
    mailing = MailingFigures.objects.get()
    assert (mailing.day, mailing.release, mailing.kind) == (
        nov(18),
        planted["heat_plan"],
        "distribution",
    )
    assert [mailing.sent, mailing.delivered, mailing.opened, mailing.clicked, mailing.bounced] == [
        3, 2, 1, 1, 1
    ]  # fmt: skip
    contacts = {
        (str(row.contact), row.outlet.name if row.outlet else None): (
            row.sent,
            row.opened,
            row.clicked,
        )
        for row in ContactDay.objects.select_related("contact", "outlet")
    }
    assert contacts == {
        ("Lois Lane", "The Daily Planet"): (1, 1, 1),
        ("Clark Kent", "The Daily Planet"): (1, 0, 0),
        ("Jimmy Olsen", None): (1, 0, 0),
    }


def test_a_second_run_adds_todays_new_figures_and_a_backdated_coverage_item(planted, clock):
    clock.shift(datetime.timedelta(minutes=10))
    ReleaseRead.objects.add_counts({(planted["heat_plan"].pk, nov(20)): 7})
    Coverage.objects.create(
        release=planted["water_plan"], url="https://planet.example/water", published_on=nov(11)
    )
    first = rollup()

    assert first == nov(11)  # from the backdated article's day, not from the beginning
    assert figures(nov(20))["reads"] == 7
    assert figures(nov(11))["coverage"] == 1
    assert figures(nov(19))["reads"] == 25  # recomputed, not added twice


def test_a_run_with_nothing_new_recomputes_yesterday_and_today_only(planted, clock):
    clock.shift(datetime.timedelta(minutes=10))
    assert rollup() == nov(19)
    assert DayFigures.objects.count() == 20


@override_settings(TIME_ZONE="America/New_York")
def test_days_are_the_site_time_zones(db, clock):
    # 03:00 UTC on the 19th is 22:00 on the 18th in New York.
    make_release("Late news", published_at=at(19, 3))
    make_release("Early news", published_at=at(19, 5))  # 00:00 on the 19th there
    rollup()
    assert figures(nov(18))["releases"] == 1
    assert figures(nov(19))["releases"] == 1


def test_at_utc_the_same_releases_fall_on_one_day(db, clock):
    make_release("Late news", published_at=at(19, 3))
    make_release("Early news", published_at=at(19, 5))
    rollup()
    assert figures(nov(19))["releases"] == 2


def test_a_full_run_counts_again_what_was_deleted_long_ago(planted, clock):
    planted["water_plan"].reads.filter(day=nov(10)).delete()
    clock.shift(datetime.timedelta(minutes=10))
    rollup()
    assert figures(nov(10))["reads"] == 30  # an incremental run leaves old days alone
    rollup(full=True)
    assert figures(nov(10))["reads"] == 0


def test_the_planted_figures_need_no_fixture_to_be_rolled_up_twice(db, clock):
    plant()
    rollup()
    rollup(full=True)
    assert figures(nov(19))["confirmed"] == 3


def test_releases_are_ranked_by_whole_months_and_the_days_at_the_ends(db, clock):
    heat, water = make_release("Heat plan"), make_release("Water plan")
    ReleaseRead.objects.add_counts(
        {
            (heat.pk, datetime.date(2026, 9, 30)): 100,  # the day before the period
            (heat.pk, datetime.date(2026, 10, 1)): 10,  # the whole of October
            (heat.pk, datetime.date(2026, 10, 31)): 10,
            (water.pk, datetime.date(2026, 10, 15)): 15,
            (water.pk, datetime.date(2026, 11, 2)): 20,  # an end day
            (water.pk, datetime.date(2026, 11, 3)): 50,  # after the period
        }
    )
    rollup()
    most_read = ReleaseMonth.objects.most_read
    start, end = datetime.date(2026, 10, 1), datetime.date(2026, 11, 2)
    assert most_read(start, end, 10) == [(water.pk, 35), (heat.pk, 20)]
    assert most_read(datetime.date(2026, 9, 30), end, 1) == [(heat.pk, 120)]
    # Inside one month: the days only.
    assert most_read(datetime.date(2026, 10, 2), datetime.date(2026, 10, 30), 10) == [
        (water.pk, 15)
    ]
    assert most_read(datetime.date(2026, 10, 31), datetime.date(2026, 11, 2), 10) == [
        (water.pk, 20), (heat.pk, 10)
    ]  # fmt: skip


def test_a_new_mailing_is_rolled_up_and_an_old_ones_figures_are_kept(planted, clock):
    old = MailingFigures.objects.get()
    MailingFigures.objects.filter(pk=old.pk).update(day=nov(1) - datetime.timedelta(days=60))
    mailing = make_mailing(planted["water_plan"], status=Mailing.Status.DONE)
    sent(mailing, planted["clark"], "delivered", when=at(20, 11))
    clock.shift(datetime.timedelta(minutes=10))
    rollup()
    assert sorted(MailingFigures.objects.values_list("mailing", "sent")) == [
        (old.pk, 3), (mailing.pk, 1)
    ]  # fmt: skip


def standing(contact):
    row = ContactStanding.objects.get(contact=contact)
    return row.sent, row.opened, row.clicked, row.last_sent


def never_opened():
    return [row.contact.first_name for row in ContactStanding.objects.never_opened()]


def test_a_contacts_standing_counts_every_mailing_until_they_open_one(planted, clock):
    clark = planted["clark"]
    assert standing(clark) == (1, 0, 0, nov(18))
    assert never_opened() == ["Clark", "Jimmy"]
    mailing = make_mailing(planted["water_plan"], status=Mailing.Status.DONE)
    delivery = sent(mailing, clark, "delivered", when=at(20, 11))
    clock.shift(datetime.timedelta(minutes=10))
    rollup()
    assert standing(clark) == (2, 0, 0, nov(20))  # the older mailing's day still counted
    assert never_opened() == ["Clark", "Jimmy"]  # most emails first

    DeliveryEvent.objects.create(delivery=delivery, kind="opened", source="pixel", at=at(20, 12))
    clock.shift(datetime.timedelta(minutes=10))
    rollup()
    assert standing(clark) == (2, 1, 0, nov(20))
    assert never_opened() == ["Jimmy"]
    assert standing(planted["lois"]) == (1, 1, 1, nov(18))


def test_whole_weeks_at_the_ends_of_a_period_come_from_the_weekly_rollup(db, clock):
    heat = make_release("Heat plan")
    ReleaseRead.objects.add_counts(
        {
            (heat.pk, datetime.date(2026, 10, 4)): 1,  # Sunday, before the period
            (heat.pk, datetime.date(2026, 10, 5)): 2,  # Monday: a whole week
            (heat.pk, datetime.date(2026, 10, 11)): 4,
            (heat.pk, datetime.date(2026, 10, 12)): 8,  # Monday, a day of the end
            (heat.pk, datetime.date(2026, 10, 14)): 16,  # after the period
        }
    )
    rollup()
    assert ReleaseWeek.objects.get(week=datetime.date(2026, 10, 5)).reads == 6
    most_read = ReleaseMonth.objects.most_read
    assert most_read(datetime.date(2026, 10, 5), datetime.date(2026, 10, 12), 1) == [(heat.pk, 14)]
    assert most_read(datetime.date(2026, 9, 1), datetime.date(2026, 10, 31), 1) == [(heat.pk, 31)]


def test_months_weeks_and_days_cover_a_period_exactly_once():
    d = datetime.date
    start, end = d(2026, 9, 14), d(2026, 12, 3)  # a Monday to a Thursday
    months, weeks, days = spans(start, end)
    assert months == [(d(2026, 10, 1), d(2026, 12, 1))]
    assert weeks == [(d(2026, 9, 14), d(2026, 9, 28))]  # the week of 28 September runs on
    assert days == [(d(2026, 9, 28), d(2026, 10, 1)), (d(2026, 12, 1), d(2026, 12, 4))]
    covered = sorted(
        datetime.date.fromordinal(n)
        for first, after in months + weeks + days
        for n in range(first.toordinal(), after.toordinal())
    )
    assert covered == [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
