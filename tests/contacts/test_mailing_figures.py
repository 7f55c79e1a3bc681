"""Per mailing, what happened after the send: sent, delivered, bounced, opened (an estimate),
clicked, opted out, and the embargo link's opens, each recipient counted once as well as every
click and open in all."""

import pytest

from contacts.models import DeliveryEvent, EmbargoOpen, Mailing
from tests.factories import make_delivery, make_mailing, make_media_contact, make_release
from tests.pages import count_queries, get_page

pytestmark = pytest.mark.django_db
E = DeliveryEvent.Kind


def sent_to(mailing, first, last, status="sent", events=(), embargo_opens=0):
    delivery = make_delivery(mailing, make_media_contact(first, last), status=status)
    for kind in events:
        url = "https://cities.example/" if kind == E.CLICKED else ""
        source = {E.OPENED: "pixel", E.CLICKED: "redirect"}.get(kind, "provider")
        DeliveryEvent.objects.create(delivery=delivery, kind=kind, source=source, url=url)
    EmbargoOpen.objects.bulk_create([EmbargoOpen(delivery=delivery)] * embargo_opens)
    return delivery


@pytest.fixture
def mailing():
    """Six journalists, each doing something else with the release; and another mailing to
    one of them, whose events must not count."""
    mailing = make_mailing(make_release("Heat plan"), status=Mailing.Status.DONE)
    sent_to(mailing, "Lois", "Lane", events=[E.DELIVERED, E.OPENED, E.OPENED, E.CLICKED, E.CLICKED])
    sent_to(mailing, "Clark", "Kent", events=[E.DELIVERED, E.CLICKED])  # a click is an open
    sent_to(mailing, "Jimmy", "Olsen", events=[E.BOUNCED])
    sent_to(mailing, "Perry", "White", events=[E.DELIVERED], embargo_opens=3)
    sent_to(mailing, "Cat", "Grant", events=[E.DELIVERED, E.UNSUBSCRIBED, E.COMPLAINED])
    sent_to(mailing, "Ron", "Troupe", status="skipped")
    other = make_mailing(make_release("Cold plan"), status=Mailing.Status.DONE)
    sent_to(other, "Steve", "Lombard", events=[E.DELIVERED, E.OPENED, E.CLICKED], embargo_opens=2)
    return mailing


def test_each_figure_counts_recipients_once_and_clicks_and_opens_in_all(mailing):
    figures = Mailing.objects.with_figures().get(pk=mailing.pk)
    assert {
        "sent": figures.sent,
        "delivered": figures.delivered,
        "bounced": figures.bounced,
        "complained": figures.complained,
        "opened": figures.opened,
        "clicked": figures.clicked,
        "clicks": figures.clicks,
        "unsubscribed": figures.unsubscribed,
        "embargo_readers": figures.embargo_readers,
        "embargo_opens": figures.embargo_opens,
    } == {
        "sent": 5,
        "delivered": 4,
        "bounced": 1,
        "complained": 1,
        "opened": 3,  # Lois (pixel), Clark (a click), Perry (the embargo link)
        "clicked": 2,
        "clicks": 3,
        "unsubscribed": 1,
        "embargo_readers": 1,
        "embargo_opens": 3,
    }


def test_a_mailing_nobody_got_yet_has_zeros_not_blanks():
    make_mailing(status=Mailing.Status.QUEUED)
    figures = Mailing.objects.with_figures().get()
    assert (figures.sent, figures.opened, figures.clicks, figures.embargo_opens) == (0, 0, 0, 0)


def test_the_figures_of_any_number_of_mailings_take_one_query(mailing, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(Mailing.objects.with_figures()) == 2


def test_the_mailing_page_shows_the_figures_with_their_share_of_those_sent(mailing, officer_client):
    page = get_page(officer_client, f"/admin/contacts/mailing/{mailing.pk}/change/")
    rows = [
        '<th scope="row">Sent</th><td class="number">5</td><td class="number"></td>',
        '<th scope="row">Delivered</th><td class="number">4</td><td class="number">80%</td>',
        '<th scope="row">Bounced</th><td class="number">1</td><td class="number">20%</td>',
        '<th scope="row">Opened (estimated)</th><td class="number">3</td>'
        '<td class="number">60%</td>',
        '<th scope="row">Clicked</th><td class="number">2</td><td class="number">40%</td>'
        "<td>3 click(s) in all.</td>",
        '<th scope="row">Opted out</th><td class="number">1</td><td class="number">20%</td>',
        '<th scope="row">Opened the embargo link</th><td class="number">1</td>'
        '<td class="number">20%</td><td>3 open(s) in all.</td>',
    ]
    for row in rows:
        assert row in page


def test_a_draft_shows_no_figures(officer_client):
    draft = make_mailing(status=Mailing.Status.DRAFT)
    page = get_page(officer_client, f"/admin/contacts/mailing/{draft.pk}/change/")
    assert "After the send" not in page


def test_the_mailing_page_takes_as_many_queries_for_one_recipient_as_for_many(officer_client):
    one = make_mailing(make_release("One"), status=Mailing.Status.DONE)
    sent_to(one, "Lois", "Lane", events=[E.OPENED, E.CLICKED])
    many = make_mailing(make_release("Many"), status=Mailing.Status.DONE)
    sent_to(many, "Clark", "Kent", events=[E.OPENED, E.CLICKED], embargo_opens=2)
    sent_to(many, "Jimmy", "Olsen", events=[E.DELIVERED, E.CLICKED, E.CLICKED])
    sent_to(many, "Perry", "White", events=[E.BOUNCED])

    url = "/admin/contacts/mailing/{}/change/"
    assert count_queries(officer_client, url.format(one.pk)) == count_queries(
        officer_client, url.format(many.pk)
    )
