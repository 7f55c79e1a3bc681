"""Sends to media in several languages: a mailing can keep to the journalists of one language,
and send each journalist the translation of the release in their language, the subject, body,
links, history and embargo link following the translation sent."""

import datetime
import re

import pytest
import time_machine

from contacts.mailings.embargo import delivery_from_token
from contacts.mailings.sending import deliver
from contacts.models import ContactEvent, Delivery, Mailing
from tests.factories import make_mailing, make_media_contact, make_release

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def send(mailing):
    mailing.status = Mailing.Status.QUEUED
    mailing.save()
    mailing.start()
    return deliver(mailing)


@pytest.fixture
def journalists():
    return [
        make_media_contact("Lois", "Lane", language="en"),
        make_media_contact("Ana", "García", language="es-mx"),
        make_media_contact("Minji", "Kim", language="ko"),
        make_media_contact("Jean", "Dupont", language=""),
    ]


@pytest.fixture
def group():
    english = make_release(
        "Cooling centres open", slug="cooling-centres", body="<p>Eleven centres.</p>"
    )
    spanish = make_release(
        "Abren los centros de enfriamiento",
        slug="abren-centros",
        language="es",
        translation_key=english.translation_key,
        body='<p>Once centros. <a href="https://cities.example/es">Informe</a></p>',
    )
    make_release(  # a draft translation is never sent
        "냉방 센터 개소", language="ko", translation_key=english.translation_key, status="draft"
    )
    return english, spanish


def test_each_journalist_gets_the_translation_in_their_language(sink, journalists, group):
    english, spanish = group
    mailing = make_mailing(english, subject="Centres open today", in_their_language=True)
    mailing.contacts.set(journalists)

    assert send(mailing).sent == 4

    subjects = {address: sink.message_to(address)["Subject"] for address in sink.recipients()}
    assert subjects == {
        "lois.lane@example.com": "Centres open today",
        "ana.garcia@example.com": "Abren los centros de enfriamiento",
        "minji.kim@example.com": "Centres open today",
        "jean.dupont@example.com": "Centres open today",
    }
    ana = sink.message_to("ana.garcia@example.com")
    text = ana.get_body(("plain",)).get_content()
    assert "Once centros." in text and "Eleven centres" not in text
    assert f"https://newsroom.example{spanish.get_absolute_url()}" in text
    html = ana.get_body(("html",)).get_content()
    assert "https://cities.example/es" not in html  # through the click redirect
    assert re.search(r"https://newsroom\.example/mail/c/[^/]+/", html)
    sent = {row.email: row.sent_release for row in Delivery.objects.select_related("release")}
    assert sent["ana.garcia@example.com"] == spanish
    assert sent["lois.lane@example.com"] == english
    assert list(
        ContactEvent.objects.filter(kind="sent")
        .order_by("contact__email")
        .values_list("contact__email", "detail")
    ) == [
        ("ana.garcia@example.com", f"Mailing {mailing.pk}: Abren los centros de enfriamiento"),
        ("jean.dupont@example.com", f"Mailing {mailing.pk}: Cooling centres open"),
        ("lois.lane@example.com", f"Mailing {mailing.pk}: Cooling centres open"),
        ("minji.kim@example.com", f"Mailing {mailing.pk}: Cooling centres open"),
    ]


def test_without_the_option_everyone_gets_the_mailings_release(sink, journalists, group):
    english, _ = group
    mailing = make_mailing(english)
    mailing.contacts.set(journalists)

    send(mailing)

    assert {sink.message_to(a)["Subject"] for a in sink.recipients()} == {"Cooling centres open"}
    assert not Delivery.objects.filter(release__isnull=False).exists()


def test_a_mailing_for_one_language_reaches_only_its_journalists(sink, journalists, group):
    english, _ = group
    mailing = make_mailing(english, language="es", in_their_language=True)
    mailing.contacts.set(journalists)

    send(mailing)

    assert sink.count_by_recipient() == {"ana.garcia@example.com": 1}
    assert sink.message_to("ana.garcia@example.com")["Subject"] == (
        "Abren los centros de enfriamiento"
    )


def test_an_embargo_link_opens_the_translation_sent(settings, sink, client):
    lift = datetime.datetime(2030, 5, 1, 1, 0, tzinfo=UTC)
    with time_machine.travel(lift - datetime.timedelta(hours=12), tick=False):
        english = make_release("Storm plan", slug="storm-plan", published_at=lift)
        make_release(
            "Plan contra tormentas",
            slug="plan-tormentas",
            language="es",
            translation_key=english.translation_key,
            published_at=lift,
            body="<p>El plan secreto.</p>",
        )
        mailing = make_mailing(english, in_their_language=True)
        mailing.contacts.set([make_media_contact("Ana", "García", language="es")])
        send(mailing)
        text = sink.message_to("ana.garcia@example.com").get_body(("plain",)).get_content()
        path = re.search(r"https://newsroom\.example(/embargo/\S+/)", text).group(1)
        page = client.get(path)

    assert "Plan contra tormentas" in sink.message_to("ana.garcia@example.com")["Subject"]
    assert delivery_from_token(path.split("/")[2]).sent_release.title == "Plan contra tormentas"
    assert "El plan secreto." in page.content.decode()


def test_the_delivery_log_names_the_translation_sent(sink, journalists, group, officer_client):
    english, spanish = group
    mailing = make_mailing(english, in_their_language=True)
    mailing.contacts.set(journalists)
    send(mailing)
    ana = Delivery.objects.get(email="ana.garcia@example.com")

    page = officer_client.get(f"/admin/contacts/delivery/{ana.pk}/change/").content.decode()

    assert "Translation sent" in page and "Abren los centros de enfriamiento" in page


def test_the_preview_shows_the_translation_its_first_recipient_gets(group, officer_client):
    english, _ = group
    mailing = make_mailing(english, in_their_language=True)
    mailing.contacts.set([make_media_contact("Ana", "García", language="es")])

    page = officer_client.get(f"/admin/contacts/mailing/{mailing.pk}/preview/").content.decode()

    assert "Abren los centros de enfriamiento" in page and "Estimado/a Ana:" in page
