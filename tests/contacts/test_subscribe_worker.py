"""The sign-up form tells nobody whether an address is on our list, in its answer or its time:
the request only queues a `sign_up` task, the same for every address, and the worker records
the sign-up and chooses the email (the link to confirm, or a note that they are subscribed).
bench/signup_timing.py measures the time over HTTP."""

import re
import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from contacts import subscriptions
from contacts.models import Subscriber
from tests.databases import several_connections
from tests.factories import make_release, make_subscriber, make_topic, name_the_organization
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

STATUSES = ["new", "pending", "confirmed", "paused", "unsubscribed"]
CONFIRM = "Please confirm your subscription to Test Newsroom"
ALREADY = "You are already subscribed to Test Newsroom"


@pytest.fixture(autouse=True)
def newsroom_name():
    name_the_organization("Test Newsroom")


def known(status, email="reader@example.org", **fields):
    """The address as we know it before the sign-up; None for a new one."""
    return None if status == "new" else make_subscriber(email, status=status, **fields)


def post(client, email="reader@example.org", ip="192.0.2.1", **fields):
    return client.post("/subscribe/", {"email": email, "consent": "on", **fields}, REMOTE_ADDR=ip)


def body(message, kind):
    return message.get_body((kind,)).get_content()


@pytest.mark.parametrize("status", STATUSES)
def test_the_request_sends_nothing_and_queues_one_task_whatever_the_address(
    client, smtp_server, status
):
    before = known(status)

    response = post(client, "Reader@example.org", source="/releases/")

    assert response.status_code == 302
    assert smtp_server.messages == []
    [task] = DBTaskResult.objects.all()
    assert (task.status, task.task_path, task.args_kwargs) == (
        "READY",
        "contacts.subscriptions.sign_up",
        {
            "args": ["Reader@example.org"],
            "kwargs": {
                "topic_ids": [],
                "source": "/releases/",
                "consent_text": "2026-11",
                "language": "en",
            },
        },
    )
    # Nothing recorded yet either: writing or not is the worker's choice.
    assert list(Subscriber.objects.values_list("email", "status")) == (
        [] if before is None else [("reader@example.org", status)]
    )

    run_queued_tasks()

    assert smtp_server.recipients == [[Subscriber.objects.get().email]]


def normalized(queries):
    """The statements run, without their values (addresses, ids, times)."""
    return [re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in queries]


def test_every_address_costs_the_request_the_same_statements(client, smtp_server):
    heat = make_topic("Heat")
    make_release("On heat", topics=[heat])
    for status in STATUSES[1:]:
        known(status, f"{status}@example.org")

    statements = {}
    for n, status in enumerate(STATUSES):
        with CaptureQueriesContext(connection) as queries:
            post(client, f"{status}@example.org", ip=f"192.0.2.{n}", topics=[heat.pk])
        statements[status] = normalized(queries)

    # 1. the topics chosen, checked against those with live releases
    # 2. the task, queued
    assert len(statements["new"]) == 2
    assert 'INSERT INTO "django_tasks_database_dbtaskresult"' in statements["new"][1]
    assert all(found == statements["new"] for found in statements.values()), statements


@pytest.mark.parametrize("status", STATUSES)
def test_a_robot_or_a_refused_sign_up_queues_nothing(client, smtp_server, status):
    known(status)
    for n in range(3):
        post(client, ip=f"192.0.2.{n}")
    run_queued_tasks()
    sent = len(smtp_server.messages)

    refused = post(client, ip="192.0.2.99")
    robot = post(client, "robot@example.org", ip="192.0.2.100", website="http://spam.example")

    assert (refused.status_code, robot.status_code) == (429, 302)
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    assert len(smtp_server.messages) == sent == 3


def test_a_confirmed_subscriber_gets_a_note_with_their_preferences_not_a_link_to_confirm(
    client, smtp_server
):
    subscriber = make_subscriber(status="confirmed")

    post(client)
    run_queued_tasks()

    [message] = smtp_server.messages
    assert (message["To"], message["Subject"]) == ("reader@example.org", ALREADY)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = body(message, "plain"), body(message, "html")
    assert "You are already subscribed, so there is nothing to confirm." in text
    assert "Change your topics or pause here: http://127.0.0.1:8000/subscribe/preferences/" in text
    assert ">Manage my subscription</a>" in html
    for part in (text, html):
        assert "/subscribe/confirm/" not in part
        assert "paused" not in part
    preferences = re.search(r"http://127\.0\.0\.1:8000(/subscribe/preferences/[^/\s]+/)", text)
    page = client.get(preferences.group(1)).content.decode()
    assert '<button type="submit" name="action" value="pause">' in page
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"


def test_a_paused_subscriber_is_told_so_and_given_the_link_to_resume(client, smtp_server):
    make_subscriber(status="paused")

    post(client)
    run_queued_tasks()

    [message] = smtp_server.messages
    text, html = body(message, "plain"), body(message, "html")
    assert message["Subject"] == ALREADY
    assert (
        "You are already subscribed, so there is nothing to confirm; your subscription is "
        "paused, and we will not email you until you resume it." in text
    )
    assert "Resume it here: http://127.0.0.1:8000/subscribe/preferences/" in text
    assert ">Resume my subscription</a>" in html
    preferences = re.search(r"http://127\.0\.0\.1:8000(/subscribe/preferences/[^/\s]+/)", text)
    page = client.get(preferences.group(1)).content.decode()
    assert '<button type="submit" name="action" value="resume">' in page
    assert Subscriber.objects.get().status == "paused"


def test_someone_who_unsubscribed_confirms_again_with_what_they_ask_for_now(client, smtp_server):
    heat, water = make_topic("Heat"), make_topic("Water")
    make_release("On heat and water", topics=[heat, water])
    subscriber = make_subscriber(status="unsubscribed", all_topics=True, source="/old/")

    post(client, topics=[water.pk], source="/releases/")
    run_queued_tasks()

    [message] = smtp_server.messages
    assert message["Subject"] == CONFIRM
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.source, subscriber.all_topics) == (
        "pending",
        "/releases/",
        False,
    )
    assert list(subscriber.topics.all()) == [water]
    confirm = re.search(
        r"http://127\.0\.0\.1:8000(/subscribe/confirm/[^/\s]+/)", body(message, "plain")
    )
    client.post(confirm.group(1))
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"


def test_a_pending_address_gets_the_link_again_and_its_latest_choice_of_topics(client, smtp_server):
    heat, water = make_topic("Heat"), make_topic("Water")
    make_release("On heat and water", topics=[heat, water])

    post(client, topics=[heat.pk])
    post(client, topics=[water.pk])
    run_queued_tasks()

    assert [m["Subject"] for m in smtp_server.messages] == [CONFIRM, CONFIRM]
    subscriber = Subscriber.objects.get()
    assert (subscriber.status, list(subscriber.topics.all())) == ("pending", [water])


def test_a_topic_deleted_before_the_worker_runs_is_left_out(client, smtp_server):
    heat, water = make_topic("Heat"), make_topic("Water")
    make_release("On heat and water", topics=[heat, water])

    post(client, topics=[heat.pk, water.pk])
    heat.delete()
    [result] = run_queued_tasks()

    assert (result.status, result.return_value) == ("SUCCESSFUL", {"sent": True})
    subscriber = Subscriber.objects.get()
    assert (subscriber.all_topics, list(subscriber.topics.all())) == (False, [water])


def test_a_subscribers_address_cannot_be_mailbombed_through_the_form(client, smtp_server):
    """Anyone can type a subscriber's address, and each sign-up now writes to it: three an
    hour, from any number of networks, as for a new address."""
    make_subscriber("victim@example.org", status="confirmed")

    statuses = [post(client, "victim@example.org", ip=f"192.0.2.{n}").status_code for n in range(6)]
    run_queued_tasks()

    assert statuses == [302, 302, 302, 429, 429, 429]
    assert [m["Subject"] for m in smtp_server.messages] == [ALREADY] * 3


@several_connections
@pytest.mark.django_db(transaction=True)
def test_two_workers_signing_up_one_new_address_at_once_make_one_subscriber(smtp_server):
    """The second worker's insert waits for the first one's transaction, fails on the unique
    address, and then reads the row the first one made."""
    first_wrote, first_may_commit = threading.Event(), threading.Event()
    outcomes = {}

    def first():
        try:
            with transaction.atomic():
                Subscriber.objects.sign_up("reader@example.org")
                first_wrote.set()
                first_may_commit.wait(10)
        finally:
            connections.close_all()

    def second():
        try:
            outcomes["second"] = subscriptions.sign_up.call("READER@example.org")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_wrote.wait(10)
    threads[1].start()
    wait_for_a_lock_wait()
    first_may_commit.set()
    for thread in threads:
        thread.join(10)

    assert outcomes == {"second": {"sent": True}}
    assert list(Subscriber.objects.values_list("email", "status")) == [
        ("reader@example.org", "pending")
    ]
    assert smtp_server.recipients == [["reader@example.org"]]


def wait_for_a_lock_wait(seconds=10):
    """Until another connection waits on a lock (the second insert, on the first one's row)."""
    with connection.cursor() as cursor:
        for _ in range(seconds * 20):
            cursor.execute(
                "SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid)"
                " WHERE NOT granted AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.05)
    raise AssertionError("the second sign-up never waited for the first")
