"""Topic alerts: when a release becomes live, each confirmed subscriber who follows one of its
topics (or everything) receives one email, exactly once however the release changes later."""

import datetime
import re
import subprocess
import sys

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from contacts.mailings.tasks import dispatch, send_mailing
from contacts.models import Delivery, Mailing, Subscriber
from contacts.subscriptions.tokens import subscriber_from_token
from tests.contacts.alerting import run_alerts
from tests.factories import make_release, make_subscriber, make_topic, make_user
from tests.smtp_sink import worker_env

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
CONFIRMED = Subscriber.Status.CONFIRMED


def readers(heat, floods):
    """Five people: two must receive a heat release, three must not."""
    make_subscriber("all@example.org", status=CONFIRMED, all_topics=True)
    make_subscriber("heat@example.org", status=CONFIRMED, all_topics=False).topics.set([heat])
    make_subscriber("floods@example.org", status=CONFIRMED, all_topics=False).topics.set([floods])
    make_subscriber("pending@example.org", all_topics=True)
    make_subscriber("gone@example.org", status=Subscriber.Status.UNSUBSCRIBED, all_topics=True)


def test_a_release_published_now_alerts_each_confirmed_follower_once(sink):
    heat, floods = make_topic("Extreme Heat"), make_topic("Floods")
    readers(heat, floods)
    release = make_release(
        "Cooling centres open",
        topics=[heat],
        summary="Eleven cooling centres open on Monday.",
        published_at=datetime.datetime.now(UTC) - datetime.timedelta(minutes=1),
    )

    run_alerts()

    assert sink.count_by_recipient() == {"all@example.org": 1, "heat@example.org": 1}
    message = sink.message_to("heat@example.org")
    assert message["Subject"] == "Cooling centres open"
    assert message["To"] == "heat@example.org"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    url = f"https://newsroom.example{release.get_absolute_url()}"
    for part in (text, html):
        assert "Eleven cooling centres open on Monday." in part
        assert url in part
        assert "Extreme Heat" in part
    unsubscribe = re.search(r"Unsubscribe: (\S+)", text).group(1)
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = re.fullmatch(r"https://newsroom.example/subscribe/unsubscribe/([^/]+)/", unsubscribe)
    assert subscriber_from_token(token.group(1), "manage").email == "heat@example.org"
    mailing = Mailing.objects.get()
    assert (mailing.kind, mailing.status, mailing.release) == ("alert", "done", release)
    assert sorted(mailing.deliveries.values_list("email", "status")) == [
        ("all@example.org", "sent"),
        ("heat@example.org", "sent"),
    ]


def test_edit_unpublish_and_republish_send_nothing_more(sink):
    heat = make_topic("Extreme Heat")
    make_subscriber("all@example.org", status=CONFIRMED)
    make_subscriber("heat@example.org", status=CONFIRMED, all_topics=False).topics.set([heat])
    editor = make_user()
    release = make_release("Cooling centres open", topics=[heat])
    release.published_at = datetime.datetime.now(UTC)
    release.save()
    run_alerts()

    release.title = "Cooling centres open on Monday"
    release.save()
    run_alerts()
    release.move("unpublish", editor)
    run_alerts()
    release.move("publish", editor)
    run_alerts()

    assert sink.count_by_recipient() == {"all@example.org": 1, "heat@example.org": 1}
    assert Mailing.objects.filter(release=release, kind="alert").count() == 1


def test_an_alert_made_before_an_unpublish_waits_until_the_release_is_live_again(sink):
    make_subscriber("all@example.org", status=CONFIRMED)
    editor = make_user()
    release = make_release(published_at=datetime.datetime.now(UTC))
    dispatch()  # the alert is made and queued...
    release.move("unpublish", editor)  # ...and the release withdrawn before a worker ran it

    send_mailing.call(Mailing.objects.get().pk)
    assert sink.received == []
    assert dispatch() == 0  # nothing queued while the release is not live

    release.move("publish", editor)
    run_alerts()
    assert sink.count_by_recipient() == {"all@example.org": 1}


def test_a_scheduled_release_alerts_only_once_its_minute_has_passed(sink):
    make_subscriber("all@example.org", status=CONFIRMED)
    nine = datetime.datetime(2030, 5, 1, 1, 0, tzinfo=UTC)
    make_release("Storm plan", published_at=nine, dateline_time_zone="Asia/Singapore")

    with time_machine.travel(nine - datetime.timedelta(seconds=30), tick=False):
        run_alerts()
        assert Mailing.objects.count() == 0
    with time_machine.travel(nine + datetime.timedelta(seconds=30), tick=False):
        run_alerts()

    assert sink.count_by_recipient() == {"all@example.org": 1}


def test_the_dispatcher_command_queues_the_alert_of_a_release_that_became_live(sink):
    make_subscriber("all@example.org", status=CONFIRMED)
    release = make_release(published_at=datetime.datetime.now(UTC))

    call_command("run_dispatcher", "--once", verbosity=0)

    mailing = Mailing.objects.get(release=release, kind="alert")
    [task] = DBTaskResult.objects.filter(status="READY")
    assert (task.task_path, task.args_kwargs["args"]) == (
        "contacts.tasks.send_mailing",
        [mailing.pk],
    )


def test_releases_live_for_longer_than_two_days_get_no_alert(sink):
    make_subscriber("all@example.org", status=CONFIRMED)
    make_release("Old news", published_at=datetime.datetime.now(UTC) - datetime.timedelta(days=3))

    run_alerts()

    assert Mailing.objects.count() == 0
    assert sink.received == []


def test_a_subscriber_who_unsubscribes_before_the_email_is_due_is_skipped(sink):
    stays = make_subscriber("stays@example.org", status=CONFIRMED)
    leaves = make_subscriber("leaves@example.org", status=CONFIRMED)
    make_release(published_at=datetime.datetime.now(UTC))
    dispatch()
    mailing = Mailing.objects.get()
    mailing.status = Mailing.Status.SENDING
    mailing.build_deliveries()
    leaves.status = Subscriber.Status.UNSUBSCRIBED
    leaves.save()

    send_mailing.call(mailing.pk)

    assert sink.recipients() == [stays.email]
    skipped = Delivery.objects.get(email=leaves.email)
    assert (skipped.status, skipped.error) == (
        "skipped",
        "No longer subscribed when the email was due.",
    )


@pytest.mark.django_db(transaction=True)
def test_a_db_worker_process_sends_the_alerts_the_dispatcher_queued(sink):
    if connection.vendor != "postgresql":
        pytest.skip("A worker process needs a database it can open: run on PostgreSQL.")
    make_subscriber("all@example.org", status=CONFIRMED)
    make_subscriber("also@example.org", status=CONFIRMED)
    make_release(published_at=datetime.datetime.now(UTC))

    assert dispatch() == 1
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        env=worker_env(sink),
        capture_output=True,
        timeout=60,
    )

    assert worker.returncode == 0, worker.stderr.decode()
    assert sink.count_by_recipient() == {"all@example.org": 1, "also@example.org": 1}
    assert Mailing.objects.get().status == "done"
