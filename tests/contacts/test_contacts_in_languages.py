"""Subscribers and journalists read us in their language: the sign-up form and the preferences
page let a subscriber choose it, our emails to them are written in it (words, dates, direction
of the text), and the press offices are named in the reader's language."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from contacts.mailings.emails import compose
from contacts.models import Delivery, Mailing, PressContact, Subscriber
from contacts.subscriptions.emails import confirmation_email
from contacts.subscriptions.forms import SubscribeForm
from contacts.subscriptions.tokens import subscriber_token
from tests.factories import (
    make_mailing,
    make_media_contact,
    make_office,
    make_press_contact,
    make_release,
    make_subscriber,
)
from tests.pages import messages_of
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db
SEPTEMBER_23 = datetime.datetime(2021, 9, 23, 9, 0, tzinfo=datetime.UTC)


def text_of(message):
    return message.body, message.alternatives[0][0]


def test_the_sign_up_form_offers_the_newsroom_languages_the_pages_one_chosen():
    with translation.override("ko"):
        form = SubscribeForm()
        html = str(form["language"])
    assert form.fields["language"].choices == [
        ("en", "English"),
        ("es", "Español"),
        ("pt-br", "Português (Brasil)"),
        ("fr", "Français"),
        ("ko", "한국어"),
        ("ar", "العربية"),
    ]
    assert '<option value="ko" selected>한국어</option>' in html


def test_a_sign_up_without_a_language_takes_the_pages_one():
    data = {"email": "leitora@example.org", "consent": "on"}
    with translation.override("pt-br"):
        form = SubscribeForm(data)
        assert form.is_valid()
    assert form.cleaned_data["language"] == "pt-br"


def test_a_sign_up_records_the_language_chosen_and_confirms_in_it(client, smtp_server):
    client.post("/subscribe/", {"email": "lectora@example.org", "consent": "on", "language": "es"})
    run_queued_tasks()

    assert Subscriber.objects.get().language == "es"
    [message] = smtp_server.messages
    # (The parser keeps the folding space before the encoded subject.)
    assert message["Subject"].strip() == f"Confirme su suscripción a {settings.NEWSROOM_NAME}"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Hola:\n\nAlguien, esperamos que usted, pidió recibir noticias")


def test_a_sign_up_in_a_language_we_do_not_write_is_refused(client):
    response = client.post(
        "/subscribe/", {"email": "reader@example.org", "consent": "on", "language": "de"}
    )
    assert "Please choose one of the languages listed." in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_subscriber_changes_language_on_the_preferences_page(client):
    subscriber = make_subscriber(status="confirmed")
    url = f"/subscribe/preferences/{subscriber_token(subscriber, 'manage')}/"
    assert '<option value="en" selected>English</option>' in client.get(url).content.decode()

    response = client.post(url, {"action": "language", "language": "ko"}, follow=True)

    subscriber.refresh_from_db()
    assert subscriber.language == "ko"
    assert messages_of(response) == ["We will write to you in this language."]
    assert '<option value="ko" selected>한국어</option>' in response.content.decode()


def test_confirmation_emails_are_written_in_the_subscribers_language():
    korean = confirmation_email(make_subscriber("ko@example.org", language="ko"))
    arabic = confirmation_email(make_subscriber("ar@example.org", language="ar"))

    assert korean.subject == f"{settings.NEWSROOM_NAME} 구독을 확인해 주세요"
    text, html = text_of(korean)
    assert "7일 안에 이 링크를 열고 버튼을 눌러 확인해 주세요" in text
    assert '<html lang="ko" dir="ltr">' in html
    assert '<html lang="ar" dir="rtl">' in text_of(arabic)[1]


def alert_to(subscriber, release):
    mailing = make_mailing(release, kind=Mailing.Kind.ALERT)
    return compose(
        mailing, release, Delivery(mailing=mailing, email=subscriber.email, subscriber=subscriber)
    )


@pytest.mark.parametrize(
    "language, date, words",
    [
        ("en", "Sept. 23, 2021", "Read the release"),
        ("es", "23 de septiembre de 2021", "Leer el comunicado"),
        ("ko", "2021년 9월 23일", "보도자료 읽기"),
    ],
)
def test_an_alert_is_written_and_dated_in_the_subscribers_language(language, date, words):
    release = make_release("Cooling centres open", published_at=SEPTEMBER_23)
    subscriber = make_subscriber(status="confirmed", language=language)

    text, html = text_of(alert_to(subscriber, release))

    assert f"\n{date}\n" in text
    assert f">{date}</time>" in html and f">{words}</a>" in html


def test_a_journalist_sent_a_translation_reads_the_email_around_it_in_its_language(sink):
    english = make_release("Cooling centres open")
    spanish = make_release(
        "Abren los centros", language="es", translation_key=english.translation_key
    )
    ana = make_media_contact("Ana", "García", language="es")
    mailing = make_mailing(english, in_their_language=True)
    delivery = Delivery(mailing=mailing, email=ana.email, contact=ana)

    text, html = text_of(compose(mailing, spanish, delivery))

    assert text.startswith("Estimado/a Ana:\n")
    assert "En línea: " in text
    assert "Recibe este correo como periodista" in text
    assert '<html lang="es" dir="ltr">' in html


def render_contacts_block():
    contacts = PressContact.objects.public().by_office()
    return render_to_string("contacts/includes/press_contacts_block.html", {"contacts": contacts})


def test_press_offices_are_named_in_the_readers_language_with_english_as_the_fallback():
    mexico = make_office("Mexico City", time_zone="America/Mexico_City")
    mexico.name_es = "Ciudad de México"
    mexico.save()
    make_press_contact(
        "Fabiola Guillen", office=mexico, title="Head of Media", title_es="Jefa de Medios"
    )

    with translation.override("es"), CaptureQueriesContext(connection) as spanish:
        html_es = render_contacts_block()
    with translation.override("ko"), CaptureQueriesContext(connection) as korean:
        html_ko = render_contacts_block()
    with CaptureQueriesContext(connection) as english:
        html_en = render_contacts_block()

    assert "<h3>Ciudad de México</h3>" in html_es and "Jefa de Medios" in html_es
    assert "Contactos de prensa" in html_es
    assert "<h3>Mexico City</h3>" in html_ko and "Head of Media" in html_ko
    assert "언론 담당자" in html_ko
    assert "<h3>Mexico City</h3>" in html_en and "Press Contacts" in html_en
    # One query in every language: the translations are columns of the same rows.
    assert len(spanish) == len(korean) == len(english) == 1


def test_an_embargo_is_written_in_the_language_of_the_email():
    lift = datetime.datetime(2030, 5, 1, 1, 0, tzinfo=datetime.UTC)
    with time_machine.travel(lift - datetime.timedelta(hours=12), tick=False):
        english = make_release("Storm plan", published_at=lift, dateline_time_zone="Asia/Singapore")
        spanish = make_release(
            "Plan contra tormentas",
            language="es",
            translation_key=english.translation_key,
            published_at=lift,
            dateline_time_zone="Asia/Singapore",
        )
        ana = make_media_contact("Ana", "García", language="es", time_zone="America/Mexico_City")
        mailing = make_mailing(english, in_their_language=True)
        message = compose(mailing, spanish, Delivery(mailing=mailing, email=ana.email, contact=ana))

    assert message.subject == (
        "EMBARGO HASTA 1 de mayo de 2030 a las 09:00 Asia/Singapore (UTC+08:00): "
        "Plan contra tormentas"
    )
    assert message.body.startswith(
        "EMBARGO HASTA 1 de mayo de 2030 a las 09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC\n"
        "Su hora: 30 de abril de 2030 a las 19:00 America/Mexico_City (UTC-06:00)\n"
        "No se puede publicar ni emitir antes.\n"
    )
