"""A release sent again to journalists who already have it: the admin warns before the send
(how many, who), and the send leaves them out, each as a skipped row with the reason, unless
the officer ticks the box to include them."""

import pytest
from django.test import Client

from contacts.mailings.sending import deliver
from contacts.models import Delivery, Mailing
from tests.factories import (
    make_delivery,
    make_mailing,
    make_media_contact,
    make_media_list,
    make_outlet,
    make_release,
    make_user,
)
from tests.pages import count_queries, get_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_send():
    """A release sent to Lois and Clark (Clark's email failed); now a second mailing of it to
    a list of Lois, Clark and Jimmy, still a draft."""
    release = make_release("Cooling centres open")
    planet = make_outlet("The Daily Planet")
    lois = make_media_contact("Lois", "Lane", outlet=planet)
    clark = make_media_contact("Clark", "Kent")
    jimmy = make_media_contact("Jimmy", "Olsen")
    first = make_mailing(release, status=Mailing.Status.DONE)
    make_delivery(first, lois, status=Delivery.Status.SENT)
    make_delivery(first, clark, status=Delivery.Status.FAILED)
    other_release = make_mailing(make_release("Another story"), status=Mailing.Status.DONE)
    make_delivery(other_release, jimmy, status=Delivery.Status.SENT)
    second = make_mailing(release)
    second.media_lists.set([make_media_list("City desks", contacts=[lois, clark, jimmy])])
    return first, second


def start(mailing, **queue_options):
    mailing.queue(**queue_options)
    mailing.start()


def test_recipients_who_received_the_release_are_left_out_with_the_reason(second_send, sink):
    first, second = second_send

    start(second)
    assert deliver(second).sent == 2

    assert sorted(second.deliveries.values_list("email", "status", "error")) == [
        ("clark.kent@example.com", "sent", ""),
        ("jimmy.olsen@example.com", "sent", ""),
        (
            "lois.lane@example.com",
            "skipped",
            f"Already received this release (mailing {first.pk})",
        ),
    ]
    assert sink.count_by_recipient() == {
        "clark.kent@example.com": 1,
        "jimmy.olsen@example.com": 1,
    }


def test_the_officer_may_include_them(second_send, sink):
    _, second = second_send

    start(second, include_earlier_recipients=True)
    assert deliver(second).sent == 3

    assert Mailing.objects.get(pk=second.pk).include_earlier_recipients is True
    assert sorted(sink.count_by_recipient()) == [
        "clark.kent@example.com",
        "jimmy.olsen@example.com",
        "lois.lane@example.com",
    ]


def test_a_mailing_being_sent_counts_and_building_again_changes_nothing(second_send):
    first, second = second_send
    Delivery.objects.filter(mailing=first, status="failed").update(status="sending")

    start(second)
    second.build_deliveries()

    assert sorted(second.deliveries.values_list("email", "status")) == [
        ("clark.kent@example.com", "skipped"),
        ("jimmy.olsen@example.com", "queued"),
        ("lois.lane@example.com", "skipped"),
    ]


def test_the_admin_warns_who_already_received_it_before_the_send(second_send):
    _, second = second_send
    client = Client()
    client.force_login(make_user("press", group_name="Press officer"))

    html = client.get(f"/admin/contacts/mailing/{second.pk}/change/").content.decode()

    assert (
        "1 of the recipients already received this release from an earlier mailing. They are "
        "left out of this send unless you tick the box below." in html
    )
    assert "<li>Lois Lane &lt;lois.lane@example.com&gt;, The Daily Planet</li>" in html
    assert "Clark Kent &lt;" not in html  # his email failed: he never had it
    assert "Jimmy Olsen &lt;" not in html  # he had another release
    assert 'name="include_earlier_recipients"' in html


def test_sending_from_the_admin_without_the_tick_leaves_them_out(second_send):
    _, second = second_send
    client = Client()
    client.force_login(make_user("press", group_name="Press officer"))

    response = client.post(f"/admin/contacts/mailing/{second.pk}/send/", follow=True)

    assert "1 recipient(s) who already received this release are left out." in (
        response.content.decode()
    )
    assert Mailing.objects.get(pk=second.pk).include_earlier_recipients is False


def test_sending_from_the_admin_with_the_tick_includes_them(second_send):
    _, second = second_send
    client = Client()
    client.force_login(make_user("press", group_name="Press officer"))

    client.post(f"/admin/contacts/mailing/{second.pk}/send/", {"include_earlier_recipients": "on"})

    assert Mailing.objects.get(pk=second.pk).include_earlier_recipients is True


def test_no_warning_for_a_first_send(client):
    release = make_release("Cooling centres open")
    mailing = make_mailing(release)
    mailing.contacts.set([make_media_contact("Lois", "Lane")])
    client.force_login(make_user("press", group_name="Press officer"))

    html = client.get(f"/admin/contacts/mailing/{mailing.pk}/change/").content.decode()

    assert "Send now" in html
    assert "repeat-recipients" not in html


def test_the_warning_costs_the_same_queries_for_one_or_three_repeat_recipients(officer_client):
    release = make_release("Cooling centres open")
    first = make_mailing(release, status=Mailing.Status.DONE)
    second = make_mailing(release)
    url = f"/admin/contacts/mailing/{second.pk}/change/"

    def add_repeat(name):
        contact = make_media_contact(name, "Reporter", outlet=make_outlet(f"{name} Daily"))
        make_delivery(first, contact, status=Delivery.Status.SENT)
        second.contacts.add(contact)

    add_repeat("Ann")
    one = count_queries(officer_client, url)
    add_repeat("Bea")
    add_repeat("Cy")
    three = count_queries(officer_client, url)

    assert "3 of the recipients already received this release" in get_page(officer_client, url)
    assert one == three
