"""A quote's attribution while its release is unpublished, and the roles an editor chooses
(issue 16, defects 3 and 4).

Until publication a quote with no attribution typed prints the roles its speaker held on the
release date (or the roles the editor chose, in their order), so setting or changing the date
fixes it; publication writes it down, and it stays as it was, editable by hand.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from press.models import Quote, Release
from tests.factories import (
    form_data,
    make_draft,
    make_organization,
    make_person,
    make_quote,
    make_role,
)
from tests.markup import text
from tests.pages import get_page, messages_of

UTC = datetime.UTC
URL = "/releases/2021/09/23/houston-joins-the-heat-pact/"


@pytest.fixture
def turner():
    """A mayor whose term ended before today: on today's date he holds no role."""
    person = make_person("Sylvester Turner")
    make_role(
        person,
        make_organization("City of Houston", kind="city_government"),
        "Mayor",
        start_date=datetime.date(2016, 1, 4),
        end_date=datetime.date(2024, 1, 1),
    )
    return person


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("erin", "erin@example.org", "pw")


def captions(page):
    return [text(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)]


def draft_without_date():
    return make_draft(
        "Houston joins the heat pact",
        byline=make_organization("Resilient Cities Network"),
        dateline_place="HOUSTON",
    )


@pytest.mark.django_db
def test_a_draft_saved_before_its_date_prints_the_role_once_the_date_is_set(client, turner, editor):
    release = draft_without_date()
    make_quote(release, turner, "Heat is the quiet emergency.")
    client.force_login(editor)
    preview = f"/admin/press/release/{release.pk}/preview/"
    assert captions(get_page(client, preview)) == ["Sylvester Turner"]

    release.dateline_date = datetime.date(2021, 9, 23)
    release.save()
    assert captions(get_page(client, preview)) == ["Sylvester Turner, Mayor, City of Houston"]

    release.move("publish", editor, publish_at=datetime.datetime(2021, 9, 23, 14, tzinfo=UTC))
    client.logout()
    assert captions(get_page(client, URL)) == ["Sylvester Turner, Mayor, City of Houston"]


@pytest.mark.django_db
def test_publication_writes_the_attribution_down_and_it_stays_editable(client, turner, editor):
    release = draft_without_date()
    release.dateline_date = datetime.date(2021, 9, 23)
    release.save()
    quote = make_quote(release, turner, "Heat is the quiet emergency.")
    assert Quote.objects.get().attribution == ""

    release.move("publish", editor, publish_at=datetime.datetime(2021, 9, 23, 14, tzinfo=UTC))
    assert Quote.objects.get().attribution == "Mayor, City of Houston"

    # His roles are corrected later: what was published stays.
    turner.roles.update(title="Former Mayor")
    quote.refresh_from_db()
    quote.text = "Heat is the quiet emergency of our cities."
    quote.save()
    assert captions(get_page(client, URL)) == ["Sylvester Turner, Mayor, City of Houston"]

    # The editor may still correct it by hand.
    quote.attribution = "Mayor of Houston"
    quote.save()
    assert Quote.objects.get().attribution == "Mayor of Houston"


@pytest.mark.django_db
def test_the_release_admin_warns_when_a_speaker_held_no_role_on_the_date(admin_client, turner):
    release = draft_without_date()
    make_quote(release, turner, "Heat is the quiet emergency.")
    make_quote(release, make_person("Ana Gomez"), "Shade saves lives.")
    url = f"/admin/press/release/{release.pk}/change/"
    page = get_page(admin_client, url)
    today = timezone.localdate().strftime("%-d %B %Y")
    assert re.findall(r'<li class="warning">(.*?)</li>', page) == [
        f"Sylvester Turner held no role on {today}, the release date: no role is printed.",
        f"Ana Gomez held no role on {today}, the release date: no role is printed.",
    ]

    Release.objects.filter(pk=release.pk).update(dateline_date=datetime.date(2021, 9, 23))
    page = get_page(admin_client, url)
    assert re.findall(r'<li class="warning">(.*?)</li>', page) == [
        "Ana Gomez held no role on 23 September 2021, the release date: no role is printed."
    ]


@pytest.fixture
def rivera():
    """Two roles at once: mayor, and chair of a network's board."""
    person = make_person("Elena Rivera")
    make_role(
        person,
        make_organization("City of Valparaíso", kind="city_government"),
        "Mayor",
        start_date=datetime.date(2018, 1, 1),
    )
    make_role(
        person,
        make_organization("Pacific Ports Alliance"),
        "Chair of the Board",
        start_date=datetime.date(2020, 3, 1),
    )
    return person


def post_quote(client, release, person, **fields):
    url = f"/admin/press/release/{release.pk}/change/"
    data = form_data(get_page(client, url))
    data.update(
        {
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-person": str(person.pk),
            "quotes-0-text": "Ports are where the sea meets the city.",
            "quotes-0-attribution": "",
            "quotes-0-order": "0",
            "_continue": "Save",
            **{f"quotes-0-{name}": value for name, value in fields.items()},
        }
    )
    return client.post(url, data)


def role_id(person, title):
    return str(person.roles.get(title=title).pk)


@pytest.mark.django_db
def test_both_roles_held_on_the_date_print_by_default(rivera):
    release = make_draft("Ports pact", dateline_date=datetime.date(2021, 9, 23))
    quote = make_quote(release, rivera)
    assert quote.printed_attribution == (
        "Mayor, City of Valparaíso and Chair of the Board, Pacific Ports Alliance"
    )


@pytest.mark.django_db
def test_the_editor_chooses_which_roles_print_and_in_what_order(admin_client, rivera):
    release = make_draft("Ports pact", dateline_date=datetime.date(2021, 9, 23))
    chair, mayor = role_id(rivera, "Chair of the Board"), role_id(rivera, "Mayor")
    response = post_quote(admin_client, release, rivera, role=chair, second_role=mayor)
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert quote.printed_attribution == (
        "Chair of the Board, Pacific Ports Alliance and Mayor, City of Valparaíso"
    )

    page = get_page(admin_client, f"/admin/press/release/{release.pk}/change/")
    data = form_data(page, **{"quotes-0-role": mayor, "quotes-0-second_role": "", "_continue": "1"})
    assert admin_client.post(f"/admin/press/release/{release.pk}/change/", data).status_code == 302
    assert Quote.objects.get().printed_attribution == "Mayor, City of Valparaíso"

    release.move(
        "publish", User.objects.get(), publish_at=datetime.datetime(2021, 9, 23, tzinfo=UTC)
    )
    assert Quote.objects.get().attribution == "Mayor, City of Valparaíso"


@pytest.mark.django_db
def test_the_quote_form_offers_the_speakers_roles_only(admin_client, rivera):
    release = make_draft("Ports pact", dateline_date=datetime.date(2021, 9, 23))
    other = make_person("Lauren Sorkin")
    make_role(other, make_organization("Resilient Cities Network"), "Executive Director")
    response = post_quote(admin_client, release, rivera, role=role_id(other, "Executive Director"))
    assert response.status_code == 200
    assert not Quote.objects.exists()

    make_quote(release, rivera)
    page = get_page(admin_client, f"/admin/press/release/{release.pk}/change/")
    select = re.search(r'<select name="quotes-0-role".*?</select>', page, re.S).group()
    assert [text(option) for option in re.findall(r"<option.*?</option>", select)] == [
        "---------",
        "Mayor, City of Valparaíso (from 1 January 2018)",
        "Chair of the Board, Pacific Ports Alliance (from 1 March 2020)",
    ]


@pytest.mark.django_db
def test_overlapping_roles_at_one_organization_are_flagged_in_the_person_admin(admin_client):
    water = make_organization("Lagos Water Corporation")
    okafor = make_person("Chidi Okafor")
    make_role(okafor, water, "Acting Director", start_date=datetime.date(2019, 3, 1))
    make_role(okafor, water, "Director", start_date=datetime.date(2020, 1, 15))
    make_role(
        okafor, make_organization("Lagos State"), "Adviser", start_date=datetime.date(2019, 1, 1)
    )
    url = f"/admin/press/person/{okafor.pk}/change/"
    assert messages_of(admin_client.get(url)) == [
        "Two roles at Lagos Water Corporation overlap: Acting Director (from 1 March 2019) and "
        "Director (from 15 January 2020). If one followed the other (acting, then permanent), "
        "give the first an end date."
    ]

    okafor.roles.filter(title="Acting Director").update(end_date=datetime.date(2020, 1, 14))
    assert messages_of(admin_client.get(url)) == []
