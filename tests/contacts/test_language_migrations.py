"""Migrations 0018 and 0019: the alerts made before translation groups belong to their
release's group, and the press offices' names and contacts' titles typed so far are the
English ones."""

import pytest

from tests.factories import make_release, make_topic
from tests.migrating import latest_schema_after, migrate  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("contacts", "0017_merge_topic_alerts")]
AFTER = [("contacts", "0019_translated_press_office_names_and_contact_titles")]


def test_alerts_join_their_releases_group_and_names_become_the_english_ones():
    old = migrate(BEFORE)
    heat = make_topic("Extreme Heat")
    first, second = make_release("Heat plan"), make_release("Water plan")
    Mailing, AlertedTopic = (
        old.get_model("contacts", "Mailing"),
        old.get_model("contacts", "AlertedTopic"),
    )
    for release in (first, second):
        alert = Mailing.objects.create(kind="alert", release_id=release.pk, status="done")
        AlertedTopic.objects.create(mailing=alert, release_id=release.pk, topic_id=heat.pk)
    Mailing.objects.create(kind="distribution", release_id=first.pk)
    office = old.get_model("contacts", "PressOffice").objects.create(
        name="Mexico City", time_zone="America/Mexico_City"
    )
    old.get_model("contacts", "PressContact").objects.create(
        office=office, name="Ana López", title="Head of Media"
    )

    new = migrate(AFTER)

    Mailing, AlertedTopic = (
        new.get_model("contacts", "Mailing"),
        new.get_model("contacts", "AlertedTopic"),
    )
    assert sorted(Mailing.objects.values_list("kind", "release", "translation_key")) == sorted(
        [
            ("alert", first.pk, first.translation_key),
            ("alert", second.pk, second.translation_key),
            ("distribution", first.pk, None),
        ]
    )
    assert sorted(AlertedTopic.objects.values_list("release", "translation_key")) == sorted(
        [(first.pk, first.translation_key), (second.pk, second.translation_key)]
    )
    assert list(
        new.get_model("contacts", "PressOffice").objects.values_list("name", "name_en", "name_es")
    ) == [("Mexico City", "Mexico City", None)]
    assert list(
        new.get_model("contacts", "PressContact").objects.values_list("title_en", "title_ko")
    ) == [("Head of Media", None)]
