"""Embargoed sends: a release sent to journalists before it is public says so, and gives each
recipient a personal link that works until the lift, can be revoked, and logs every open; the
public address stays a 404 until the lift."""

import datetime
import re

import pytest
import time_machine
from django.core import signing

from contacts.mailings.embargo import delivery_from_token, embargo_token
from contacts.mailings.sending import deliver
from contacts.models import Delivery, EmbargoOpen, EmbargoRevocation, Mailing
from tests.factories import make_mailing, make_media_contact, make_release, make_user
from tests.smtp_sink import Sink, header_text, use_sink

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
LIFT = datetime.datetime(2030, 5, 1, 1, 0, tzinfo=UTC)  # 09:00 in Singapore
BEFORE = LIFT - datetime.timedelta(hours=12)
AFTER = LIFT + datetime.timedelta(minutes=1)
RELEASE_URL = "/releases/2030/05/01/storm-plan/"


@pytest.fixture
def sent(settings):
    """A release scheduled for 09:00 Singapore time, sent the evening before to two
    journalists; returns their deliveries and the emails as received."""
    settings.SITE_URL = "https://newsroom.example"
    with time_machine.travel(BEFORE, tick=False), Sink() as sink:
        use_sink(settings, sink)
        release = make_release(
            "Storm plan",
            slug="storm-plan",
            published_at=LIFT,
            dateline_time_zone="Asia/Singapore",
            body="<p>The secret plan.</p>",
        )
        mailing = make_mailing(release, subject="New storm plan", status=Mailing.Status.QUEUED)
        mailing.contacts.set(
            [make_media_contact("Lois", "Lane"), make_media_contact("Clark", "Kent")]
        )
        mailing.start()
        deliver(mailing)
    lois = Delivery.objects.get(email="lois.lane@example.com")
    clark = Delivery.objects.get(email="clark.kent@example.com")
    return lois, clark, sink


def link_in(sink, address):
    text = sink.message_to(address).get_body(("plain",)).get_content()
    return re.search(r"https://newsroom\.example(/embargo/\S+/)", text).group(1)


def test_the_email_says_embargoed_until_the_lift_and_carries_a_personal_link(sent):
    lois, clark, sink = sent
    raw = sink.raw_to(lois.email)
    assert header_text(raw, "Subject") == (
        "EMBARGOED UNTIL Wed 01 May 2030, 09:00 Asia/Singapore (UTC+08:00): New storm plan"
    )
    text = sink.message_to(lois.email).get_body(("plain",)).get_content()
    assert text.startswith(
        "EMBARGOED UNTIL Wed 01 May 2030, 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC\r\n"
        "Not for publication or broadcast before then."
    )
    assert "EMBARGOED UNTIL" in sink.message_to(lois.email).get_body(("html",)).get_content()
    token = re.fullmatch(r"/embargo/([^/]+)/", link_in(sink, lois.email)).group(1)
    assert delivery_from_token(token) == lois
    assert link_in(sink, lois.email) != link_in(sink, clark.email)


def test_before_the_lift_the_link_shows_the_release_and_logs_the_open(sent, client):
    lois, clark, sink = sent
    with time_machine.travel(BEFORE + datetime.timedelta(hours=1), tick=False):
        public = client.get(RELEASE_URL)
        response = client.get(link_in(sink, lois.email))
        client.get(link_in(sink, lois.email))

    assert public.status_code == 404
    page = response.content.decode()
    assert response.status_code == 200
    assert "The secret plan." in page
    assert "Embargoed until Wed 01 May 2030, 09:00 Asia/Singapore (UTC+08:00)" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    opens = EmbargoOpen.objects.all()
    assert [(o.delivery, o.opened_at) for o in opens] == [
        (lois, BEFORE + datetime.timedelta(hours=1)),
        (lois, BEFORE + datetime.timedelta(hours=1)),
    ]


def test_a_revoked_link_is_a_404_at_once_and_logs_nothing(sent, client, settings):
    settings.PAGE_CACHE_SECONDS = 60  # a cache of public pages must not keep it working
    lois, clark, sink = sent
    with time_machine.travel(BEFORE, tick=False):
        before = client.get(link_in(sink, lois.email))
        EmbargoRevocation.objects.create(delivery=lois)
        revoked = client.get(link_in(sink, lois.email))
        other = client.get(link_in(sink, clark.email))

    assert before.status_code == 200
    assert revoked.status_code == 404
    assert "The secret plan." not in revoked.content.decode()
    assert other.status_code == 200
    assert [o.delivery for o in EmbargoOpen.objects.order_by("pk")] == [lois, clark]


def test_after_the_lift_the_link_leads_to_the_public_page(sent, client):
    lois, clark, sink = sent
    with time_machine.travel(AFTER, tick=False):
        link = client.get(link_in(sink, lois.email))
        public = client.get(RELEASE_URL)

    assert (link.status_code, link["Location"]) == (302, RELEASE_URL)
    assert public.status_code == 200
    assert "The secret plan." in public.content.decode()
    assert "Embargoed until" not in public.content.decode()
    assert EmbargoOpen.objects.count() == 0


def test_a_forged_or_foreign_token_opens_nothing(sent, client):
    lois, clark, sink = sent
    forged = signing.dumps(lois.pk, salt="another.purpose")
    skipped = Delivery.objects.create(
        mailing=lois.mailing, email="perry@example.com", status=Delivery.Status.SKIPPED
    )
    with time_machine.travel(BEFORE, tick=False):
        for token in [forged, "nonsense", embargo_token(lois)[:-2], embargo_token(skipped)]:
            assert client.get(f"/embargo/{token}/").status_code == 404
    assert EmbargoOpen.objects.count() == 0


def test_the_link_of_an_unpublished_release_opens_nothing(sent, client):
    lois, clark, sink = sent
    lois.mailing.release.status = "draft"
    lois.mailing.release.save()
    with time_machine.travel(BEFORE, tick=False):
        assert client.get(link_in(sink, lois.email)).status_code == 404


def test_a_send_after_the_lift_is_not_embargoed(settings):
    with Sink() as sink:
        use_sink(settings, sink)
        mailing = make_mailing(make_release("Storm plan"), status=Mailing.Status.QUEUED)
        mailing.contacts.set([make_media_contact()])
        mailing.start()
        deliver(mailing)

    message = sink.message_to("lois.lane@example.com")
    assert message["Subject"] == "Storm plan"
    assert "/embargo/" not in message.get_body(("plain",)).get_content()


def test_a_press_officer_revokes_links_from_the_delivery_log(sent, client):
    lois, clark, sink = sent
    officer = make_user("officer", "Press officer")
    client.force_login(officer)

    response = client.post(
        "/admin/contacts/delivery/",
        {"action": "revoke_embargo_links", "_selected_action": [lois.pk]},
        follow=True,
    )

    assert "1 embargo link(s) revoked." in response.content.decode()
    assert [(r.delivery, r.revoked_by) for r in EmbargoRevocation.objects.all()] == [
        (lois, officer)
    ]
    log = client.get("/admin/contacts/delivery/").content.decode()
    assert "revoked" in log
