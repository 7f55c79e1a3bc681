"""Sending a release to media lists and contacts: who receives it, what the email says, and how
bad input (header injection, long and international names and addresses) is handled."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contacts.mailings.sending import deliver
from contacts.models import ContactEvent, Delivery, Mailing, MediaList, Membership
from tests.factories import (
    make_mailing,
    make_media_contact,
    make_media_list,
    make_release,
    make_user,
)
from tests.smtp_sink import Sink, header_text, raw_headers, use_sink

pytestmark = pytest.mark.django_db


def send(mailing):
    """Queue the mailing and send it from this process, as a worker would."""
    mailing.status = Mailing.Status.QUEUED
    mailing.save()
    mailing.start()
    return deliver(mailing)


def test_members_of_the_lists_and_chosen_contacts_each_receive_one_email(sink):
    lois = make_media_contact("Lois", "Lane")
    clark = make_media_contact("Clark", "Kent")
    jimmy = make_media_contact("Jimmy", "Olsen")
    perry = make_media_contact("Perry", "White", do_not_contact=True, do_not_contact_reason="Asked")
    former = make_media_contact("Cat", "Grant")
    make_media_contact("Erased", "Person", erased_at=timezone.now())
    climate = make_media_list("Climate desks", contacts=[lois, clark, perry, former])
    Membership.objects.filter(contact=former).update(left_at=timezone.now())
    cities = make_media_list("City desks", contacts=[clark])
    officer = make_user("officer", "Press officer", first_name="Pat", last_name="Officer")
    release = make_release("Cooling centres open", body="<p>Eleven centres.</p><p>Open daily.</p>")
    mailing = make_mailing(
        release, personal_note="Happy to arrange interviews.", created_by=officer
    )
    mailing.media_lists.set([climate, cities])
    mailing.contacts.set([jimmy, lois])

    assert send(mailing).sent == 3

    assert sink.count_by_recipient() == {
        "lois.lane@example.com": 1,
        "clark.kent@example.com": 1,
        "jimmy.olsen@example.com": 1,
    }
    assert sorted(mailing.deliveries.values_list("email", "status", "error")) == [
        ("clark.kent@example.com", "sent", ""),
        ("jimmy.olsen@example.com", "sent", ""),
        ("lois.lane@example.com", "sent", ""),
        ("perry.white@example.com", "skipped", "Do not contact: Asked"),
    ]
    message = sink.message_to("lois.lane@example.com")
    assert message["Subject"] == "Cooling centres open"
    assert message["To"] == "Lois Lane <lois.lane@example.com>"
    assert message["Reply-To"] == "Pat Officer <officer@example.org>"
    assert (
        message["Message-ID"]
        == f"<delivery-{lois.deliveries.get().pk}.mailing-{mailing.pk}@newsroom.example>"
    )
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Dear Lois,\n\nHappy to arrange interviews.\n\nCooling centres open" in text
    assert "Eleven centres.\n\nOpen daily." in text
    assert f"Online: https://newsroom.example{release.get_absolute_url()}" in text
    assert "<p>Eleven centres.</p>" in message.get_body(("html",)).get_content()
    assert "EMBARGO" not in str(message)
    assert Mailing.objects.get().status == "done"
    event = ContactEvent.objects.get(contact=lois, kind="sent")
    assert event.detail == f"Mailing {mailing.pk}: Cooling centres open"


def test_building_the_deliveries_twice_adds_nobody(sink):
    mailing = make_mailing()
    mailing.contacts.set([make_media_contact()])
    mailing.build_deliveries()
    mailing.build_deliveries()
    assert mailing.deliveries.count() == 1


def test_a_contact_marked_do_not_contact_after_the_rows_were_made_is_skipped(sink):
    lois, clark = make_media_contact("Lois", "Lane"), make_media_contact("Clark", "Kent")
    mailing = make_mailing(status=Mailing.Status.QUEUED)
    mailing.contacts.set([lois, clark])
    mailing.start()
    clark.do_not_contact = True
    clark.save()

    deliver(mailing)

    assert sink.recipients() == ["lois.lane@example.com"]
    assert clark.deliveries.get().status == "skipped"


def test_names_with_line_breaks_or_300_characters_never_break_a_header(sink):
    injected = make_media_contact("Evil\r\nBcc: victim@example.net", "X", email="a@example.com")
    long_ascii = make_media_contact("A" * 100, "B" * 100, email="b@example.com")
    long_unicode = make_media_contact("李" * 100, "😀" * 100, email="c@example.com")
    quoted = make_media_contact('Zoë "Z", Jr.', "O'Brien (BBC)", email="d@example.com")
    mailing = make_mailing(subject="Line\r\nBcc: victim@example.net")
    mailing.contacts.set([injected, long_ascii, long_unicode, quoted])

    assert send(mailing).sent == 4

    assert sorted(sink.recipients()) == [f"{c}@example.com" for c in "abcd"]
    for _, raw in sink.received:
        lines = raw_headers(raw)
        assert max(len(line) for line in lines) <= 998
        assert not any(line.lower().startswith(b"bcc") for line in lines)
        assert b"\r\n" not in raw.replace(b"\r\n", b"") and b"\n" not in raw.replace(b"\r\n", b"")
    to = {address: header_text(sink.raw_to(address), "To") for address in sink.recipients()}
    assert to["a@example.com"] == '"Evil Bcc: victim@example.net X" <a@example.com>'
    assert to["b@example.com"] == "A" * 100 + " " + "B" * 18 + "… <b@example.com>"
    assert to["c@example.com"] == "李" * 100 + " " + "😀" * 18 + "… <c@example.com>"
    assert to["d@example.com"] == 'Zoë "Z", Jr. O\'Brien (BBC) <d@example.com>'
    for address in sink.recipients():  # one address each, whatever the name held
        assert [a.addr_spec for a in sink.message_to(address)["To"].addresses] == [address]
    assert header_text(sink.raw_to("a@example.com"), "Subject") == "Line Bcc: victim@example.net"


def test_an_international_domain_is_sent_in_punycode(sink):
    mailing = make_mailing()
    mailing.contacts.set([make_media_contact("Jürgen", "Müller", email="juergen@bücher.example")])

    send(mailing)

    assert sink.recipients() == ["juergen@xn--bcher-kva.example"]
    to = header_text(sink.raw_to("juergen@xn--bcher-kva.example"), "To")
    assert to == "Jürgen Müller <juergen@xn--bcher-kva.example>"


def test_a_unicode_local_part_fails_with_a_reason_when_the_server_lacks_smtputf8(sink):
    mailing = make_mailing()
    mailing.contacts.set(
        [make_media_contact("José", "Ñúñez", email="josé@example.com"), make_media_contact()]
    )

    send(mailing)

    assert sink.recipients() == ["lois.lane@example.com"]
    failed = mailing.deliveries.get(email="josé@example.com")
    assert failed.status == "failed"
    assert "does not offer SMTPUTF8" in failed.error


def test_a_unicode_local_part_is_delivered_by_a_server_with_smtputf8(settings):
    with Sink(smtputf8=True) as sink:
        use_sink(settings, sink)
        mailing = make_mailing()
        mailing.contacts.set([make_media_contact("José", "Ñúñez", email="josé@bücher.example")])

        send(mailing)

    assert sink.recipients() == ["josé@xn--bcher-kva.example"]
    to = [line for line in raw_headers(sink.received[0][1]) if line.startswith(b"To:")]
    assert to == ["To: José Ñúñez <josé@xn--bcher-kva.example>".encode()]


def test_a_refused_address_fails_at_once_and_a_greylisted_one_is_retried_later(settings):
    refused, greylisted = "gone@example.com", "busy@example.com"
    with Sink(refuse=[refused], greylist=[greylisted]) as sink:
        use_sink(settings, sink)
        mailing = make_mailing()
        mailing.contacts.set(
            [
                make_media_contact("Gone", "Away", email=refused),
                make_media_contact("Busy", "Desk", email=greylisted),
                make_media_contact(),
            ]
        )
        send(mailing)

        rows = {row.email: row for row in mailing.deliveries.all()}
        assert (rows[refused].status, rows[refused].error) == (
            "failed",
            "The mail server refused: 550 5.1.1 No such user here",
        )
        assert (rows[greylisted].status, rows[greylisted].attempts) == ("queued", 1)
        assert "451 4.7.1 Greylisted" in rows[greylisted].error
        assert deliver(mailing).sent == 0  # not yet: it waits a minute
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
            assert deliver(mailing).sent == 1

    assert sink.count_by_recipient() == {"lois.lane@example.com": 1, greylisted: 1}
    assert Mailing.objects.get().status == "done"


# The admin


@pytest.fixture
def officer_client(client):
    client.force_login(make_user("officer", "Press officer"))
    return client


def test_only_press_officers_and_administrators_see_mailings(client):
    make_mailing()
    for group, status in [("Editor", 403), ("Contributor", 403), ("Administrator", 200)]:
        client.force_login(make_user(group.lower(), group))
        assert client.get("/admin/contacts/mailing/").status_code == status
        assert client.get("/admin/contacts/delivery/").status_code == status


def test_a_subject_with_a_line_break_is_refused_with_a_message(officer_client):
    release = make_release()
    contact = make_media_contact()
    response = officer_client.post(
        "/admin/contacts/mailing/add/",
        {"release": release.pk, "contacts": [contact.pk], "subject": "Hello\r\nBcc: x@y.z"},
    )
    assert response.status_code == 200
    assert "The subject must be one line: remove the line breaks." in response.content.decode()
    assert Mailing.objects.count() == 0


def test_compose_preview_and_send_now(officer_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    release = make_release("Cooling centres open")
    climate = make_media_list("Climate desks", contacts=[make_media_contact()])
    # "Send to media" from a release opens the form with the release chosen.
    form = officer_client.get(f"/admin/contacts/mailing/add/?release={release.pk}").content.decode()
    assert f'<option value="{release.pk}" selected>Cooling centres open</option>' in form
    assert (
        'name="subject"' in form and 'name="personal_note"' in form and 'name="send_at_0"' in form
    )
    with Sink() as sink:
        use_sink(settings, sink)
        response = officer_client.post(
            "/admin/contacts/mailing/add/",
            {"release": release.pk, "media_lists": [climate.pk], "personal_note": "Hi all."},
        )
        mailing = Mailing.objects.get()
        assert response.status_code == 302
        assert (mailing.kind, mailing.status, mailing.created_by.username) == (
            "distribution",
            "draft",
            "officer",
        )
        preview = officer_client.get(f"/admin/contacts/mailing/{mailing.pk}/preview/")
        page = preview.content.decode()
        assert "Lois Lane &lt;lois.lane@example.com&gt;" in page
        assert "Dear Lois," in page and "Hi all." in page
        draft = officer_client.get(f"/admin/contacts/mailing/{mailing.pk}/change/").content.decode()
        assert "Send now" in draft

        sent = officer_client.post(f"/admin/contacts/mailing/{mailing.pk}/send/", follow=True)

    assert sink.recipients() == ["lois.lane@example.com"]
    page = sent.content.decode()
    assert "Sending now." in page
    assert re.search(r'<progress id="send-progress" max="1" value="1">', page)
    assert 'http-equiv="refresh"' not in page  # done: no more reloading
    assert f"/admin/contacts/delivery/?mailing__id__exact={mailing.pk}" in page


def test_the_progress_bar_counts_and_reloads_while_sending(officer_client):
    mailing = make_mailing(status=Mailing.Status.SENDING)
    for index, status in enumerate(["sent", "sent", "failed", "queued"]):
        contact = make_media_contact(f"C{index}", "X")
        Delivery.objects.create(
            mailing=mailing, contact=contact, email=contact.email, status=status
        )

    page = officer_client.get(f"/admin/contacts/mailing/{mailing.pk}/change/").content.decode()

    assert '<progress id="send-progress" max="4" value="3">' in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "Sent: 2" in page and "Failed: 1" in page and "Queued: 1" in page
    assert "Retry 1 failed" in page


def test_retry_failed_queues_the_failed_emails_again(officer_client):
    mailing = make_mailing(status=Mailing.Status.DONE)
    contact = make_media_contact()
    Delivery.objects.create(
        mailing=mailing, contact=contact, email=contact.email, status="failed", attempts=8
    )

    officer_client.post(f"/admin/contacts/mailing/{mailing.pk}/retry/")

    row = mailing.deliveries.get()
    assert (row.status, row.attempts, row.error) == ("queued", 0, "")
    assert Mailing.objects.get().status == "sending"


def test_retrying_selected_failed_emails_from_the_delivery_log_sends_them_again(officer_client):
    mailing = make_mailing(status=Mailing.Status.DONE)
    failed, other = (
        Delivery.objects.create(
            mailing=mailing, contact=contact, email=contact.email, status="failed", attempts=8
        )
        for contact in [make_media_contact("A", "X"), make_media_contact("B", "X")]
    )

    officer_client.post(
        "/admin/contacts/delivery/",
        {"action": "retry_selected", "index": 0, "_selected_action": [failed.pk]},
    )

    assert list(mailing.deliveries.values_list("email", "status", "attempts")) == [
        ("a.x@example.com", "queued", 0),
        ("b.x@example.com", "failed", 8),
    ]
    assert Mailing.objects.get().status == "sending"
    [task] = DBTaskResult.objects.filter(status="READY")
    assert (task.task_path, task.args_kwargs["args"]) == (
        "contacts.tasks.send_mailing",
        [mailing.pk],
    )


def test_two_presses_of_send_at_once_queue_the_mailing_once():
    make_mailing()
    first, second = Mailing.objects.get(), Mailing.objects.get()

    first.queue()

    with pytest.raises(ValueError, match="This mailing has been sent already."):
        second.queue()
    assert Mailing.objects.get().status == "queued"


def test_the_preview_is_addressed_to_a_current_member_of_the_lists(officer_client):
    former = make_media_contact("Aaron", "Abbott")  # first in name order
    make_media_list("Climate desks", contacts=[former, make_media_contact("Zoe", "Zimmer")])
    Membership.objects.filter(contact=former).update(left_at=timezone.now())
    mailing = make_mailing()
    mailing.media_lists.set(MediaList.objects.all())

    page = officer_client.get(f"/admin/contacts/mailing/{mailing.pk}/preview/").content.decode()

    assert "Zoe Zimmer &lt;zoe.zimmer@example.com&gt;" in page
    assert "Abbott" not in page


def test_the_delivery_log_filters_by_status_and_shows_the_reason(officer_client):
    mailing = make_mailing()
    for name, status, error in [("A", "sent", ""), ("B", "failed", "550 No such user")]:
        contact = make_media_contact(name, "X")
        Delivery.objects.create(
            mailing=mailing, contact=contact, email=contact.email, status=status, error=error
        )

    page = officer_client.get(
        f"/admin/contacts/delivery/?mailing__id__exact={mailing.pk}&status__exact=failed"
    ).content.decode()

    assert "b.x@example.com" in page and "550 No such user" in page
    assert "a.x@example.com" not in page


def test_a_topic_alert_is_shown_read_only_with_its_progress(officer_client):
    mailing = make_mailing(kind=Mailing.Kind.ALERT, status=Mailing.Status.DONE)

    page = officer_client.get(f"/admin/contacts/mailing/{mailing.pk}/change/").content.decode()

    assert "View mailing" in page
    assert 'name="_save"' not in page
    assert '<progress id="send-progress" max="1" value="0">' in page
    assert 'http-equiv="refresh"' not in page
