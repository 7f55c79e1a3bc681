"""The media contacts admin: the changelist (search, filters, counts), the list actions, the
history panel, the lists with their counts, and who may see any of it.

Journalists' data is for Press officers and Administrators only: the permission tests use a
real name and address and look for them in everything an Editor or a Contributor gets back.
"""

import pytest
from django.contrib.admin import site
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.media.changelist import LargeTablePaginator
from contacts.models import (
    ContactEvent,
    ContactTag,
    ErasedAddress,
    MediaContact,
    Membership,
    Outlet,
)
from tests.factories import (
    make_media_contact,
    make_media_list,
    make_outlet,
    make_topic,
    make_user,
)
from tests.pages import logged_in

pytestmark = pytest.mark.django_db

CHANGELIST_URL = "/admin/contacts/mediacontact/"


@pytest.fixture
def officer():
    return make_user("press", group_name="Press officer")


@pytest.fixture
def client(officer):
    return logged_in(officer)


def listed(client, query=""):
    """The contacts on the changelist page for `query`, in order, as "First Last"."""
    response = client.get(f"{CHANGELIST_URL}?{query}")
    assert response.status_code == 200
    return [str(contact) for contact in response.context["cl"].result_list]


def test_the_changelist_shows_contacts_in_name_order(client):
    outlet = make_outlet("Die Zeit", kind=Outlet.Kind.NEWSPAPER)
    make_media_contact("Lars", "Sørensen")
    make_media_contact("Anna", "Müller", outlet=outlet, job_title="Climate editor")
    make_media_contact("Bea", "Müller")

    response = client.get(CHANGELIST_URL)

    page = response.content.decode()
    assert listed(client) == ["Anna Müller", "Bea Müller", "Lars Sørensen"]
    assert "anna.muller@example.com" in page and "Die Zeit" in page and "Climate editor" in page
    assert "3 media contacts" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=müller", ["Anna Müller"]),
        ("q=ANNA.MULLER@", ["Anna Müller"]),
        ("q=zeit", ["Anna Müller"]),
        ("q=anna+zeit", ["Anna Müller"]),
        ("q=anna+guardian", []),
        ("q=%22Lars+S%C3%B8rensen%22", []),  # a quoted phrase is one word, in no single field
        ("outlet_kind=broadcast", ["Lars Sørensen"]),
        ("beat=BEAT", ["Anna Müller"]),
        ("region=seoul", ["Lars Sørensen"]),
        ("language=ko", ["Lars Sørensen"]),
        ("country=KR", ["Lars Sørensen"]),
        ("time_zone=Europe%2FBerlin", ["Anna Müller"]),
        ("tag=TAG", ["Anna Müller"]),
        ("outlet_kind=newspaper&country=KR", []),
        ("list=LIST", ["Anna Müller"]),
        ("do_not_contact__exact=1", ["Lars Sørensen"]),
        ("do_not_contact__exact=0", ["Anna Müller"]),
    ],
)
def test_search_and_filters_find_the_right_contacts(client, query, expected):
    climate = make_topic("Climate")
    anna = make_media_contact(
        "Anna", "Müller", outlet=make_outlet("Die Zeit", kind="newspaper"), regions="Berlin"
    )
    anna.beats.add(climate)
    make_media_contact(
        "Lars",
        "Sørensen",
        outlet=make_outlet("KBS", kind="broadcast"),
        regions="Seoul, East Asia",
        languages="English, Korean",
        language="ko",
        country="KR",
        do_not_contact=True,
    )
    anna.time_zone, anna.country = "Europe/Berlin", "DE"
    anna.save()
    tag = ContactTag.objects.create(name="climate-pool", slug="climate-pool")
    anna.tags.add(tag)
    media_list = make_media_list("Climate desks", contacts=[anna])
    query = query.replace("BEAT", str(climate.pk)).replace("LIST", str(media_list.pk))
    query = query.replace("TAG", str(tag.pk))

    assert listed(client, query) == expected


def test_the_list_filter_shows_current_members_only(client):
    current, former = make_media_contact("Current", "Member"), make_media_contact("Former", "One")
    media_list = make_media_list("Climate desks", contacts=[current])
    Membership.objects.create(media_list=media_list, contact=former, left_at="2024-01-01T00:00Z")
    make_media_list("Other list", contacts=[former])

    assert listed(client, f"list={media_list.pk}") == ["Current Member"]


def test_a_text_filter_keeps_the_other_filters_in_its_form(client):
    make_media_contact()

    page = client.get(f"{CHANGELIST_URL}?q=lane&do_not_contact__exact=0").content.decode()

    assert '<input type="hidden" name="q" value="lane">' in page
    assert '<input type="hidden" name="do_not_contact__exact" value="0">' in page
    assert '<input type="search" id="filter-region" name="region" value=""' in page


@pytest.mark.parametrize("count", [1, 3])
def test_the_changelist_takes_the_same_queries_for_one_contact_or_three(client, count):
    for n in range(count):
        make_media_contact("Lois", f"Lane {n}", outlet=make_outlet(f"Daily Planet {n}"))
    client.get(CHANGELIST_URL)  # sessions and permissions cached

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST_URL)

    assert response.status_code == 200
    # The session, the user, their permissions and their groups' (4); the topics, lists,
    # segments and tags the filters offer (4); on PostgreSQL the planner's estimate of the
    # table's size; the count, stopped at 10,001 rows; the page, with its outlets joined.
    expected = 10 + (connection.vendor == "postgresql")
    assert len(queries) == expected, "\n".join(q["sql"] for q in queries)


@pytest.mark.parametrize("count", [1, 3])
def test_a_search_takes_the_same_queries_for_one_match_or_three(client, count):
    for n in range(count):
        make_media_contact("Lois", f"Lane {n}", outlet=make_outlet(f"Daily Planet {n}"))
    client.get(CHANGELIST_URL)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{CHANGELIST_URL}?q=lane")

    assert len(response.context["cl"].result_list) == count
    # As the list, with the outlets matching the word looked up first, and in place of the
    # count the ids of the first 10,001 matches in name order.
    assert len(queries) == 11, "\n".join(q["sql"] for q in queries)


def test_a_big_result_is_counted_only_up_to_the_limit(client, monkeypatch):
    monkeypatch.setattr(LargeTablePaginator, "limit", 2)
    for n in range(3):
        make_media_contact("Lois", f"Lane {n}")

    page = client.get(f"{CHANGELIST_URL}?q=lane").content.decode()

    assert "More than 2 result" in page
    assert "More than 2 media contacts" in page


def test_sorting_by_name_either_way_sorts_by_last_then_first_name(client):
    make_media_contact("Bea", "Müller")
    make_media_contact("Anna", "Müller")
    make_media_contact("Lars", "Sørensen")

    assert listed(client, "o=1") == ["Anna Müller", "Bea Müller", "Lars Sørensen"]
    assert listed(client, "o=-1") == ["Lars Sørensen", "Bea Müller", "Anna Müller"]


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(site._registry[MediaContact], "list_per_page", 2)


def test_a_deep_page_reads_the_ids_of_its_rows_first(client, two_per_page, monkeypatch):
    monkeypatch.setattr(LargeTablePaginator, "deferred_from", 2)
    for first in ["Ada", "Bo", "Cy", "Di", "Ed"]:
        make_media_contact(first, "Lane")
    client.get(CHANGELIST_URL)

    with CaptureQueriesContext(connection) as queries:
        shown = listed(client, "p=2")
    sql = [query["sql"] for query in queries]  # before the next request resets the log

    assert shown == ["Cy Lane", "Di Lane"]
    assert listed(client, "p=3&o=-1") == ["Ada Lane"]
    # As the first page (10 queries, 11 on PostgreSQL), but the page in two steps: the ids of
    # its rows, in name order from the index (the rows before them are not read), then those.
    assert len(sql) == 11 + (connection.vendor == "postgresql"), "\n".join(sql)
    ids, rows = sql[-2:]
    assert ids.startswith(
        'SELECT "contacts_mediacontact"."id" AS "pk" FROM "contacts_mediacontact" '
    )
    assert ids.endswith("LIMIT 2 OFFSET 2")
    assert 'WHERE "contacts_mediacontact"."id" IN (' in rows


@pytest.mark.parametrize("count", [1, 3])
def test_a_filter_matching_few_contacts_pages_them_in_name_order(client, two_per_page, count):
    members = [make_media_contact(first, "Lane") for first in ["Cy", "Ada", "Bo"][:count]]
    make_media_contact("Al", "Outsider")
    media_list = make_media_list("Climate desks", contacts=members)
    client.get(CHANGELIST_URL)

    with CaptureQueriesContext(connection) as queries:
        first_page = listed(client, f"list={media_list.pk}")
    sql = [query["sql"] for query in queries]

    assert (
        first_page == ["Ada Lane", "Bo Lane", "Cy Lane"][: min(count, 2)]
        if count > 1
        else ["Cy Lane"]
    )
    if count == 3:
        assert listed(client, f"list={media_list.pk}&p=2") == ["Cy Lane"]
    # The session, the user, their permissions and their groups' (4); the topics, lists,
    # segments and tags the filters offer (4); the count, stopped at 10,001 rows; the ids of
    # the matches, sorted by the database; the page's rows by id.
    assert len(sql) == 11, "\n".join(sql)


def test_a_search_with_one_page_of_matches_reads_them_by_id(client):
    for n in range(3):
        make_media_contact("Lois", f"Lane {n}")
    client.get(CHANGELIST_URL)

    with CaptureQueriesContext(connection) as queries:
        shown = listed(client, "q=lane")
    searches = [
        query["sql"]
        for query in queries
        if "%lane%" in query["sql"] and 'FROM "contacts_mediacontact"' in query["sql"]
    ]

    assert shown == ["Lois Lane 0", "Lois Lane 1", "Lois Lane 2"]
    # The matches found once; the rows shown by their ids, not by searching the table again.
    assert len(searches) == 2, "\n".join(searches)
    assert 'WHERE "contacts_mediacontact"."id" IN (' not in searches[0]
    assert '"contacts_mediacontact"."id" IN (' in searches[1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_a_big_table_is_not_counted_but_estimated(client, monkeypatch):
    monkeypatch.setattr(LargeTablePaginator, "limit", 2)
    for n in range(3):
        make_media_contact("Lois", f"Lane {n}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_mediacontact")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(CHANGELIST_URL).content.decode()

    assert "About 3 media contacts" in page
    assert not any("COUNT(" in query["sql"] for query in queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_the_search_and_text_filters_are_answered_by_the_trigram_indexes(rf, officer):
    request = rf.get(CHANGELIST_URL)
    request.user = officer
    contact_admin = site._registry[MediaContact]
    searched, _ = contact_admin.get_search_results(request, MediaContact.objects.all(), "müller")
    queries = {
        "search": searched,
        "region filter": MediaContact.objects.filter(regions__icontains="seoul"),
    }

    plans = {}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a near-empty table would be scanned
        for name, queryset in queries.items():
            sql, params = queryset.order_by().query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans[name] = "\n".join(row[0] for row in cursor.fetchall())

    for index in ["last_name", "first_name", "email"]:
        assert f"contact_{index}_trgm_idx" in plans["search"]
    assert "contact_regions_trgm_idx" in plans["region filter"]


def test_contacts_are_added_to_a_list_through_a_page_choosing_it(client, officer):
    media_list = make_media_list("Climate desks")
    anna, lars = make_media_contact("Anna", "Müller"), make_media_contact("Lars", "Sørensen")
    make_media_contact("Not", "Chosen")
    data = {"action": "add_to_list", "index": 0, "_selected_action": [anna.pk, lars.pk]}

    choose = client.post(CHANGELIST_URL, data)
    done = client.post(CHANGELIST_URL, {**data, "apply": "yes", "media_list": media_list.pk})

    assert choose.status_code == 200
    assert "2 contacts selected" in choose.content.decode()
    assert done.status_code == 302
    members = media_list.memberships.filter(left_at__isnull=True)
    assert sorted(members.values_list("contact__last_name", flat=True)) == ["Müller", "Sørensen"]
    assert list(anna.events.values_list("kind", "detail", "user")) == [
        ("joined_list", "Climate desks", officer.pk)
    ]


def test_adding_a_member_again_changes_nothing(client):
    anna = make_media_contact("Anna", "Müller")
    media_list = make_media_list("Climate desks", contacts=[anna])
    data = {"action": "add_to_list", "index": 0, "_selected_action": [anna.pk], "apply": "yes"}

    client.post(CHANGELIST_URL, {**data, "media_list": media_list.pk})

    assert media_list.memberships.count() == 1
    assert ContactEvent.objects.count() == 0


def test_select_all_adds_every_contact_of_the_filtered_set(client):
    media_list = make_media_list("Climate desks")
    anna = make_media_contact("Anna", "Müller", regions="Berlin")
    make_media_contact("Bea", "Braun", regions="Berlin")
    make_media_contact("Lars", "Sørensen", regions="Copenhagen")
    data = {"action": "add_to_list", "index": 0, "_selected_action": [anna.pk], "select_across": 1}

    url = f"{CHANGELIST_URL}?region=berlin"
    choose = client.post(url, data)
    client.post(url, {**data, "apply": "yes", "media_list": media_list.pk})

    assert '<input type="hidden" name="select_across" value="1">' in choose.content.decode()
    members = media_list.memberships.values_list("contact__last_name", flat=True)
    assert sorted(members) == ["Braun", "Müller"]


def test_removing_from_a_list_ends_the_membership_and_keeps_it(client):
    anna, lars = make_media_contact("Anna", "Müller"), make_media_contact("Lars", "Sørensen")
    media_list = make_media_list("Climate desks", contacts=[anna, lars])
    data = {"action": "remove_from_list", "index": 0, "_selected_action": [anna.pk]}

    client.post(CHANGELIST_URL, {**data, "apply": "yes", "media_list": media_list.pk})

    memberships = media_list.memberships.order_by("contact__last_name")
    left = [(m.contact, m.left_at is not None) for m in memberships]
    assert left == [(anna, True), (lars, False)]
    assert list(anna.events.values_list("kind", flat=True)) == ["left_list"]


def test_the_change_page_shows_the_contacts_lists_and_history(client):
    anna = make_media_contact("Anna", "Müller")
    media_list = make_media_list("Climate desks", contacts=[anna])
    anna.events.create(kind=ContactEvent.Kind.IMPORTED, detail="desks.csv: new contact")
    anna.events.create(kind=ContactEvent.Kind.JOINED_LIST, detail="Climate desks")

    page = client.get(f"{CHANGELIST_URL}{anna.pk}/change/").content.decode()

    assert f'<a href="/admin/contacts/medialist/{media_list.pk}/change/">Climate desks</a>' in page
    assert page.index("Added to a list") < page.index("desks.csv: new contact")


def test_editing_a_contact_is_recorded_in_its_history(client, officer):
    anna = make_media_contact("Anna", "Müller")

    client.post(
        f"{CHANGELIST_URL}{anna.pk}/change/",
        {
            "first_name": "Anna",
            "last_name": "Müller",
            "email": anna.email,
            "do_not_contact": "on",
            "do_not_contact_reason": "Asked by phone",
            # The notes inline, as the page has it: no note written.
            "contact_notes-TOTAL_FORMS": "0",
            "contact_notes-INITIAL_FORMS": "0",
        },
    )

    assert list(anna.events.values_list("kind", "detail")) == [
        ("do_not_contact", "Asked by phone"),
        ("updated", "Changed Do not contact, Do not contact reason"),
    ]


def test_an_address_another_contact_has_in_another_case_is_refused(client):
    make_media_contact("Anna", "Müller", email="anna@zeit.example")

    response = client.post(
        f"{CHANGELIST_URL}add/",
        {"first_name": "Anna", "last_name": "M", "email": "ANNA@zeit.example"},
    )

    assert response.status_code == 200
    assert "Another contact has this address: Anna Müller." in response.content.decode()


def test_a_contact_deleted_while_do_not_contact_is_never_imported_again(client):
    contact = make_media_contact("Lars", "Sørensen", email="lars@example.com", do_not_contact=True)

    client.post(f"{CHANGELIST_URL}{contact.pk}/delete/", {"post": "yes"})

    assert ErasedAddress.objects.among(["LARS@example.com"]) == {
        "LARS@example.com": "deleted while do-not-contact"
    }


def test_lists_show_their_current_member_counts(client):
    anna, lars = make_media_contact("Anna", "Müller"), make_media_contact("Lars", "Sørensen")
    climate = make_media_list("Climate desks", contacts=[anna, lars])
    make_media_list("Empty list")
    Membership.objects.filter(contact=lars).update(left_at="2024-01-01T00:00Z")

    response = client.get("/admin/contacts/medialist/")

    page = response.content.decode()
    assert f'<a href="/admin/contacts/mediacontact/?list={climate.pk}">1</a>' in page
    assert [(m.name, m.member_count) for m in response.context["cl"].result_list] == [
        ("Climate desks", 1),
        ("Empty list", 0),
    ]


# Who may see journalists' data


def contacts_urls(contact, media_list, outlet):
    autocomplete = "/admin/autocomplete/?app_label=contacts&term=source&model_name="
    return [
        CHANGELIST_URL,
        f"{CHANGELIST_URL}?q=source",
        f"{CHANGELIST_URL}add/",
        f"{CHANGELIST_URL}{contact.pk}/change/",
        f"{CHANGELIST_URL}{contact.pk}/history/",
        f"{CHANGELIST_URL}{contact.pk}/delete/",
        f"{CHANGELIST_URL}import/",
        f"{CHANGELIST_URL}duplicates/",
        "/admin/contacts/outlet/",
        f"/admin/contacts/outlet/{outlet.pk}/change/",
        "/admin/contacts/medialist/",
        f"/admin/contacts/medialist/{media_list.pk}/change/",
        f"/admin/contacts/medialist/{media_list.pk}/export/csv/",
        "/admin/contacts/importjob/",
        f"{autocomplete}mediacontact&field_name=outlet",
        f"{autocomplete}mailing&field_name=contacts",
        f"{autocomplete}membership&field_name=contact",
        f"{autocomplete}contactevent&field_name=contact",
        f"{autocomplete}delivery&field_name=contact",
    ]


@pytest.mark.parametrize("group", ["Editor", "Contributor"])
def test_staff_without_the_contacts_permissions_never_see_a_journalist(group):
    outlet = make_outlet("Investigative Weekly")
    contact = make_media_contact(
        "Secret", "Source", email="secret.source@example.org", outlet=outlet
    )
    media_list = make_media_list("Whistleblower desk", contacts=[contact])
    client = logged_in(make_user("staff", group_name=group))

    responses = {url: client.get(url) for url in contacts_urls(contact, media_list, outlet)}
    index = client.get("/admin/")
    app = client.get("/admin/contacts/")

    assert {url: r.status_code for url, r in responses.items()} == dict.fromkeys(responses, 403)
    assert (index.status_code, app.status_code) == (200, 404)
    for response in [*responses.values(), index, app]:
        content = response.content.decode()
        for secret in ["Secret", "secret.source", "Investigative Weekly", "Whistleblower"]:
            assert secret not in content
    assert "Media contacts" not in index.content.decode()


def test_a_press_officer_sees_them(client):
    outlet = make_outlet("Investigative Weekly")
    contact = make_media_contact(
        "Secret", "Source", email="secret.source@example.org", outlet=outlet
    )
    media_list = make_media_list("Whistleblower desk", contacts=[contact])
    urls = contacts_urls(contact, media_list, outlet)

    statuses = {url: client.get(url).status_code for url in urls}
    autocomplete = client.get(
        "/admin/autocomplete/?app_label=contacts&model_name=mailing&field_name=contacts&term=secret"
    )

    assert statuses == dict.fromkeys(urls, 200)
    assert [result["text"] for result in autocomplete.json()["results"]] == ["Secret Source"]
