"""The links in every email: the preference page and (one-click) unsubscribe."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contacts.models import Subscriber
from contacts.subscriptions.emails import list_unsubscribe_headers
from contacts.subscriptions.tokens import subscriber_from_token, subscriber_token
from tests.factories import make_release, make_subscriber, make_topic
from tests.pages import messages_of
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def preferences_url(subscriber):
    return f"/subscribe/preferences/{subscriber_token(subscriber, 'manage')}/"


def unsubscribe_url(subscriber):
    return f"/subscribe/unsubscribe/{subscriber_token(subscriber, 'manage')}/"


def one_click_subscriber(link):
    """The subscriber an https unsubscribe link names (tokens carry the second they were made,
    so compare what they name, not their text)."""
    match = re.fullmatch(r"https://news\.example\.org/subscribe/unsubscribe/([^/]+)/", link)
    return subscriber_from_token(match.group(1), "manage")


@pytest.fixture
def topics():
    heat, water, wind = make_topic("Heat"), make_topic("Water"), make_topic("Wind")
    make_release("On everything", topics=[heat, water, wind])
    return heat, water, wind


def test_the_page_shows_the_address_status_and_topics(client, topics):
    heat, water, _ = topics
    subscriber = make_subscriber(status="confirmed", all_topics=False)
    subscriber.topics.set([heat, water])

    response = client.get(preferences_url(subscriber))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "Our emails to <strong>reader@example.org</strong>: confirmed." in html
    assert "You get our releases on Heat, Water." in html
    assert re.findall(r'<input type="checkbox" name="topics" value="(\d+)"[^>]*checked', html) == [
        str(heat.pk),
        str(water.pk),
    ]
    assert 'value="pause">Pause my subscription</button>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_choosing_topics_saves_them(client, topics):
    _, water, wind = topics
    subscriber = make_subscriber(status="confirmed")
    url = preferences_url(subscriber)

    response = client.post(url, {"action": "topics", "topics": [water.pk, wind.pk]}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert messages_of(response) == ["Your topics are saved."]
    subscriber.refresh_from_db()
    assert (subscriber.all_topics, list(subscriber.topics.all())) == (False, [water, wind])


def test_choosing_no_topic_means_everything(client, topics):
    subscriber = make_subscriber(status="confirmed", all_topics=False)
    subscriber.topics.set(topics[:1])

    client.post(preferences_url(subscriber), {"action": "topics"})

    subscriber.refresh_from_db()
    assert (subscriber.all_topics, list(subscriber.topics.all())) == (True, [])


def test_a_followed_topic_with_nothing_live_stays_on_offer(client, topics):
    quiet = make_topic("Quiet")
    subscriber = make_subscriber(status="confirmed", all_topics=False)
    subscriber.topics.set([quiet])

    html = client.get(preferences_url(subscriber)).content.decode()

    assert re.findall(r'<label for="id_topics_\d">([^<]+)</label>', html) == [
        "Heat",
        "Quiet",
        "Water",
        "Wind",
    ]


def test_pausing_and_resuming(client):
    subscriber = make_subscriber(status="confirmed")
    url = preferences_url(subscriber)

    paused = client.post(url, {"action": "pause"}, follow=True)
    assert messages_of(paused) == [
        "Your subscription is paused: we will not email you until you resume it."
    ]
    assert Subscriber.objects.get().status == "paused"
    assert Subscriber.objects.confirmed().count() == 0
    assert 'value="resume">Resume my subscription</button>' in paused.content.decode()

    resumed = client.post(url, {"action": "resume"}, follow=True)
    assert messages_of(resumed) == ["Welcome back: your subscription is active again."]
    assert Subscriber.objects.get().status == "confirmed"


def test_a_pending_subscriber_cannot_confirm_by_pausing_and_resuming(client):
    subscriber = make_subscriber(status="pending")
    url = preferences_url(subscriber)

    page = client.get(url).content.decode()
    pause = client.post(url, {"action": "pause"}, follow=True)
    client.post(url, {"action": "resume"})

    assert "Please confirm your subscription with the link in our email first" in page
    assert "Pause my subscription" not in page
    assert messages_of(pause) == ["Only a confirmed subscription can be paused or resumed."]
    assert Subscriber.objects.get().status == "pending"


def test_a_post_without_a_known_action_changes_nothing(client):
    subscriber = make_subscriber(status="confirmed")

    response = client.post(preferences_url(subscriber), {"action": "delete-everything"})

    assert response.status_code == 200
    assert "Please use one of the buttons below." in response.content.decode()
    assert Subscriber.objects.get().status == "confirmed"


@pytest.mark.parametrize("path", ["preferences", "unsubscribe"])
def test_a_forged_or_confirm_link_is_not_a_manage_link(client, path):
    subscriber = make_subscriber(status="confirmed")
    confirm = subscriber_token(subscriber, "confirm")

    for token in ["forged", confirm, subscriber_token(subscriber, "manage")[:-2] + "xx"]:
        response = client.post(f"/subscribe/{path}/{token}/", {"action": "pause"})
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()
    assert Subscriber.objects.get().status == "confirmed"


def test_the_unsubscribe_link_asks_before_it_unsubscribes(client):
    subscriber = make_subscriber(status="confirmed")

    token = subscriber_token(subscriber, "manage")

    response = client.get(f"/subscribe/unsubscribe/{token}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<button type="submit">Unsubscribe</button>' in html
    assert f'href="/subscribe/preferences/{token}/"' in html
    assert Subscriber.objects.get().status == "confirmed"


def test_pressing_unsubscribe_unsubscribes(client):
    subscriber = make_subscriber(status="confirmed")

    response = client.post(unsubscribe_url(subscriber))

    assert response.status_code == 200
    assert "<h1>You are unsubscribed</h1>" in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribed_at is not None) == ("unsubscribed", True)
    assert Subscriber.objects.confirmed().count() == 0


def test_one_click_unsubscribe_works_without_cookies_or_csrf_token():
    # RFC 8058: the mail client POSTs this body itself, with no cookie and no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    subscriber = make_subscriber(status="confirmed")

    response = mail_client.post(
        unsubscribe_url(subscriber),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Subscriber.objects.get().status == "unsubscribed"


def test_unsubscribing_twice_keeps_the_first_time(client):
    subscriber = make_subscriber(status="confirmed")
    client.post(unsubscribe_url(subscriber))
    first = Subscriber.objects.get().unsubscribed_at

    again = client.post(unsubscribe_url(subscriber))

    assert again.status_code == 200
    assert Subscriber.objects.get().unsubscribed_at == first
    page = client.get(preferences_url(subscriber)).content.decode()
    assert "You are unsubscribed: we will not email you." in page
    assert "Save topics" not in page


def test_the_preference_page_unsubscribe_button_posts_to_the_unsubscribe_link(client):
    subscriber = make_subscriber(status="paused")

    token = subscriber_token(subscriber, "manage")

    html = client.get(f"/subscribe/preferences/{token}/").content.decode()

    assert f'<form method="post" action="/subscribe/unsubscribe/{token}/">' in html


def test_the_list_unsubscribe_headers_name_the_https_link(settings):
    settings.SITE_URL = "https://news.example.org"
    subscriber = make_subscriber()

    headers = list_unsubscribe_headers(subscriber)

    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert one_click_subscriber(headers["List-Unsubscribe"].strip("<>")) == subscriber


def test_the_confirmation_email_carries_the_https_one_click_headers(client, smtp_server, settings):
    settings.SITE_URL = "https://news.example.org"

    client.post("/subscribe/", {"email": "reader@example.org", "consent": "on"})
    run_queued_tasks()

    [message] = smtp_server.messages
    link = message["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")
    assert one_click_subscriber(link) == Subscriber.objects.get()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The visible links, in both parts (made a moment apart from the header's, so compared by
    # what they name).
    for part in ("plain", "html"):
        [visible] = re.findall(
            r"https://news\.example\.org/subscribe/unsubscribe/[^/\s]+/",
            message.get_body((part,)).get_content(),
        )
        assert one_click_subscriber(visible) == Subscriber.objects.get()


def test_the_page_makes_the_same_number_of_queries_with_one_or_three_topics(client, topics):
    subscriber = make_subscriber(status="confirmed", all_topics=False)
    subscriber.topics.set(topics[:1])
    with CaptureQueriesContext(connection) as one:
        client.get(preferences_url(subscriber))
    # 1. the subscriber
    # 2. the topics it follows
    # 3. the topics on offer: those live and those followed
    subscriber.topics.set(topics)
    with CaptureQueriesContext(connection) as three:
        client.get(preferences_url(subscriber))

    assert len(one) == len(three) == 3
