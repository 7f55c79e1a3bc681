"""Robots, floods and bad input on the sign-up form: a clear message, never a 500, never a
broken email header."""

import logging
import re

import pytest
from django.core.cache import caches
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from contacts.models import Subscriber
from tests.factories import make_release, make_topic
from tests.pages import messages_of
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

SIGNED_UP = "Thank you. Please check your inbox to confirm: the link we sent works for 7 days."
TOO_MANY_FROM_NETWORK = "Too many sign-ups from your network; please try again in a few minutes."
TOO_MANY_FOR_ADDRESS = "Too many sign-ups for this email address; please try again in an hour."
# A header line is a name and a colon, or the continuation of a folded line.
HEADER_LINE = re.compile(rb"[!-9;-~]+:[ \t]*[^\r\n]*|[ \t]+[^\r\n]*")


def post(client, email="reader@example.org", ip="192.0.2.1", **fields):
    """Post the form, then run what it queued, as the worker would."""
    response = client.post(
        "/subscribe/", {"email": email, "consent": "on", **fields}, REMOTE_ADDR=ip
    )
    run_queued_tasks()
    return response


def headers_of(raw):
    """The header lines as received, each checked to be a well-formed line."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    lines = re.split(rb"\r?\n", head)
    broken = [line for line in lines if not HEADER_LINE.fullmatch(line)]
    assert broken == [], f"Broken header lines: {broken}"
    return [line.split(b":")[0].decode() for line in lines if not line[:1].isspace()]


def test_a_filled_honeypot_gets_the_usual_answer_and_nothing_is_stored(client, smtp_server):
    response = client.post(
        "/subscribe/",
        {"email": "robot@example.org", "consent": "on", "website": "http://spam.example"},
        follow=True,
    )
    run_queued_tasks()

    assert response.redirect_chain == [("/subscribe/", 302)]
    assert messages_of(response) == [SIGNED_UP]
    assert Subscriber.objects.count() == 0
    assert smtp_server.messages == []


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client):
    html = client.get("/subscribe/").content.decode()

    honeypot = re.search(r'<p class="visually-hidden" aria-hidden="true">(.*?)</p>', html, re.S)
    assert 'name="website"' in honeypot.group(1)
    assert 'tabindex="-1"' in honeypot.group(1)
    assert 'autocomplete="off"' in honeypot.group(1)
    assert "leave this field empty" in honeypot.group(1)


def test_a_honeypot_with_a_nul_is_still_only_a_robot(client, smtp_server):
    response = post(client, website="\x00")

    assert response.status_code == 302
    assert Subscriber.objects.count() == 0


def test_five_sign_ups_per_network_then_a_clear_refusal(client, smtp_server):
    for n in range(5):
        assert post(client, f"reader{n}@example.org").status_code == 302

    refused = post(client, "reader5@example.org")
    other_network = post(client, "reader6@example.org", ip="198.51.100.7")

    html = refused.content.decode()
    assert refused.status_code == 429
    assert TOO_MANY_FROM_NETWORK in html
    assert 'value="reader5@example.org"' in html
    assert other_network.status_code == 302
    assert Subscriber.objects.filter(email="reader5@example.org").exists() is False
    assert len(smtp_server.messages) == 6


def test_three_sign_ups_per_address_whatever_the_case_then_a_clear_refusal(client, smtp_server):
    for n, email in enumerate(["a@example.org", "A@example.org", "a@EXAMPLE.org"]):
        assert post(client, email, ip=f"192.0.2.{n}").status_code == 302

    refused = post(client, "a@example.org", ip="192.0.2.99")

    assert refused.status_code == 429
    assert TOO_MANY_FOR_ADDRESS in refused.content.decode()
    assert len(smtp_server.messages) == 3


def test_invalid_sign_ups_do_not_use_up_the_limit(client, smtp_server):
    for _ in range(6):
        assert post(client, "not-an-address").status_code == 200

    assert post(client).status_code == 302


def test_the_counts_live_in_the_shared_cache(client, smtp_server):
    """Another app server sharing the cache (Redis in production) sees the same counts."""
    for n in range(5):
        post(client, f"reader{n}@example.org")

    another_server = caches.create_connection("default")
    assert another_server.get("subscribe:network:192.0.2.1") == 5


def test_when_the_cache_is_down_sign_ups_go_through_with_a_warning(
    client, smtp_server, settings, caplog
):
    # Nothing listens on port 1: every cache call fails, as when Redis is unreachable.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.ReusedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "retry_on_timeout": False},
        }
    }
    caplog.set_level(logging.WARNING, logger="contacts.subscriptions.ratelimit")

    responses = [post(client, "reader@example.org") for _ in range(5)]

    assert [response.status_code for response in responses] == [302] * 5
    assert Subscriber.objects.get().status == "pending"
    assert "Sign-up rate limit not checked: the cache is unavailable" in caplog.text


INVALID = "Enter a valid email address."
CONTROL = "An email address cannot contain line breaks or other control characters."


@pytest.mark.parametrize(
    "email, error",
    [
        ("reader@", INVALID),
        ("plainaddress", INVALID),
        ("@example.org", INVALID),
        ("a@b@example.org", INVALID),
        ("reader@example..org", INVALID),
        ("", "This field is required."),
        # Header injection: a line break would start a new header, here a Bcc.
        ("a@b.com\r\nBcc: x@y.z", CONTROL),
        ("a@b.com\nBcc: x@y.z", CONTROL),
        ("a\x00@example.org", CONTROL),
        ("x" * 300 + "@example.org", "An email address has at most 254 characters."),
        # Django's EmailValidator takes internationalized domains, not non-ASCII local parts.
        ("üser@example.org", INVALID),
        ("用户@例子.广告", INVALID),
    ],
)
def test_bad_addresses_get_a_clear_message_and_no_email(client, smtp_server, email, error):
    response = post(client, email)

    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<span class="error" id="email-error">([^<]*)</span>', html) == [error]
    assert "<title>Error: Subscribe" in html
    assert Subscriber.objects.count() == 0
    assert smtp_server.messages == []


def test_an_internationalized_domain_is_accepted_and_mailed_in_punycode(client, smtp_server):
    assert post(client, "user@bücher.example").status_code == 302

    assert Subscriber.objects.get().email == "user@bücher.example"
    assert smtp_server.recipients == [["user@xn--bcher-kva.example"]]
    headers = headers_of(smtp_server.raw[0])
    assert b"\nTo: user@xn--bcher-kva.example\n" in smtp_server.raw[0].replace(b"\r\n", b"\n")
    assert "Bcc" not in headers


def test_the_confirmation_email_has_exactly_the_expected_headers(client, smtp_server):
    post(client, "a@b.com\r\nBcc: x@y.z")
    post(client, "reader@example.org")

    [raw] = smtp_server.raw
    assert sorted(headers_of(raw)) == [
        "Content-Type",
        "Date",
        "From",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "MIME-Version",
        "Message-ID",
        "Subject",
        "To",
    ]
    assert smtp_server.recipients == [["reader@example.org"]]


@pytest.mark.parametrize(
    "topics, error",
    [
        (["abc"], "Please choose from the topics listed."),
        (["99999"], "Please choose from the topics listed."),
        (["1 OR 1=1"], "Please choose from the topics listed."),
        (["\x00"], "Null characters are not allowed."),
    ],
)
def test_bad_topics_get_a_message_not_a_500(client, smtp_server, topics, error):
    make_release("On heat", topics=[make_topic("Heat")])

    response = post(client, topics=topics)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Subscriber.objects.count() == 0


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(email=TEXT, source=TEXT, website=TEXT, consent=TEXT)
def test_no_input_makes_a_500(client, email, source, website, consent):
    response = client.post(
        "/subscribe/",
        {"email": email, "source": source, "website": website, "consent": consent},
        REMOTE_ADDR="192.0.2.1",
    )

    assert response.status_code in (200, 302, 429)
