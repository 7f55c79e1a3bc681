"""Topics put on a release after its alert: their followers are alerted once, whoever else
was sent the release already is not written to again, and a topic taken off and put back, or
merged into the topic its followers follow, alerts nobody twice."""

import datetime

import pytest

from contacts.mailings.tasks import dispatch, send_mailing
from contacts.models import Mailing, Subscriber
from tests.contacts.alerting import run_alerts
from tests.factories import form_data, make_release, make_subscriber, make_topic, make_user
from tests.pages import get_page, logged_in

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
CONFIRMED = Subscriber.Status.CONFIRMED


def follower(email, *topics):
    subscriber = make_subscriber(email, status=CONFIRMED, all_topics=not topics)
    subscriber.topics.set(topics)
    return subscriber


def just_published(title, topics):
    return make_release(
        title,
        topics=topics,
        published_at=datetime.datetime.now(UTC) - datetime.timedelta(minutes=1),
    )


def test_a_topic_put_on_a_published_release_alerts_its_followers_once(sink):
    heat, water = make_topic("Extreme Heat"), make_topic("Water Resilience")
    follower("all@example.org")
    follower("heat@example.org", heat)
    follower("water@example.org", water)
    follower("both@example.org", heat, water)
    release = just_published("Cooling centres open", [heat])
    run_alerts()
    assert sink.count_by_recipient() == {
        "all@example.org": 1,
        "heat@example.org": 1,
        "both@example.org": 1,
    }

    release.topics.add(water)
    run_alerts()
    run_alerts()
    release.topics.remove(water)
    run_alerts()
    release.topics.add(water)
    run_alerts()

    assert sink.count_by_recipient() == {
        "all@example.org": 1,
        "heat@example.org": 1,
        "both@example.org": 1,
        "water@example.org": 1,
    }
    assert sink.message_to("water@example.org")["Subject"] == "Cooling centres open"
    assert sorted(
        Mailing.objects.filter(release=release).values_list(
            "for_added_topics", "alerted_topics__topic__name"
        )
    ) == [(False, "Extreme Heat"), (True, "Water Resilience")]


def test_merging_a_misspelt_topic_alerts_the_followers_of_the_kept_one(sink):
    """The issue's case: the release went out under a topic nobody followed; merged into the
    right topic, its followers get it, once, and the misspelt topic's follower only once."""
    right, misspelt = make_topic("Water Resilience"), make_topic("Water Resiliance")
    follower("right@example.org", right)
    follower("misspelt@example.org", misspelt)
    just_published("Rain gardens for every district", [misspelt])
    run_alerts()
    assert sink.count_by_recipient() == {"misspelt@example.org": 1}

    right.merge([misspelt])
    run_alerts()
    run_alerts()

    assert sink.count_by_recipient() == {"misspelt@example.org": 1, "right@example.org": 1}


def test_an_alert_for_added_topics_waits_for_the_first_alert_to_be_built(sink):
    heat, water = make_topic("Extreme Heat"), make_topic("Water Resilience")
    follower("both@example.org", heat, water)
    release = just_published("Cooling centres open", [heat])
    dispatch()  # the first alert is queued, not yet run by a worker...
    release.topics.add(water)
    dispatch()  # ...when the alert for the added topic is made
    first, added = Mailing.objects.filter(release=release).order_by("pk")

    send_mailing.call(added.pk)
    assert (sink.received, Mailing.objects.get(pk=added.pk).status) == ([], "queued")
    run_alerts()

    assert sink.count_by_recipient() == {"both@example.org": 1}


def test_topics_put_on_an_old_release_alert_nobody(sink):
    heat, water = make_topic("Extreme Heat"), make_topic("Water Resilience")
    follower("water@example.org", water)
    release = make_release(
        "Archive: the 2019 heat plan",
        topics=[heat],
        published_at=datetime.datetime(2019, 6, 1, tzinfo=UTC),
    )
    run_alerts()
    release.topics.add(water)
    run_alerts()

    assert (sink.received, Mailing.objects.count()) == ([], 0)


def test_an_editor_adding_a_topic_to_a_published_release_alerts_its_followers(sink):
    heat, water = make_topic("Extreme Heat"), make_topic("Water Resilience")
    follower("water@example.org", water)
    release = just_published("Cooling centres open", [heat])
    run_alerts()
    editor = logged_in(make_user("erin", "Editor"))
    url = f"/admin/press/release/{release.pk}/change/"
    page = get_page(editor, url)

    saved = editor.post(url, form_data(page, topics=[str(heat.pk), str(water.pk)]))
    assert saved.status_code == 302
    run_alerts()

    assert sink.count_by_recipient() == {"water@example.org": 1}
    listed = get_page(logged_in(make_user("press", "Press officer")), "/admin/contacts/mailing/")
    assert "Added later: Water Resilience" in listed
    assert ">Extreme Heat<" in listed
