"""A release and its translations are one group: its topic alert reaches each subscriber once,
with the translation in the subscriber's language when one is live and the release first
published otherwise, whenever each translation is published."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.models import AlertedTopic, Mailing, Subscriber
from tests.contacts.alerting import run_alerts
from tests.factories import make_release, make_subscriber, make_topic

pytestmark = pytest.mark.django_db
CONFIRMED = Subscriber.Status.CONFIRMED


def reader(email, language, *topics):
    subscriber = make_subscriber(email, status=CONFIRMED, language=language, all_topics=not topics)
    subscriber.topics.set(topics)
    return subscriber


def published(title, minutes_ago=1, **fields):
    return make_release(
        title, published_at=timezone.now() - datetime.timedelta(minutes=minutes_ago), **fields
    )


def translation(release, title, language, **fields):
    fields.setdefault("topics", list(release.topics.all()))
    return published(title, language=language, translation_key=release.translation_key, **fields)


def subjects(sink):
    return {address: sink.message_to(address)["Subject"] for address in sink.recipients()}


def test_a_group_published_at_once_alerts_each_subscriber_once_in_their_language(sink):
    heat = make_topic("Extreme Heat")
    reader("en@example.org", "en")
    reader("es@example.org", "es", heat)
    reader("ko@example.org", "ko")
    reader("fr@example.org", "fr", heat)
    english = published("Cooling centres open", minutes_ago=3, topics=[heat])
    translation(english, "Abren los centros de enfriamiento", "es")
    translation(english, "냉방 센터 개소", "ko", status="draft")  # not live: nobody gets it

    run_alerts()
    run_alerts()

    assert sink.count_by_recipient() == {
        "en@example.org": 1,
        "es@example.org": 1,
        "ko@example.org": 1,
        "fr@example.org": 1,
    }
    assert subjects(sink) == {
        "en@example.org": "Cooling centres open",
        "es@example.org": "Abren los centros de enfriamiento",
        "ko@example.org": "Cooling centres open",
        "fr@example.org": "Cooling centres open",
    }
    assert list(Mailing.objects.values_list("kind", "release__title")) == [
        ("alert", "Cooling centres open")
    ]


def test_a_translation_published_after_the_alert_alerts_nobody_again(sink):
    heat = make_topic("Extreme Heat")
    reader("en@example.org", "en")
    reader("es@example.org", "es", heat)
    english = published("Cooling centres open", topics=[heat])
    run_alerts()
    assert subjects(sink) == {
        "en@example.org": "Cooling centres open",
        "es@example.org": "Cooling centres open",
    }

    translation(english, "Abren los centros de enfriamiento", "es")
    reader("late@example.org", "es", heat)
    run_alerts()
    run_alerts()

    assert sink.count_by_recipient() == {"en@example.org": 1, "es@example.org": 1}
    assert Mailing.objects.count() == 1


def test_the_release_first_published_goes_to_those_without_a_translation(sink):
    """Spanish first: the alert is the Spanish release's, and English readers get it, since
    the English translation was not live yet; publishing it later alerts nobody."""
    reader("en@example.org", "en")
    reader("es@example.org", "es")
    spanish = published("Abren los centros de enfriamiento", language="es")
    english = translation(spanish, "Cooling centres open", "en", status="draft")
    run_alerts()

    english.status = "published"
    english.save()
    run_alerts()

    assert subjects(sink) == {
        "en@example.org": "Abren los centros de enfriamiento",
        "es@example.org": "Abren los centros de enfriamiento",
    }
    assert sink.count_by_recipient() == {"en@example.org": 1, "es@example.org": 1}


def test_a_topic_only_a_later_translation_carries_alerts_its_followers_once(sink):
    heat, water = make_topic("Extreme Heat"), make_topic("Water Resilience")
    reader("heat@example.org", "es", heat)
    reader("water-en@example.org", "en", water)
    reader("water-es@example.org", "es", water)
    reader("both@example.org", "es", heat, water)
    english = published("Cooling centres open", topics=[heat])
    run_alerts()

    translation(english, "Abren los centros de enfriamiento", "es", topics=[heat, water])
    run_alerts()
    english.topics.add(water)  # the same topic on the English release: already alerted
    run_alerts()

    assert sink.count_by_recipient() == {
        "heat@example.org": 1,
        "both@example.org": 1,
        "water-en@example.org": 1,
        "water-es@example.org": 1,
    }
    assert subjects(sink) == {
        "heat@example.org": "Cooling centres open",
        "both@example.org": "Cooling centres open",
        "water-en@example.org": "Cooling centres open",
        "water-es@example.org": "Abren los centros de enfriamiento",
    }
    assert sorted(
        AlertedTopic.objects.values_list(
            "release__title", "topic__name", "mailing__for_added_topics"
        )
    ) == [
        ("Abren los centros de enfriamiento", "Water Resilience", True),
        ("Cooling centres open", "Extreme Heat", False),
    ]
    # The alert is the Spanish release's; its English reader was sent the English one.
    assert list(english.translated_deliveries.values_list("email", flat=True)) == [
        "water-en@example.org"
    ]


def test_each_email_records_the_translation_it_sent(sink):
    reader("en@example.org", "en")
    reader("es@example.org", "es")
    english = published("Cooling centres open")
    spanish = translation(english, "Abren los centros de enfriamiento", "es")
    run_alerts()

    mailing = Mailing.objects.get()
    assert sorted((row.email, row.sent_release.title) for row in mailing.deliveries.all()) == [
        ("en@example.org", english.title),
        ("es@example.org", spanish.title),
    ]
    assert (
        sink.message_to("es@example.org")
        .get_body(("plain",))
        .get_content()
        .find(spanish.get_absolute_url())
        >= 0
    )


def test_the_database_refuses_a_second_alert_for_a_group():
    """What keeps two dispatchers from alerting a group twice, whichever release each saw."""
    english = published("Cooling centres open")
    spanish = translation(english, "Abren los centros de enfriamiento", "es")
    assert len(Mailing.objects.create_alerts()) == 1

    with pytest.raises(IntegrityError), transaction.atomic():
        Mailing.objects.create(
            kind=Mailing.Kind.ALERT, release=spanish, translation_key=spanish.translation_key
        )
    assert Mailing.objects.create_alerts() == []
