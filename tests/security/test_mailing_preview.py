"""What a press officer types into a release or a mailing's personal note, judged by a real
browser where it is shown: the admin's preview of the email (the page and the sandboxed frame
that holds the email's HTML) and the email journalists receive. Everywhere it is text: it runs
nothing, loads nothing and moves no browser to another address.

As in test_xss_browser.py the browser bypasses the Content-Security-Policy: escaping must hold
on its own. Every address in a payload is the planted host, where nothing listens, so a payload
that made the browser fetch or navigate is seen without any traffic leaving the machine."""

import pytest
from django.test import Client

from contacts.mailings.sending import deliver
from contacts.models import Mailing
from tests.factories import (
    make_mailing,
    make_media_contact,
    make_media_list,
    make_release,
    make_topic,
    make_user,
)
from tests.security.xss import DOM_AUDIT, PAYLOADS, PLANTED_HOST, Browser
from tests.smtp_sink import Sink, use_sink

pytestmark = pytest.mark.django_db(transaction=True)

REFRESH = f'<meta http-equiv="refresh" content="0;url=http://{PLANTED_HOST}/planted-refresh">'
IMAGE = '"><img src=x onerror=alert(101)>'
BASE = f'<base href="http://{PLANTED_HOST}/planted-base/">'
FORM = f'<form action="http://{PLANTED_HOST}/planted-form"><button>Go</button></form>'
# Ends a srcdoc attribute written without escaping, then the frame, and runs a script.
BREAKOUT = '"></iframe><script>alert(102)</script><iframe srcdoc="'
NAMED = [REFRESH, IMAGE, BASE, FORM, BREAKOUT]
EVERY_PAYLOAD = [*NAMED, *PAYLOADS]
TITLE = f"Heat plan {IMAGE}"

# Attributes naming the planted host (a <base href>, a <form action>, an <img src>), except
# srcdoc, which holds the email with its payloads as escaped text.
PLANTED_ATTRIBUTES = r"""(host) => [...document.querySelectorAll("*")].flatMap((el) =>
  [...el.attributes].filter((a) => a.name !== "srcdoc" && a.value.includes(host))
    .map((a) => `<${el.tagName.toLowerCase()} ${a.name}=${a.value}>`))"""


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def mailing():
    """A send to media of a release with a payload in every field an email shows, to a
    journalist whose first name is one, with the subject and the personal note full of them."""
    release = make_release(
        TITLE,
        slug="heat-plan",
        subtitle=REFRESH,
        dateline_place=BASE,
        summary=FORM,
        boilerplate="\n".join(EVERY_PAYLOAD),
        body="".join(f"<p>{payload}</p>" for payload in EVERY_PAYLOAD),
        topics=[make_topic(name=BREAKOUT)],
    )
    contact = make_media_contact(IMAGE, "Lane", email="lois.lane@example.com")
    mailing = make_mailing(release, subject=BREAKOUT, personal_note="\n".join(EVERY_PAYLOAD))
    mailing.media_lists.set([make_media_list(contacts=[contact])])
    return mailing


@pytest.fixture
def officer_tab(context, live_server):
    """A tab signed in as a press officer, who composes and previews mailings."""
    client = Client()
    client.force_login(make_user("officer", "Press officer"))
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return Browser(context, live_server.url)


def open_preview(tab, mailing):
    """Open the mailing's preview and check that the page stayed where it was, holds the
    email in one sandboxed frame and nothing else a payload could make. Returns the text of
    the plain version and of the HTML version, as the browser shows them."""
    path = f"/admin/contacts/mailing/{mailing.pk}/preview/"
    assert tab.page.goto(tab.base_url + path, wait_until="load").status == 200
    tab.page.wait_for_timeout(500)  # a refresh after 0 seconds has happened by now
    assert tab.dialogs == [] and tab.planted == []
    assert tab.page.url == tab.base_url + path
    assert tab.page.evaluate(DOM_AUDIT) == ["<iframe>", "iframe srcdoc"]
    # No allow-scripts, allow-top-navigation, allow-same-origin or any other exception.
    assert tab.page.get_attribute("iframe", "sandbox") == ""
    assert tab.page.evaluate(PLANTED_ATTRIBUTES, PLANTED_HOST) == []
    [frame] = [frame for frame in tab.page.frames if frame != tab.page.main_frame]
    assert frame.url == "about:srcdoc"
    assert frame.evaluate(DOM_AUDIT) == []
    assert frame.evaluate(PLANTED_ATTRIBUTES, PLANTED_HOST) == []
    assert tab.dialogs == [] and tab.planted == []
    return tab.page.text_content("pre"), frame.evaluate("document.body.textContent")


def test_the_preview_of_a_send_to_media_shows_what_was_typed_as_text_and_runs_nothing(
    officer_tab, mailing
):
    text, html = open_preview(officer_tab, mailing)
    # Every payload of the note and the boilerplate, whole: one parsed as markup would not be.
    for payload in EVERY_PAYLOAD:
        assert payload in text, payload
        assert payload in html, payload
    for shown in (TITLE, REFRESH, BASE, f"Dear {IMAGE},"):
        assert shown in text and shown in html
    assert officer_tab.page.text_content(".email-headers tr") == f"Subject{BREAKOUT}"


def test_the_preview_of_a_topic_alert_shows_the_release_fields_as_text_and_runs_nothing(
    officer_tab, mailing
):
    text, html = open_preview(officer_tab, make_mailing(mailing.release, kind=Mailing.Kind.ALERT))
    for shown in (TITLE, REFRESH, f"{BASE}, ", FORM, f"you follow {BREAKOUT} at"):
        assert shown in text and shown in html, shown


def test_the_email_journalists_receive_carries_what_was_typed_as_text(
    context, live_server, mailing, settings
):
    """The HTML part, opened in a browser as a mail client would show it, and the plain part,
    which is text/plain and so carries the note exactly as typed."""
    with Sink() as sink:
        use_sink(settings, sink)
        mailing.status = Mailing.Status.QUEUED
        mailing.save()
        mailing.start()
        assert deliver(mailing).sent == 1
    message = sink.message_to("lois.lane@example.com")
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "\n".join(EVERY_PAYLOAD) in plain
    tab = Browser(context, live_server.url)
    tab.visit("/robots.txt")  # a page of the site's own origin, as in the control test
    tab.page.set_content(message.get_body(("html",)).get_content())
    tab.page.wait_for_timeout(500)
    tab.audit("the email")
    assert tab.page.evaluate(PLANTED_ATTRIBUTES, PLANTED_HOST) == []
    tab.assert_nothing_ran()
    shown = tab.page.text_content("body")
    for payload in [*EVERY_PAYLOAD, TITLE, f"Dear {IMAGE},"]:
        assert payload in shown, payload


def test_the_preview_page_escapes_both_versions_of_the_email(client, mailing):
    """The same, read from the HTML itself (it also runs where Chromium is missing)."""
    client.force_login(make_user("officer", "Press officer"))
    page = client.get(f"/admin/contacts/mailing/{mailing.pk}/preview/").content.decode()
    opening = "&lt;!DOCTYPE html&gt;\n&lt;html lang=&quot;en&quot; dir=&quot;ltr&quot;&gt;"
    assert f'srcdoc="{opening}' in page
    assert 'sandbox=""' in page
    assert "<meta http-equiv" not in page
    assert "<img src=x" not in page and "<base " not in page and '<form action="http' not in page
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in page
