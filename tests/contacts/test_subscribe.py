import pytest
from django.db import IntegrityError, transaction

from contacts.models import Subscriber

pytestmark = pytest.mark.django_db


def test_a_valid_address_is_stored_as_a_pending_subscriber(client):
    response = client.post(
        "/subscribe/",
        {"email": "Reader@Example.org", "consent": "on", "source": "/releases/"},
        follow=True,
    )

    assert response.redirect_chain == [("/subscribe/", 302)]
    assert "Please check your inbox to confirm." in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status, subscriber.source) == (
        "Reader@Example.org",
        "pending",
        "/releases/",
    )
    assert subscriber.consented_at is not None


def test_an_invalid_address_re_renders_the_form_with_the_error_and_the_input(client):
    response = client.post("/subscribe/", {"email": "reader@", "consent": "on"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert 'value="reader@"' in html
    assert "<title>Error: Subscribe" in html
    assert Subscriber.objects.count() == 0


def test_signing_up_without_consent_is_refused_with_a_message(client):
    response = client.post("/subscribe/", {"email": "reader@example.org"})

    assert "Please tick the box to agree to receive our emails." in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_signing_up_twice_keeps_one_subscriber_whatever_the_case(client):
    client.post("/subscribe/", {"email": "reader@example.org", "consent": "on"})
    second = client.post("/subscribe/", {"email": "READER@example.org", "consent": "on"})

    assert second.status_code == 302
    assert Subscriber.objects.count() == 1


def test_the_answer_is_the_same_for_a_new_and_a_known_address(client):
    new = client.post("/subscribe/", {"email": "a@example.org", "consent": "on"}, follow=True)
    known = client.post("/subscribe/", {"email": "a@example.org", "consent": "on"}, follow=True)

    assert new.redirect_chain == known.redirect_chain == [("/subscribe/", 302)]
    assert [str(m) for m in new.context["messages"]] == [str(m) for m in known.context["messages"]]


def test_someone_who_unsubscribed_and_signs_up_again_is_pending_again(client):
    Subscriber.objects.sign_up("a@example.org")
    Subscriber.objects.update(status=Subscriber.Status.UNSUBSCRIBED)

    client.post("/subscribe/", {"email": "A@example.org", "consent": "on"})

    assert list(Subscriber.objects.values_list("status", flat=True)) == ["pending"]


def test_the_database_refuses_two_subscribers_with_the_same_address_in_any_case():
    Subscriber.objects.sign_up("a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(
            email="A@EXAMPLE.ORG", consented_at=Subscriber.objects.get().consented_at
        )
