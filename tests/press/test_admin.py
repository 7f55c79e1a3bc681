"""The admin as editors use it: every list, add and change page, inlines, search, autocomplete."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Subscriber
from press.models import Quote, Release
from tests.factories import (
    form_data,
    make_office,
    make_organization,
    make_person,
    make_press_contact,
    make_quote,
    make_release,
    make_role,
    make_subscriber,
    make_topic,
)
from tests.markup import elements
from tests.pages import get_page

MODELS = [
    "press/organization",
    "press/person",
    "press/role",
    "press/topic",
    "press/release",
    "contacts/pressoffice",
    "contacts/presscontact",
    "contacts/subscriber",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # admin_client hashes a password for every test; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_one_of_each():
    """One object per admin, keyed like the admin's addresses, each named to be found."""
    rcn = make_organization("Resilient Cities Network")
    sorkin = make_person("Lauren Sorkin")
    role = make_role(sorkin, rcn, "Executive Director", start_date=datetime.date(2020, 1, 1))
    heat = make_topic("Extreme Heat")
    release = make_release("Cities join forces on heat", byline=rcn, topics=[heat])
    make_quote(release, sorkin, "Cities lead the way.")
    office = make_office("New York City")
    contact = make_press_contact("Thomas Halaczinsky", office=office, title="Head of Press")
    return {
        "press/organization": (rcn, "Resilient Cities Network"),
        "press/person": (sorkin, "Lauren Sorkin"),
        "press/role": (role, "Executive Director"),
        "press/topic": (heat, "Extreme Heat"),
        "press/release": (release, "Cities join forces on heat"),
        "contacts/pressoffice": (office, "New York City"),
        "contacts/presscontact": (contact, "Thomas Halaczinsky"),
        "contacts/subscriber": (make_subscriber("reader@example.org"), "reader@example.org"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_changelist_lists_the_existing_object(admin_client, model):
    _, name = make_one_of_each()[model]
    assert name in get_page(admin_client, f"/admin/{model}/")


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_add_page_shows_an_empty_form(admin_client, model):
    make_one_of_each()
    page = get_page(admin_client, f"/admin/{model}/add/")
    form_id = f"{model.split('/')[1]}_form"
    assert [form["id"] for form in elements(page, "form") if form.get("id") == form_id] == [form_id]
    assert 'type="submit" value="Save"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_change_page_opens_for_an_existing_object(admin_client, model):
    obj, name = make_one_of_each()[model]
    page = get_page(admin_client, f"/admin/{model}/{obj.pk}/change/")
    assert name in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model, prefix, shown",
    [
        ("press/release", "quotes", "Cities lead the way."),
        ("press/person", "roles", 'value="Executive Director"'),
        ("contacts/pressoffice", "contacts", 'value="Thomas Halaczinsky"'),
    ],
)
def test_change_page_edits_related_objects_inline(admin_client, model, prefix, shown):
    obj, _ = make_one_of_each()[model]
    page = get_page(admin_client, f"/admin/{model}/{obj.pk}/change/")
    assert f'id="{prefix}-group"' in page
    assert f'name="{prefix}-INITIAL_FORMS" value="1"' in page
    assert shown in page


@pytest.mark.django_db
def test_release_search_finds_releases_by_title(admin_client):
    rcn = make_organization("Resilient Cities Network")
    make_release("Cities join forces on heat", byline=rcn)
    make_release("Heat officers for every city", byline=rcn)
    make_release("Water plan for coastal cities", byline=rcn)
    page = get_page(admin_client, "/admin/press/release/?q=heat")
    assert sorted(re.findall(r'class="field-title"><a [^>]*>(.*?)</a>', page)) == [
        "Cities join forces on heat",
        "Heat officers for every city",
    ]


@pytest.mark.django_db
def test_people_autocomplete_on_releases_finds_people_by_name(admin_client):
    sorkin = make_person("Lauren Sorkin")
    make_person("Sylvester Turner")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "press", "model_name": "release", "field_name": "people", "term": "Lau"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"id": str(sorkin.pk), "text": "Lauren Sorkin"}],
        "pagination": {"more": False},
    }


def inline_prefixes(page):
    """Each inline on an admin form: its "Add another ..." text -> its form prefix."""
    options = [
        json.loads(div["data-inline-formset"])["options"]
        for div in elements(page, "div")
        if "data-inline-formset" in div
    ]
    return {option["addText"]: option["prefix"] for option in options}


@pytest.mark.django_db
def test_a_release_added_in_the_admin_prints_its_quotes_attribution_frozen_at_publication(
    admin_client,
):
    rcn = make_organization("Resilient Cities Network")
    sorkin = make_person("Lauren Sorkin")
    make_role(sorkin, rcn, "Executive Director", start_date=datetime.date(2020, 1, 1))
    make_role(sorkin, rcn, "Programme Lead", end_date=datetime.date(2019, 12, 31))

    page = get_page(admin_client, "/admin/press/release/add/")
    prefix = inline_prefixes(page)["Add another Quote"]
    data = form_data(page, "release_form")
    assert data[f"{prefix}-TOTAL_FORMS"] == "0"
    data.update(
        {
            "title": "Cities join forces on heat",
            "slug": "cities-join-forces-on-heat",
            "summary": "Forty cities agree a plan.",
            "body": "<p>Forty cities met in Singapore.</p>",
            "byline": str(rcn.pk),
            "dateline_place": "SINGAPORE",
            "dateline_date": "2021-09-23",
            "dateline_time_zone": "Asia/Singapore",
            "people": [str(sorkin.pk)],
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-person": str(sorkin.pk),
            f"{prefix}-0-text": "Cities lead the way.",
            f"{prefix}-0-attribution": "",
            f"{prefix}-0-order": "0",
            "_save": "Save",
        }
    )
    response = admin_client.post("/admin/press/release/add/", data)
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())
    assert (response.status_code, errors) == (302, [])

    release = Release.objects.get()
    assert (release.title, release.dateline_date, list(release.people.all())) == (
        "Cities join forces on heat",
        datetime.date(2021, 9, 23),
        [sorkin],
    )
    # A draft: the attribution follows the release until it is published, then is written.
    quote = Quote.objects.get()
    assert (quote.release, quote.text, quote.attribution) == (release, "Cities lead the way.", "")
    assert quote.printed_attribution == "Executive Director, Resilient Cities Network"
    release.move("publish", User.objects.get(username="admin"))
    assert list(Quote.objects.values_list("release", "text", "attribution")) == [
        (release.pk, "Cities lead the way.", "Executive Director, Resilient Cities Network")
    ]


@pytest.mark.django_db
def test_a_subscriber_added_in_the_admin_is_saved(admin_client):
    page = get_page(admin_client, "/admin/contacts/subscriber/add/")
    data = form_data(page, "subscriber_form", email="reader@example.org", _save="Save")
    response = admin_client.post("/admin/contacts/subscriber/add/", data)
    assert response.status_code == 302
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["reader@example.org"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors: PostgreSQL only")
def test_saving_a_release_with_many_quotes_refreshes_its_search_vector_twice_not_per_quote(
    admin_client,
):
    release = make_release("Heat plan", status="draft", published_at=None)
    person = make_person("Lauren Sorkin")
    for n in range(5):
        make_quote(release, person, text=f"Quote {n}.", order=n)
    url = f"/admin/press/release/{release.pk}/change/"
    page = get_page(admin_client, url)
    prefix = inline_prefixes(page)["Add another Quote"]
    data = form_data(page, "release_form", _save="Save")
    for n in range(5):
        data[f"{prefix}-{n}-text"] = f"Mangroves shield the coast, part {n}."

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.post(url, data)

    assert response.status_code == 302
    refresh = 'UPDATE "press_release" SET "search_vector"'
    vector_updates = [query for query in queries if query["sql"].startswith(refresh)]
    # The release's own save, then once after its five quotes (not five times more).
    assert len(vector_updates) == 2
    assert Release.objects.filter(search_vector="mangroves").get() == release


@pytest.mark.django_db
def test_clearing_the_publication_time_of_a_published_release_says_it_is_needed(admin_client):
    release = make_release("Heat plan")
    url = f"/admin/press/release/{release.pk}/change/"
    data = form_data(get_page(admin_client, url), published_at_0="", published_at_1="")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "A published release needs a publication time." in page
    status = re.search(r'field-state_label.*?<div class="readonly">(.*?)</div>', page, re.S)
    assert status.group(1) == "Published"
    release.refresh_from_db()
    assert release.published_at is not None
