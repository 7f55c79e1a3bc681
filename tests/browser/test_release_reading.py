import datetime
import uuid

import pytest
from playwright.sync_api import expect

from contacts.models import Subscriber
from tests.factories import (
    make_office,
    make_person,
    make_press_contact,
    make_quote,
    make_release,
    make_topic,
)
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Sign-up rate limits count per network, and the browser is always 127.0.0.1: a key prefix
    of its own keeps earlier tests and runs (the cache may be a shared Redis) out of the count."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
    }


@pytest.fixture
def release():
    release = make_release(
        "Seoul renews its membership",
        topics=[make_topic("Urban Resilience")],
        dateline_place="SINGAPORE",
        dateline_time_zone="Asia/Singapore",
        dateline_date=datetime.date(2021, 9, 23),
    )
    make_quote(release, make_person(), text="Cities learn fastest from each other.")
    make_press_contact("Fabiola Guillen", office=make_office("Mexico City"))
    return release


def test_a_reader_subscribes_from_a_release_page(page, live_server, release):
    page.goto(live_server.url + "/releases/2021/09/23/seoul-renews-its-membership/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seoul renews its membership")
    expect(page.locator(".dateline")).to_have_text("(SINGAPORE, September 23, 2021)")
    expect(page.locator(".press-contacts")).to_contain_text("Fabiola Guillen")

    page.get_by_label("Email address").fill("not-an-address")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator(".error")).to_have_text("Enter a valid email address.")
    expect(page.get_by_label("Email address")).to_have_value("not-an-address")
    assert Subscriber.objects.count() == 0

    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_role("group", name="Topics").get_by_label("Urban Resilience").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("status")).to_contain_text("Please check your inbox to confirm")
    # A real browser leaves the honeypot empty: the sign-up is queued, and the worker stores it
    # with its topic.
    run_queued_tasks()
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status, subscriber.source) == (
        "reader@example.org",
        "pending",
        "/releases/2021/09/23/seoul-renews-its-membership/",
    )
    assert [topic.name for topic in subscriber.topics.all()] == ["Urban Resilience"]


def test_the_skip_link_takes_keyboard_users_to_the_content(page, live_server, release):
    page.goto(live_server.url + "/releases/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
