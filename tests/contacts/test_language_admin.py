"""The admin pages that gained languages: subscribers listed and filtered by language (in a
number of queries that does not grow with them), sends to media written for one language or
in each journalist's, and press offices' names typed in each language."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contacts.models import Mailing, PressOffice
from tests.factories import (
    form_data,
    make_media_contact,
    make_office,
    make_release,
    make_subscriber,
    make_user,
)

pytestmark = pytest.mark.django_db
SUBSCRIBERS = "/admin/contacts/subscriber/"


def signed_in(group_name):
    client = Client()
    client.force_login(make_user(group_name.lower().replace(" ", "-"), group_name=group_name))
    return client


def listed(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [str(subscriber) for subscriber in response.context["cl"].result_list], len(queries)


def test_subscribers_are_filtered_by_language_in_as_many_queries_for_one_or_three():
    client = signed_in("Administrator")
    make_subscriber("ana@example.org", language="es")
    make_subscriber("reader@example.org")
    one, queries_for_one = listed(client, f"{SUBSCRIBERS}?language=es")
    make_subscriber("bea@example.org", language="es")
    make_subscriber("carla@example.org", language="es")
    three, queries_for_three = listed(client, f"{SUBSCRIBERS}?language=es")

    assert one == ["ana@example.org"]
    assert sorted(three) == ["ana@example.org", "bea@example.org", "carla@example.org"]
    assert queries_for_one == queries_for_three


def test_a_send_to_media_is_written_for_one_language_in_each_journalists_own():
    client = signed_in("Press officer")
    release = make_release()
    contact = make_media_contact(language="es")
    page = client.get(f"/admin/contacts/mailing/add/?release={release.pk}").content.decode()
    assert 'name="language"' in page
    assert "Send each journalist the translation in their language" in page

    response = client.post(
        "/admin/contacts/mailing/add/",
        {
            "release": release.pk,
            "contacts": [contact.pk],
            "language": "es",
            "in_their_language": "on",
        },
    )

    assert response.status_code == 302
    assert list(Mailing.objects.values_list("language", "in_their_language")) == [("es", True)]


def test_a_press_offices_name_is_typed_in_each_language():
    client = signed_in("Administrator")
    office = make_office("Mexico City", time_zone="America/Mexico_City")
    url = f"/admin/contacts/pressoffice/{office.pk}/change/"
    page = client.get(url).content.decode()
    assert "Translations" in page and 'name="name_es"' in page and 'name="name_en"' not in page

    response = client.post(
        url,
        form_data(
            page, "pressoffice_form", name="CDMX", name_es="Ciudad de México", name_ko="멕시코시티"
        ),
    )

    assert response.status_code == 302
    assert list(PressOffice.objects.values_list("name", "name_en", "name_es", "name_ko")) == [
        ("CDMX", "CDMX", "Ciudad de México", "멕시코시티")
    ]
