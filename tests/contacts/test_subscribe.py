"""Signing up at /subscribe/ and on release pages: double opt-in through a real SMTP server.

The request only queues the sign-up; the worker records it and sends the email
(tests/contacts/test_subscribe_worker.py), so these tests run the queued task after posting."""

import datetime
import re

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.models import Subscriber
from contacts.subscriptions.forms import CONSENT_TEXT_VERSION
from tests.factories import make_release, make_subscriber, make_topic, name_the_organization
from tests.pages import renders_of
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

SIGNED_UP = "Thank you. Please check your inbox to confirm: the link we sent works for 7 days."


def sign_up(client, email="reader@example.org", **fields):
    """Post the form, then run what it queued, as the worker would."""
    response = client.post("/subscribe/", {"email": email, "consent": "on", **fields}, follow=True)
    run_queued_tasks()
    return response


def confirm_link(message):
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:8000(/subscribe/confirm/[^/\s]+/)", text).group(1)


def test_the_subscribe_page_offers_the_topics_with_live_releases_by_name(client):
    heat, water = make_topic("Heat"), make_topic("Water")
    make_topic("Nothing live")
    make_release("On heat", topics=[heat])
    make_release("On water", topics=[water])

    html = client.get("/subscribe/").content.decode()

    assert re.findall(r'<label for="id_topics_\d">([^<]+)</label>', html) == ["Heat", "Water"]
    assert "Tick none to get everything we publish." in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_a_valid_sign_up_is_pending_with_its_consent_recorded(client, smtp_server):
    before = timezone.now()
    response = sign_up(client, "Reader@Example.org", source="/releases/")

    assert response.redirect_chain == [("/subscribe/", 302)]
    assert [str(m) for m in response.context["messages"]] == [SIGNED_UP]
    subscriber = Subscriber.objects.get()
    assert (
        subscriber.email,
        subscriber.status,
        subscriber.source,
        subscriber.consent_text,
        subscriber.all_topics,
        subscriber.confirmed_at,
    ) == ("Reader@Example.org", "pending", "/releases/", CONSENT_TEXT_VERSION, True, None)
    assert subscriber.consented_at >= before
    assert smtp_server.recipients == [["Reader@Example.org"]]


def test_chosen_topics_are_stored_and_all_topics_is_off(client, smtp_server):
    heat, water = make_topic("Heat"), make_topic("Water")
    make_release("On heat", topics=[heat, water])

    sign_up(client, topics=[heat.pk])

    subscriber = Subscriber.objects.get()
    assert (subscriber.all_topics, list(subscriber.topics.all())) == (False, [heat])


def test_a_topic_without_live_releases_cannot_be_chosen(client, smtp_server):
    hidden = make_topic("Nothing live")

    response = client.post(
        "/subscribe/", {"email": "a@example.org", "consent": "on", "topics": [hidden.pk]}
    )

    assert response.status_code == 200
    assert "Please choose from the topics listed." in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_the_source_is_a_path_on_this_site_or_nothing(client, smtp_server):
    sign_up(client, "a@example.org", source="https://evil.example/")
    sign_up(client, "b@example.org", source="/releases/\x00\r\n" + "x" * 300)

    sources = dict(Subscriber.objects.values_list("email", "source"))
    assert sources == {"a@example.org": "/subscribe/", "b@example.org": "/releases/" + "x" * 190}


def test_the_confirmation_email_arrives_in_text_and_html_with_its_links(
    client, smtp_server, settings
):
    name_the_organization("Test Newsroom")
    sign_up(client)

    [message] = smtp_server.messages
    assert message["Subject"] == "Please confirm your subscription to Test Newsroom"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["To"] == "reader@example.org"
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = confirm_link(message)
    for body in (text, html):
        assert link in body
        assert "/subscribe/preferences/" in body
        assert "/subscribe/unsubscribe/" in body
    # Folded onto a second line, as a header this long must be; unfolded it is the link.
    assert re.fullmatch(
        r"\s*<http://127\.0\.0\.1:8000/subscribe/unsubscribe/[^/\s]+/>",
        message["List-Unsubscribe"],
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_opening_the_confirm_link_only_shows_a_button(client, smtp_server):
    sign_up(client)

    response = client.get(confirm_link(smtp_server.messages[0]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<button type="submit">Confirm my subscription</button>' in html
    assert "reader@example.org" in html
    assert Subscriber.objects.get().status == "pending"


def test_pressing_confirm_confirms_and_shows_the_preferences(client, smtp_server):
    sign_up(client)

    response = client.post(confirm_link(smtp_server.messages[0]), follow=True)

    subscriber = Subscriber.objects.get()
    assert (subscriber.status, subscriber.confirmed_at is not None) == ("confirmed", True)
    assert response.redirect_chain[0][0].startswith("/subscribe/preferences/")
    assert [str(m) for m in response.context["messages"]] == [
        "Thank you: your subscription is confirmed."
    ]
    assert Subscriber.objects.confirmed().count() == 1
    assert len(smtp_server.messages) == 1  # nothing more: no welcome mail


def test_the_confirm_button_needs_the_csrf_token(client, smtp_server):
    sign_up(client)
    link = confirm_link(smtp_server.messages[0])
    client.handler.enforce_csrf_checks = True

    assert client.post(link).status_code == 403
    assert Subscriber.objects.get().status == "pending"


def test_the_confirm_link_works_for_seven_days_and_then_expires(client, smtp_server):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_up(client)
        link = confirm_link(smtp_server.messages[0])
        traveller.shift(datetime.timedelta(days=7, seconds=-60))
        assert client.get(link).status_code == 200

        traveller.shift(datetime.timedelta(seconds=120))
        page = client.get(link)
        pressed = client.post(link)

    assert page.status_code == pressed.status_code == 404
    assert "This link has expired: sign up again" in page.content.decode()
    assert Subscriber.objects.get().status == "pending"


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "eyJpZCI6MSwiZm9yIjoiY29uZmlybSJ9:1tXXXX:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
    ],
)
def test_a_forged_confirm_link_is_refused(client, token):
    make_subscriber()

    response = client.post(f"/subscribe/confirm/{token}/")

    assert response.status_code == 404
    assert "This link has expired: sign up again" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"


def test_a_manage_link_does_not_confirm(client, smtp_server):
    sign_up(client)
    preferences = re.search(
        r"/subscribe/preferences/([^/\s]+)/", smtp_server.raw[0].decode()
    ).group(1)

    assert client.post(f"/subscribe/confirm/{preferences}/").status_code == 404
    assert Subscriber.objects.get().status == "pending"


def test_an_old_confirm_link_does_not_undo_an_unsubscribe(client, smtp_server):
    sign_up(client)
    Subscriber.objects.update(status="unsubscribed")

    assert client.post(confirm_link(smtp_server.messages[0])).status_code == 404
    assert Subscriber.objects.get().status == "unsubscribed"


@pytest.mark.parametrize("status", ["pending", "confirmed", "paused", "unsubscribed"])
def test_the_answer_is_the_same_whatever_we_know_of_the_address(client, smtp_server, status):
    make_subscriber("known@example.org", status=status)
    unknown = sign_up(client, "unknown@example.org")
    known = sign_up(client, "KNOWN@example.org")

    assert known.redirect_chain == unknown.redirect_chain == [("/subscribe/", 302)]
    assert known.status_code == unknown.status_code == 200
    assert [str(m) for m in known.context["messages"]] == [SIGNED_UP]
    assert [str(m) for m in unknown.context["messages"]] == [SIGNED_UP]
    # Byte for byte, but for the CSRF token.
    without_token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert without_token.sub(b"", known.content) == without_token.sub(b"", unknown.content)


def test_addresses_that_need_confirming_get_the_link_and_subscribers_a_note(
    client, smtp_server, settings
):
    name_the_organization("Newsroom")
    for status in ["pending", "confirmed", "paused", "unsubscribed"]:
        make_subscriber(f"{status}@example.org", status=status)
    for status in ["new", "pending", "confirmed", "paused", "unsubscribed"]:
        sign_up(client, f"{status}@example.org")
        client.cookies.clear()

    assert [(m["To"], m["Subject"]) for m in smtp_server.messages] == [
        ("new@example.org", "Please confirm your subscription to Newsroom"),
        ("pending@example.org", "Please confirm your subscription to Newsroom"),
        ("confirmed@example.org", "You are already subscribed to Newsroom"),
        ("paused@example.org", "You are already subscribed to Newsroom"),
        ("unsubscribed@example.org", "Please confirm your subscription to Newsroom"),
    ]
    assert dict(Subscriber.objects.values_list("email", "status")) == {
        "new@example.org": "pending",
        "pending@example.org": "pending",
        "confirmed@example.org": "confirmed",
        "paused@example.org": "paused",
        "unsubscribed@example.org": "pending",
    }


def test_signing_up_again_never_changes_a_confirmed_subscribers_topics(client, smtp_server):
    heat = make_topic("Heat")
    make_release("On heat", topics=[heat])
    make_subscriber(status="confirmed", all_topics=True)

    sign_up(client, topics=[heat.pk])

    subscriber = Subscriber.objects.get()
    assert (subscriber.all_topics, list(subscriber.topics.all())) == (True, [])


def test_a_mail_server_that_is_down_gives_the_same_answer(client, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard: nothing listens

    response = client.post("/subscribe/", {"email": "reader@example.org", "consent": "on"})
    [result] = run_queued_tasks()

    assert response.status_code == 302
    assert (result.status, result.return_value) == ("SUCCESSFUL", {"sent": False})
    assert Subscriber.objects.get().status == "pending"
    assert "The sign-up email to subscriber" in caplog.text
    assert "was not sent" in caplog.text


def test_the_release_page_offers_its_own_topics_and_posts_to_subscribe(client):
    heat, water, cities = make_topic("Heat"), make_topic("Water"), make_topic("Cities")
    release = make_release("On heat", topics=[water, heat])
    for n in range(3):  # Cities is more popular than either, and no topic of this release
        make_release(f"Cities {n}", topics=[cities])

    html = client.get(release.get_absolute_url()).content.decode()

    form = html[html.index('<form method="post" action="/subscribe/" class="signup-form"') :]
    assert re.findall(r'<label for="id_topics_\d">([^<]+)</label>', form) == ["Heat", "Water"]
    assert f'name="source" value="{release.get_absolute_url()}"' in form


def test_signing_up_without_consent_is_refused_with_a_message(client):
    response = client.post("/subscribe/", {"email": "reader@example.org"})

    assert "Please tick the box to agree to receive our emails." in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_the_database_refuses_two_subscribers_with_the_same_address_in_any_case():
    Subscriber.objects.sign_up("a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(
            email="A@EXAMPLE.ORG", consented_at=Subscriber.objects.get().consented_at
        )


def test_the_sign_up_form_is_rendered_once_until_the_release_changes(client):
    heat = make_topic("Heat")
    release = make_release("On heat", topics=[heat])
    # A query parameter the page does not read: the page is rendered each time, never
    # served from the page cache.
    url = release.get_absolute_url() + "?uncached=1"
    with renders_of("contacts/includes/signup_form.html") as renders:
        client.get(url)
        client.get(url)
        assert len(renders) == 1
        release.topics.add(make_topic("Water"))
        html = client.get(url).content.decode()
    assert len(renders) == 2
    form = html[html.index('<form method="post" action="/subscribe/" class="signup-form"') :]
    assert re.findall(r'<label for="id_topics_\d">([^<]+)</label>', form) == ["Heat", "Water"]
