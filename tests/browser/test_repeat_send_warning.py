"""A press officer sends a release a second time: before pressing Send, the page says how
many recipients already received it and names them; sent as is, they are left out (skipped,
with the reason); ticking the box sends it to them too."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from contacts.models import Delivery, Mailing
from tests.factories import (
    make_delivery,
    make_mailing,
    make_media_contact,
    make_media_list,
    make_outlet,
    make_release,
)
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second_send():
    release = make_release("Cooling centres open")
    lois = make_media_contact("Lois", "Lane", outlet=make_outlet("The Daily Planet"))
    clark = make_media_contact("Clark", "Kent")
    jimmy = make_media_contact("Jimmy", "Olsen")
    first = make_mailing(release, status=Mailing.Status.DONE)
    make_delivery(first, lois, status=Delivery.Status.SENT)
    make_delivery(first, clark, status=Delivery.Status.SENT)
    second = make_mailing(release)
    second.media_lists.set([make_media_list("City desks", contacts=[lois, clark, jimmy])])
    officer = User.objects.create_user("pat", "pat@example.org", "pass-word-1", is_staff=True)
    officer.groups.add(Group.objects.get(name="Press officer"))
    return first, second


def log_in(page, base):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill("pass-word-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#logout-form")).to_be_visible()


def open_send(page, live_server, mailing):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/contacts/mailing/{mailing.pk}/change/")
    warning = page.locator("#repeat-recipients")
    expect(warning).to_contain_text(
        "2 of the recipients already received this release from an earlier mailing."
    )
    expect(warning.get_by_role("listitem")).to_have_text(
        [
            "Clark Kent <clark.kent@example.com>",
            "Lois Lane <lois.lane@example.com>, The Daily Planet",
        ]
    )
    return warning


def test_sent_as_is_those_who_had_it_are_left_out(page, live_server, second_send):
    first, second = second_send
    open_send(page, live_server, second)

    page.get_by_role("button", name="Send now").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "2 recipient(s) who already received this release are left out."
    )
    run_queued_tasks()
    reason = f"Already received this release (mailing {first.pk})"
    assert sorted(second.deliveries.values_list("email", "status", "error")) == [
        ("clark.kent@example.com", "skipped", reason),
        ("jimmy.olsen@example.com", "sent", ""),
        ("lois.lane@example.com", "skipped", reason),
    ]


def test_ticked_they_get_it_again(page, live_server, second_send):
    _, second = second_send
    warning = open_send(page, live_server, second)

    warning.get_by_label("Send it to them again as well").check()
    page.get_by_role("button", name="Send now").click()

    expect(page.locator(".messagelist")).to_contain_text("Sending now.")
    expect(page.locator(".messagelist")).not_to_contain_text("left out")
    run_queued_tasks()
    assert sorted(second.deliveries.values_list("email", "status")) == [
        ("clark.kent@example.com", "sent"),
        ("jimmy.olsen@example.com", "sent"),
        ("lois.lane@example.com", "sent"),
    ]
