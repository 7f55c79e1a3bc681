"""Partners' webhooks, delivered for real to a receiver on loopback (allowed here by
WEBHOOKS_ALLOW_LOOPBACK, off by default): each change of a release told once, signed as
Standard Webhooks says, retried until it gets through, scheduled releases at their minute."""

import datetime
import json

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from api.announcing import announce
from api.models import Announced, Delivery, Endpoint
from api.sending import signed_headers
from contacts.mailings.tasks import dispatch
from press.models import Release
from tests.api.receiver import Receiver
from tests.factories import make_draft, make_organization, make_release, make_user
from tests.tasks import run_queued_tasks


def turn(now=None):
    """One turn of the dispatcher, then the workers run what it queued."""
    dispatch(now or timezone.now())
    return run_queued_tasks()


def _type(body):
    return json.loads(body)["type"]


@pytest.fixture
def endpoint(receiver):
    return Endpoint.objects.create(name="Houston city website", url=receiver.url)


@pytest.fixture
def editor():
    return make_user("chief", "Editor")


@pytest.mark.django_db
def test_standard_webhooks_signatures_match_the_specs_test_vector():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    moment = datetime.datetime.fromtimestamp(1614265330, tz=datetime.UTC)
    headers = signed_headers(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", moment, '{"test": 2432232314}')
    assert headers == {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }


@pytest.mark.django_db
def test_a_published_release_reaches_the_partner_signed(receiver, endpoint, editor):
    make_organization()
    release = make_draft("Cities join forces on heat")
    release.move("publish", editor)
    turn()
    [(headers, body)] = receiver.received
    # What a partner does with the secret the admin shows them.
    payload = Webhook(endpoint.secret).verify(body, {k.lower(): v for k, v in headers.items()})
    assert payload["type"] == "release.published"
    assert payload["data"]["id"] == release.pk
    assert payload["data"]["ninjs"]["headlines"][0]["value"] == "Cities join forces on heat"
    delivery = Delivery.objects.get()
    assert headers["webhook-id"] == delivery.message_id
    assert delivery.status == Delivery.Status.DELIVERED
    [attempt] = delivery.tries.all()
    assert attempt.status_code == 200 and attempt.response_ms is not None
    # Nothing changed since: the next turn tells nothing.
    turn()
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_a_refused_message_is_tried_again_until_it_gets_through(receiver, endpoint, editor):
    receiver.answers = [500, 200]
    make_organization()
    make_draft().move("publish", editor)
    turn()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.next_attempt_at > timezone.now()
    turn()  # not due yet
    assert len(receiver.received) == 1
    with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
        turn()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert [a.status_code for a in delivery.tries.all()] == [500, 200]
    first, second = receiver.received
    assert first[0]["webhook-id"] == second[0]["webhook-id"]  # the same message, again


@pytest.mark.django_db
def test_a_scheduled_release_is_told_at_its_minute(receiver, endpoint):
    make_organization()
    release = make_release(published_at=timezone.now() + datetime.timedelta(minutes=10))
    turn()
    assert receiver.received == []
    with time_machine.travel(release.published_at + datetime.timedelta(seconds=20)):
        turn()
    [(headers, body)] = receiver.received
    assert _type(body) == "release.published"
    sent_at = int(headers["webhook-timestamp"])
    assert 0 <= sent_at - release.published_at.timestamp() < 60


@pytest.mark.django_db
def test_corrections_updates_and_unpublishing_are_told_once_each(receiver, endpoint, editor):
    make_organization()
    release = make_draft()
    release.move("publish", editor)
    turn()
    release.refresh_from_db()
    release.summary = "A better summary."
    release.save()
    turn()
    release.refresh_from_db()
    release.title = "Corrected title"
    release.correct(editor, "The title was wrong.")
    turn()
    release.refresh_from_db()
    release.move("unpublish", editor)
    turn()
    turn()
    assert [_type(body) for _, body in receiver.received] == [
        "release.published",
        "release.updated",
        "release.corrected",
        "release.unpublished",
    ]
    assert json.loads(receiver.received[-1][1])["data"] == {"id": release.pk}


@pytest.mark.django_db
def test_an_expired_or_archived_release_is_unpublished_for_partners(receiver, endpoint, editor):
    make_organization()
    expiring = make_release("Expiring", expires_at=timezone.now() + datetime.timedelta(hours=1))
    archived = make_release("Archived")
    turn()
    archived.move("archive", editor)
    with time_machine.travel(expiring.expires_at + datetime.timedelta(seconds=1)):
        turn()
    told = sorted((_type(body), body) for _, body in receiver.received)
    assert [kind for kind, _ in told] == [
        "release.published", "release.published", "release.unpublished", "release.unpublished",
    ]  # fmt: skip
    assert not Announced.objects.filter(live=True).exists()


@pytest.mark.django_db
def test_an_endpoint_only_gets_the_events_it_asked_for(receiver, editor):
    Endpoint.objects.create(name="Corrections desk", url=receiver.url, events=["release.corrected"])
    make_organization()
    release = make_draft()
    release.move("publish", editor)
    turn()
    assert receiver.received == []
    release.refresh_from_db()
    release.correct(editor, "A figure was wrong.")
    turn()
    assert [_type(body) for _, body in receiver.received] == ["release.corrected"]


@pytest.mark.django_db
def test_a_save_tells_partners_without_waiting_for_the_dispatcher(
    receiver, endpoint, editor, django_capture_on_commit_callbacks
):
    make_organization()
    release = make_draft()
    with django_capture_on_commit_callbacks(execute=True):
        release.move("publish", editor)
    run_queued_tasks()  # the turn the save queued
    run_queued_tasks()  # the message it made
    assert [_type(body) for _, body in receiver.received] == ["release.published"]


@pytest.mark.django_db
def test_an_endpoint_failing_for_a_day_is_disabled_and_staff_are_told(
    receiver, endpoint, editor, settings
):
    settings.ADMINS = [("Web team", "web@example.org")]
    receiver.answers = [503]
    make_organization()
    make_draft().move("publish", editor)
    turn()
    delivery = Delivery.objects.get()
    started = timezone.now()
    while delivery.status == Delivery.Status.PENDING:
        with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
            turn()
        delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 7
    assert datetime.timedelta(hours=17) < delivery.tries.last().started_at - started
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "HTTP 503" in endpoint.disabled_reason
    [email] = mail.outbox
    assert email.to == ["web@example.org"]
    assert "Houston city website" in email.subject
    # Disabled, it is sent nothing more.
    make_release("Another")
    turn()
    assert Delivery.objects.count() == 1


@pytest.mark.django_db
def test_a_redirect_is_not_followed(settings, editor):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    with Receiver([302]) as moved:
        Endpoint.objects.create(name="Moved partner", url=moved.url)
        make_organization()
        make_draft().move("publish", editor)
        turn()
    [attempt] = Delivery.objects.get().tries.all()
    assert attempt.status_code == 302
    assert "redirects are not followed" in attempt.error
    assert len(moved.received) == 1


@pytest.mark.django_db
def test_the_message_goes_to_the_address_checked_with_the_partners_host_name(
    receiver, editor, monkeypatch
):
    resolved = []

    def resolve(host, port):
        resolved.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr("api.addresses.resolve", resolve)
    port = receiver.server.server_port
    Endpoint.objects.create(name="Partner", url=f"http://partner.example:{port}/hooks")
    make_organization()
    make_draft().move("publish", editor)
    resolved.clear()
    turn()
    [(headers, body)] = receiver.received
    assert headers["Host"] == f"partner.example:{port}"
    assert resolved == ["partner.example"]  # resolved once, for the check and the connection


@pytest.mark.django_db
def test_staff_see_each_attempt_in_the_admin(receiver, endpoint, editor, admin_client):
    receiver.answers = [500, 200]
    make_organization()
    make_draft().move("publish", editor)
    turn()
    delivery = Delivery.objects.get()
    with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
        turn()
    page = admin_client.get(f"/admin/api/delivery/{delivery.pk}/change/").content.decode()
    assert delivery.message_id in page
    assert "HTTP 500" in page and ">200<" in page.replace(" ", "")
    listing = admin_client.get("/admin/api/delivery/").content.decode()
    assert "Houston city website" in listing and "Delivered" in listing


@pytest.mark.django_db
def test_a_turn_tells_a_batch_and_the_next_turns_the_rest_oldest_first(monkeypatch):
    monkeypatch.setattr("api.announcing.BATCH", 2)
    make_organization()
    for days in (3, 2, 1):
        make_release(
            f"{days} days old", published_at=timezone.now() - datetime.timedelta(days=days)
        )
    turn()
    assert Announced.objects.filter(live=True).count() == 2
    turn()
    assert Announced.objects.filter(live=True).count() == 3


@pytest.mark.django_db
def test_a_message_waiting_for_a_busy_worker_is_queued_once_and_posted_once(receiver, endpoint):
    make_organization()
    make_release()
    dispatch(timezone.now())
    dispatch(timezone.now())  # the workers have not run yet
    posts = [task for task in run_queued_tasks() if task.task_path == "api.tasks.deliver"]
    assert len(posts) == 1
    assert len(receiver.received) == 1


def announced_reads(queries):
    """The statements of a turn reading what partners were told (not those updating it)."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith("SELECT") and ' FROM "api_announced"' in query["sql"]
    ]


@pytest.mark.django_db
def test_telling_changed_releases_reads_what_was_told_once_not_once_per_release(endpoint):
    make_organization()
    releases = [make_release(f"Release {n}") for n in range(6)]
    announce()

    def changed(some):
        Release.objects.filter(pk__in=[release.pk for release in some]).update(
            updated_at=timezone.now()
        )
        with CaptureQueriesContext(connection) as turn_queries:
            told = announce()
        return len(told), len(announced_reads(turn_queries.captured_queries))

    one = changed(releases[:1])
    assert one[0] == 1
    assert changed(releases) == (6, one[1])
