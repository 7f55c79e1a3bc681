"""How long delivery and event logs are kept: events and embargo link opens older than
NEWSROOM_EVENT_LOG_DAYS are deleted, deliveries older than NEWSROOM_DELIVERY_LOG_DAYS are made
anonymous (their counts stay), by `manage.py forget_old_logs` and, once an hour, the dispatcher."""

import io

import pytest
from django.core.management import call_command

from contacts.mailings.tasks import dispatch
from contacts.models import ContactEvent, Delivery, DeliveryEvent, EmbargoOpen
from contacts.privacy import retention
from tests.factories import (
    days_ago,
    make_delivery,
    make_mailing,
    make_media_contact,
    make_release,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def a_year_of_logs(settings):
    settings.NEWSROOM_DELIVERY_LOG_DAYS = 365
    settings.NEWSROOM_EVENT_LOG_DAYS = 90


def delivery(contact, sent_days_ago, **fields):
    fields.setdefault("status", "sent")
    release = make_release(f"Release {Delivery.objects.count() + 1}")
    return make_delivery(
        make_mailing(release, created_at=days_ago(sent_days_ago + 1)),
        contact,
        sent_at=days_ago(sent_days_ago) if fields["status"] == "sent" else None,
        **fields,
    )


def forget():
    out = io.StringIO()
    call_command("forget_old_logs", stdout=out)
    return out.getvalue()


def test_events_and_embargo_opens_older_than_the_setting_are_deleted():
    lois = make_media_contact("Lois", "Lane")
    row = delivery(lois, sent_days_ago=100)
    for age in (91, 89):
        DeliveryEvent.objects.create(delivery=row, kind="opened", source="pixel", at=days_ago(age))
        EmbargoOpen.objects.create(delivery=row, opened_at=days_ago(age))

    output = forget()

    assert output.startswith("Deleted 1 event(s), 1 embargo link open(s)")
    assert [event.at.date() for event in DeliveryEvent.objects.all()] == [days_ago(89).date()]
    assert [o.opened_at.date() for o in EmbargoOpen.objects.all()] == [days_ago(89).date()]


def test_deliveries_older_than_the_setting_lose_their_address_and_person_but_still_count():
    lois = make_media_contact("Lois", "Lane")
    old = delivery(lois, sent_days_ago=366, error="250 <lois.lane@example.com> OK")
    failed = delivery(lois, sent_days_ago=400, status="failed", error="550 no such user")
    recent = delivery(lois, sent_days_ago=364)
    waiting = delivery(lois, sent_days_ago=400, status="queued")
    ContactEvent.objects.create(contact=lois, kind="sent", detail="Heat", created_at=days_ago(366))
    ContactEvent.objects.create(contact=lois, kind="sent", detail="Flood", created_at=days_ago(1))

    assert "anonymised 2 delivery(ies)" in forget()

    rows = {row.pk: row for row in Delivery.objects.all()}
    assert [(rows[r.pk].email, rows[r.pk].error, rows[r.pk].contact) for r in (old, failed)] == [
        (f"expired-{old.pk}@erased.invalid", "", None),
        (f"expired-{failed.pk}@erased.invalid", "", None),
    ]
    assert (rows[old.pk].status, rows[failed.pk].status) == ("sent", "failed")
    for kept in (recent, waiting):
        assert (rows[kept.pk].email, rows[kept.pk].contact) == ("lois.lane@example.com", lois)
    assert list(lois.events.values_list("detail", flat=True)) == ["Flood"]
    # Run again, nothing is left to do.
    assert "anonymised 0 delivery(ies)" in forget()


def test_a_setting_of_zero_keeps_the_logs_for_ever(settings):
    settings.NEWSROOM_DELIVERY_LOG_DAYS = settings.NEWSROOM_EVENT_LOG_DAYS = 0
    row = delivery(make_media_contact("Lois", "Lane"), sent_days_ago=5000)
    DeliveryEvent.objects.create(delivery=row, kind="opened", source="pixel", at=days_ago(5000))

    forget()

    assert Delivery.objects.get().email == "lois.lane@example.com"
    assert DeliveryEvent.objects.count() == 1


def test_a_dry_run_counts_and_changes_nothing():
    row = delivery(make_media_contact("Lois", "Lane"), sent_days_ago=400)
    DeliveryEvent.objects.create(delivery=row, kind="opened", source="pixel", at=days_ago(400))
    out = io.StringIO()

    call_command("forget_old_logs", "--dry-run", stdout=out)

    assert out.getvalue() == (
        "Would delete 1 event(s), 0 embargo link open(s) and 0 history line(s); "
        "would anonymise 1 delivery(ies).\n"
    )
    assert (Delivery.objects.get().email, DeliveryEvent.objects.count()) == (
        "lois.lane@example.com",
        1,
    )


def test_the_dispatcher_applies_the_retention_once_an_hour():
    lois = make_media_contact("Lois", "Lane")
    first = delivery(lois, sent_days_ago=400)

    dispatch()
    second = delivery(lois, sent_days_ago=400)
    dispatch()  # within the hour: not again

    emails = dict(Delivery.objects.values_list("pk", "email"))
    assert emails == {
        first.pk: f"expired-{first.pk}@erased.invalid",
        second.pk: "lois.lane@example.com",
    }


def test_a_bounded_pass_does_a_share_and_the_next_one_goes_on_from_the_first_row_due(
    monkeypatch,
):
    monkeypatch.setattr(retention, "WINDOW", 1)
    lois = make_media_contact("Lois", "Lane")
    rows = [delivery(lois, sent_days_ago=400) for _ in range(3)]

    first = retention.forget_old_logs(max_batches=2)
    second = retention.forget_old_logs(max_batches=2)

    assert (first["deliveries"], second["deliveries"]) == (2, 1)
    assert list(Delivery.objects.order_by("pk").values_list("email", flat=True)) == [
        f"expired-{row.pk}@erased.invalid" for row in rows
    ]
