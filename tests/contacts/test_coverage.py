"""Coverage: staff record the articles that reported on a release, and each release shows its
coverage in the admin. The release admin is press's and press knows nothing of contacts: the
coverage joins it in the project's wiring (newsroom/admin.py)."""

import datetime
import re

import pytest

from contacts.models import Coverage
from tests.factories import form_data, make_outlet, make_release, make_user
from tests.pages import count_queries, get_page, logged_in

pytestmark = pytest.mark.django_db
ARTICLE = "https://planet.example/2030/05/heat-plan"


def release_url(release):
    return f"/admin/press/release/{release.pk}/change/"


def covered(release, url, **fields):
    fields.setdefault("published_on", datetime.date(2030, 5, 2))
    return Coverage.objects.create(release=release, url=url, **fields)


def test_an_administrator_adds_an_article_on_the_releases_page_signed_with_their_name():
    release = make_release("Heat plan")
    planet = make_outlet("The Daily Planet")
    admin = make_user("ada", group_name="Administrator")
    client = logged_in(admin)
    data = form_data(get_page(client, release_url(release)))
    data.update(
        {
            "coverage-0-url": ARTICLE,
            "coverage-0-outlet": str(planet.pk),
            "coverage-0-published_on": "2030-05-02",
            "coverage-0-title": "City unveils heat plan",
        }
    )

    response = client.post(release_url(release), data)

    assert response.status_code == 302
    rows = Coverage.objects.values_list(
        "release__title", "url", "outlet__name", "published_on", "title", "added_by__username"
    )
    assert list(rows) == [
        (
            "Heat plan",
            ARTICLE,
            "The Daily Planet",
            datetime.date(2030, 5, 2),
            "City unveils heat plan",
            "ada",
        )
    ]


def test_the_same_article_twice_for_a_release_is_refused():
    release = make_release("Heat plan")
    covered(release, ARTICLE, outlet_name="Daily Planet")
    client = logged_in(make_user("ada", group_name="Administrator"))
    data = form_data(get_page(client, release_url(release)))
    data.update({"coverage-1-url": ARTICLE, "coverage-1-published_on": "2030-05-03"})

    response = client.post(release_url(release), data)

    assert response.status_code == 200
    assert Coverage.objects.count() == 1
    assert "Please correct the duplicate data for url." in response.content.decode()


def test_a_press_officer_sees_the_releases_coverage_and_records_more_in_the_coverage_admin(
    officer, officer_client
):
    release = make_release("Heat plan")
    other = make_release("Cold plan")
    covered(release, ARTICLE, outlet=make_outlet("The Daily Planet"), title="City unveils plan")
    covered(other, "https://gazette.example/cold", outlet_name="Gotham Gazette")

    page = get_page(officer_client, release_url(release))
    response = officer_client.post(
        "/admin/contacts/coverage/add/",
        {
            "release": release.pk,
            "url": "https://radio.example/heat",
            "outlet_name": "Radio Metropolis",
            "published_on": "2030-05-03",
        },
    )

    assert "City unveils plan" in page and ARTICLE in page
    assert "Gotham Gazette" not in page  # another release's
    assert response.status_code == 302
    added = Coverage.objects.get(outlet_name="Radio Metropolis")
    assert (added.release, added.added_by, added.outlet_label) == (
        release,
        officer,
        "Radio Metropolis",
    )


def test_the_coverage_list_names_the_outlet_or_else_the_site(officer_client):
    release = make_release("Heat plan")
    covered(release, "https://www.gazette.example/heat")
    covered(release, ARTICLE, outlet=make_outlet("The Daily Planet"))

    page = get_page(officer_client, "/admin/contacts/coverage/")

    labels = re.findall(r'<td class="field-outlet_label">([^<]*)</td>', page)
    assert sorted(labels) == ["The Daily Planet", "www.gazette.example"]


def test_staff_without_the_contacts_permissions_see_no_coverage_on_a_release():
    release = make_release("Heat plan")
    covered(release, ARTICLE, outlet_name="Daily Planet", title="City unveils plan")
    client = logged_in(make_user("chief", group_name="Editor"))

    page = get_page(client, release_url(release))

    assert "City unveils plan" not in page and ARTICLE not in page
    assert client.get("/admin/contacts/coverage/").status_code == 403


def test_the_release_page_takes_as_many_queries_with_one_article_as_with_three(officer_client):
    one, three = make_release("Heat plan"), make_release("Cold plan")
    covered(one, ARTICLE, outlet=make_outlet("The Daily Planet"))
    for n in range(3):
        covered(three, f"{ARTICLE}-{n}", outlet=make_outlet(f"Outlet {n}"))
    assert count_queries(officer_client, release_url(one)) == count_queries(
        officer_client, release_url(three)
    )
