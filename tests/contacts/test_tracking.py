"""What a journalist did with an email: links in a send to media go through signed redirects
that count the click, and where the office allows it a pixel counts the open. Nobody can make
the redirect lead anywhere we did not write."""

import io
import re
from html import unescape

import pytest
from django.core import signing
from PIL import Image

from contacts.mailings.embargo import embargo_token
from contacts.mailings.sending import deliver
from contacts.mailings.tracking import CLICK_SALT, OPEN_SALT
from contacts.models import Delivery, DeliveryEvent, Mailing
from tests.factories import make_mailing, make_media_contact, make_release

pytestmark = pytest.mark.django_db
SITE = "https://newsroom.example"
REPORT = "https://cities.example/report?year=2030&lang=en"
BODY = (
    f'<p>Read <a href="{REPORT.replace("&", "&amp;")}">the report</a>, or '
    '<a href="mailto:press@example.org">write to us</a>.</p>'
)


@pytest.fixture
def send(settings, sink):
    """Sends a release to Lois and Clark through a real SMTP server; returns a function giving
    the HTML each of them received."""
    settings.MAILING_OPEN_PIXEL = True

    def html_to(address):
        return sink.message_to(address).get_body(("html",)).get_content()

    release = make_release("Heat plan", slug="heat-plan", body=BODY)
    mailing = make_mailing(release, status=Mailing.Status.QUEUED)
    mailing.contacts.set([make_media_contact("Lois", "Lane"), make_media_contact("Clark", "Kent")])
    mailing.start()
    deliver(mailing)
    return html_to


def links(html):
    return [unescape(href) for href in re.findall(r'<a [^>]*href="([^"]*)"', html)]


def path_of(url):
    assert url.startswith(SITE), url
    return url.removeprefix(SITE)


def test_web_links_in_the_email_go_through_a_signed_redirect_of_its_own(send):
    lois, clark = send("lois.lane@example.com"), send("clark.kent@example.com")
    report, mailto, online, opt_out = links(lois)
    assert re.fullmatch(rf"{SITE}/mail/c/[^/]+/", report)
    assert re.fullmatch(rf"{SITE}/opt-out/[^/]+/", opt_out)  # never through a redirect
    assert re.fullmatch(rf"{SITE}/mail/c/[^/]+/", online)  # "Read it online"
    assert mailto == "mailto:press@example.org"
    assert report != links(clark)[0]  # each recipient's own
    assert "the report</a>" in lois


def test_a_click_is_recorded_and_leads_to_the_link(send, client):
    report = links(send("lois.lane@example.com"))[0]

    response = client.get(path_of(report))
    client.get(path_of(report))

    assert response.status_code == 302
    assert response["Location"] == REPORT
    assert "no-store" in response["Cache-Control"]
    lois = Delivery.objects.get(email="lois.lane@example.com")
    events = DeliveryEvent.objects.values_list("delivery", "kind", "source", "url")
    assert list(events) == [(lois.pk, "clicked", "redirect", REPORT)] * 2


def test_a_forged_or_altered_click_address_redirects_nowhere(send, client):
    report = path_of(links(send("lois.lane@example.com"))[0])
    lois = Delivery.objects.get(email="lois.lane@example.com")
    token = report.split("/")[3]
    other_site = {"d": lois.pk, "u": "https://evil.example/"}
    forged = [
        "/mail/c/https:%2F%2Fevil.example%2F/",  # unsigned
        f"/mail/c/{token[:-2]}xx/",  # altered signature
        f"/mail/c/{signing.dumps(other_site, salt=CLICK_SALT, key='not-our-key')}/",
        f"/mail/c/{signing.dumps(other_site, salt=OPEN_SALT)}/",  # signed for another use
        f"/mail/c/{embargo_token(lois)}/",
        # Signed, but no web address: never followed.
        f"/mail/c/{signing.dumps({'d': lois.pk, 'u': 'javascript:alert(1)'}, salt=CLICK_SALT)}/",
    ]
    for path in forged:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Location" not in response, path
    assert not DeliveryEvent.objects.exists()


def test_the_pixel_records_an_open_and_answers_a_gif_never_cached(send, client):
    html = send("lois.lane@example.com")
    [pixel] = re.findall(r'<img src="([^"]+)" width="1" height="1" alt=""', html)
    assert re.fullmatch(rf"{SITE}/mail/o/[^/]+/", pixel)

    response = client.get(path_of(pixel))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert Image.open(io.BytesIO(response.content)).size == (1, 1)
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response
    lois = Delivery.objects.get(email="lois.lane@example.com")
    assert list(DeliveryEvent.objects.values_list("delivery", "kind", "source")) == [
        (lois.pk, "opened", "pixel")
    ]


def test_a_forged_pixel_address_records_nothing(send, client):
    lois = Delivery.objects.get(email="lois.lane@example.com")
    assert client.get(f"/mail/o/{lois.pk}/").status_code == 404
    assert client.get(f"/mail/o/{embargo_token(lois)}/").status_code == 404
    assert not DeliveryEvent.objects.exists()


def test_where_the_office_does_not_allow_it_there_is_no_pixel_and_opens_are_not_recorded(
    send, client, settings
):
    pixel = re.findall(r'<img src="([^"]+)"', send("lois.lane@example.com"))[0]
    settings.MAILING_OPEN_PIXEL = False
    release = make_release("Cold plan", slug="cold-plan")
    mailing = make_mailing(release, status=Mailing.Status.QUEUED)
    mailing.contacts.set([make_media_contact("Jimmy", "Olsen")])
    mailing.start()
    deliver(mailing)

    assert "<img" not in send("jimmy.olsen@example.com")
    response = client.get(path_of(pixel))  # an earlier email's pixel

    assert response["Content-Type"] == "image/gif"
    assert not DeliveryEvent.objects.exists()
