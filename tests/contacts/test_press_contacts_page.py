import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_office, make_press_contact

pytestmark = pytest.mark.django_db


def office_headings(html):
    return [line.strip()[4:-5] for line in html.splitlines() if line.strip().startswith("<h2>")]


def test_public_contacts_are_listed_by_office_in_office_order(client):
    mexico = make_office("Mexico City", order=2, time_zone="America/Mexico_City")
    new_york = make_office("New York City", order=1)
    make_press_contact("Fabiola Guillen", office=mexico, phone="+52 55 1234 5678")
    make_press_contact("Isabel Parra", office=mexico)
    make_press_contact("Thomas Halaczinsky", office=new_york, title="Press officer")
    make_press_contact("Lynette Lim", title="Global communications")

    response = client.get("/press-contacts/")

    html = response.content.decode()
    assert response.status_code == 200
    assert office_headings(html) == ["New York City", "Mexico City"]
    names = ["Lynette Lim", "Thomas Halaczinsky", "Fabiola Guillen", "Isabel Parra"]
    positions = [html.index(f"<strong>{name}</strong>") for name in names]
    assert positions == sorted(positions)
    assert '<a href="tel:+525512345678">+52 55 1234 5678</a>' in html
    assert '<a href="mailto:isabel-parra@example.org">' in html


def test_a_contact_who_is_not_public_is_never_shown(client):
    make_press_contact("Duty Officer", office=make_office(), is_public=False)

    response = client.get("/press-contacts/")

    assert "Duty Officer" not in response.content.decode()
    assert office_headings(response.content.decode()) == []


def test_the_page_runs_one_query_however_many_contacts(client):
    make_press_contact("Lynette Lim")
    with CaptureQueriesContext(connection) as one:
        client.get("/press-contacts/")
    for city in ["Mexico City", "New York City", "London"]:
        make_press_contact(f"Contact in {city}", office=make_office(city))
    with CaptureQueriesContext(connection) as four:
        client.get("/press-contacts/")
    # 1. the public contacts joined with their offices
    assert len(one) == len(four) == 1
