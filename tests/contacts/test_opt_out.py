"""Every email to a journalist carries an opt-out: RFC 8058 one-click headers (an https link,
and a mailto when the office has an address for it) and a link in the body. Opting out puts the
address on the suppression list, marks the contact and records the event; the next send leaves
them out. Embargo times are shown in the journalist's own time zone too."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.test import Client

from contacts.mailings.sending import deliver
from contacts.models import DeliveryEvent, Mailing, MediaContact, Suppression
from tests.factories import make_mailing, make_media_contact, make_release
from tests.smtp_sink import header_text

pytestmark = pytest.mark.django_db
LIFT = datetime.datetime(2030, 5, 1, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Singapore


def send(release, *contacts):
    mailing = make_mailing(release, status=Mailing.Status.QUEUED)
    mailing.contacts.set(contacts)
    mailing.start()
    deliver(mailing)
    return mailing


def opt_out_path(sink, address):
    """The opt-out link of the email `address` received, from its List-Unsubscribe header."""
    links = header_text(sink.raw_to(address), "List-Unsubscribe")
    return re.match(r"<https://newsroom\.example(/opt-out/[^/>]+/)>", links).group(1)


def test_the_email_carries_one_click_headers_and_an_opt_out_link(sink, settings):
    settings.LIST_UNSUBSCRIBE_MAILTO = "optout@newsroom.example"
    lois = make_media_contact("Lois", "Lane")
    mailing = send(make_release("Cooling centres open"), lois)

    raw = sink.raw_to("lois.lane@example.com")
    path = opt_out_path(sink, "lois.lane@example.com")
    assert header_text(raw, "List-Unsubscribe") == (
        f"<https://newsroom.example{path}>, "
        "<mailto:optout@newsroom.example?subject=Opt%20out%20lois.lane%40example.com>"
    )
    assert header_text(raw, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    message = sink.message_to("lois.lane@example.com")
    text = message.get_body(("plain",)).get_content()
    assert f"To opt out of our releases: https://newsroom.example{path}" in text
    html = message.get_body(("html",)).get_content()
    assert f'<a href="https://newsroom.example{path}">Opt out</a>' in html
    # The Message-ID is kept, for the provider's reports on this email.
    delivery = mailing.deliveries.get()
    assert (
        delivery.message_id
        == message["Message-ID"]
        == (f"<delivery-{delivery.pk}.mailing-{mailing.pk}@newsroom.example>")
    )


def test_without_a_mailto_address_only_the_link_is_given(sink):
    send(make_release("Cooling centres open"), make_media_contact("Lois", "Lane"))

    path = opt_out_path(sink, "lois.lane@example.com")
    raw = sink.raw_to("lois.lane@example.com")
    assert header_text(raw, "List-Unsubscribe") == f"<https://newsroom.example{path}>"


def test_opening_the_link_asks_and_changes_nothing(sink, client):
    send(make_release("Cooling centres open"), make_media_contact("Lois", "Lane"))

    response = client.get(opt_out_path(sink, "lois.lane@example.com"))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Stop all press releases from" in html and "<strong>lois.lane@example.com</strong>" in html
    )
    assert '<button type="submit">Opt out</button>' in html
    assert Suppression.objects.count() == DeliveryEvent.objects.count() == 0
    assert MediaContact.objects.get().do_not_contact is False


def test_one_click_opts_out_without_cookies_login_or_csrf_token(sink):
    release = make_release("Cooling centres open")
    mailing = send(release, make_media_contact("Lois", "Lane"), make_media_contact("Clark", "Kent"))
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        opt_out_path(sink, "lois.lane@example.com"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "We will not send press releases to <strong>lois.lane@example.com</strong> again." in (
        response.content.decode()
    )
    [suppression] = Suppression.objects.all()
    assert (suppression.email, suppression.reason, suppression.source) == (
        "lois.lane@example.com",
        "opted_out",
        f"Opt-out link in mailing {mailing.pk}",
    )
    [event] = DeliveryEvent.objects.all()
    assert (event.delivery.email, event.kind, event.source) == (
        "lois.lane@example.com",
        "unsubscribed",
        "newsroom",
    )
    lois = MediaContact.objects.get(email="lois.lane@example.com")
    assert (lois.do_not_contact, lois.do_not_contact_reason) == (
        True,
        "Opted out through the link in an email",
    )
    assert lois.events.filter(kind="do_not_contact").count() == 1
    assert MediaContact.objects.get(email="clark.kent@example.com").do_not_contact is False

    # Twice (the mail client, then the reader on the page): still one of each.
    mail_client.post(opt_out_path(sink, "lois.lane@example.com"))
    assert (Suppression.objects.count(), DeliveryEvent.objects.count()) == (1, 1)
    html = Client().get(opt_out_path(sink, "lois.lane@example.com")).content.decode()
    assert "is already opted out" in html


def test_the_next_send_leaves_them_out(sink, client):
    lois = make_media_contact("Lois", "Lane")
    first = send(make_release("Cooling centres open"), lois)
    client.post(opt_out_path(sink, "lois.lane@example.com"))
    MediaContact.objects.filter(pk=lois.pk).update(do_not_contact=False)  # even if unmarked

    second = send(make_release("Another story"), lois)

    assert list(second.deliveries.values_list("status", "error")) == [
        ("skipped", f"Suppressed: opted out (Opt-out link in mailing {first.pk})")
    ]


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps(1, salt="contacts.embargo"),  # a real token of another kind
        signing.dumps("1", salt="contacts.opt-out"),
    ],
    ids=["not-a-token", "embargo-token", "token-of-a-string"],
)
def test_a_forged_link_is_a_404_and_suppresses_nobody(sink, client, token):
    send(make_release("Cooling centres open"), make_media_contact("Lois", "Lane"))

    response = client.post(f"/opt-out/{token}/")

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert Suppression.objects.count() == DeliveryEvent.objects.count() == 0


def test_the_embargo_is_shown_in_the_journalists_time_zone_too(sink):
    with time_machine.travel(LIFT - datetime.timedelta(hours=12), tick=False):
        release = make_release("Storm plan", published_at=LIFT, dateline_time_zone="Asia/Singapore")
        send(
            release,
            make_media_contact("Lois", "Lane", time_zone="Europe/Berlin"),
            make_media_contact("Clark", "Kent", time_zone="America/New_York"),
            make_media_contact("Min", "Kim", time_zone="Asia/Singapore"),
            make_media_contact("Jimmy", "Olsen"),  # no time zone known
        )

    def text_to(address):
        return sink.message_to(address).get_body(("plain",)).get_content().replace("\r\n", "\n")

    lifted = "EMBARGOED UNTIL Wed 01 May 2030, 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC\n"
    assert text_to("lois.lane@example.com").startswith(
        lifted + "Your time: Wed 01 May 2030, 03:00 Europe/Berlin (UTC+02:00)\n"
    )
    assert text_to("clark.kent@example.com").startswith(
        lifted + "Your time: Tue 30 Apr 2030, 21:00 America/New_York (UTC-04:00)\n"
    )
    assert "Your time" not in text_to("min.kim@example.com")
    assert "Your time" not in text_to("jimmy.olsen@example.com")
    html = sink.message_to("lois.lane@example.com").get_body(("html",)).get_content()
    assert "Your time: Wed 01 May 2030, 03:00 Europe/Berlin (UTC+02:00)<br>" in html
