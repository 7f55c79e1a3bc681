import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.media.duplicates import possible_duplicates
from contacts.media.merging import merge_contacts
from contacts.models import ContactEvent, Delivery, MediaContact, Membership
from contacts.privacy.erasure import erase_contact
from tests.factories import (
    make_delivery,
    make_mailing,
    make_media_contact,
    make_media_list,
    make_outlet,
    make_release,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.django_db

DUPLICATES_URL = "/admin/contacts/mediacontact/duplicates/"
MERGE_URL = "/admin/contacts/mediacontact/merge/"


def day(month, number=1):
    return datetime.datetime(2024, month, number, 9, 0, tzinfo=datetime.UTC)


def lois_twice(outlet=None):
    """Lois Lane at the Planet, entered a second time with her name typed differently."""
    outlet = outlet or make_outlet("The Daily Planet")
    first = make_media_contact("Lois", "Lane", outlet, email="lois@planet.example")
    second = make_media_contact(" lois", "LANE ", outlet, email="l.lane@planet.example")
    return first, second


def memberships(contact):
    return {
        (m.media_list.name, m.joined_at, m.left_at)
        for m in contact.memberships.select_related("media_list")
    }


# Finding duplicates


def test_the_same_name_at_the_same_outlet_in_any_case_or_spacing_is_a_possible_duplicate():
    first, second = lois_twice()
    make_media_contact("Clark", "Kent", first.outlet, email="clark@planet.example")

    assert possible_duplicates() == [[first, second]]


def test_namesakes_at_different_outlets_or_without_an_outlet_are_not_duplicates():
    make_media_contact("Lois", "Lane", make_outlet("The Daily Planet"), email="a@planet.example")
    make_media_contact("Lois", "Lane", make_outlet("Daily Bugle"), email="b@bugle.example")
    make_media_contact("Lois", "Lane", email="c@home.example")
    make_media_contact("Lois", "Lane", email="d@home.example")

    assert possible_duplicates() == []


def test_erased_contacts_are_not_duplicates_though_they_share_one_anonymous_name():
    outlet = make_outlet()
    for email in ["a@planet.example", "b@planet.example"]:
        erase_contact(make_media_contact("Jimmy", "Olsen", outlet, email=email))

    assert possible_duplicates() == []


def test_groups_come_in_name_order_up_to_the_limit():
    outlet = make_outlet()
    for first, last in [("Perry", "White"), ("Lois", "Lane"), ("Cat", "Grant")]:
        for n in range(2):
            make_media_contact(first, last, outlet, email=f"{first}{n}@planet.example")

    groups = possible_duplicates(limit=2)

    assert [[c.email for c in group] for group in groups] == [
        ["cat0@planet.example", "cat1@planet.example"],
        ["lois0@planet.example", "lois1@planet.example"],
    ]


# Merging


def test_a_merge_keeps_every_list_membership_current_and_past():
    keep, other = lois_twice()
    both = make_media_list("Both on it")
    Membership.objects.create(media_list=both, contact=keep, joined_at=day(3))
    Membership.objects.create(media_list=both, contact=other, joined_at=day(2))
    Membership.objects.create(media_list=both, contact=other, joined_at=day(1), left_at=day(1, 20))
    left = make_media_list("Left it")
    Membership.objects.create(media_list=left, contact=other, joined_at=day(2), left_at=day(4))
    current = make_media_list("Still on it")
    Membership.objects.create(media_list=current, contact=other, joined_at=day(5))

    merge_contacts(keep, [other])

    assert memberships(keep) == {
        ("Both on it", day(2), None),  # one current row, from the earliest joining
        ("Both on it", day(1), day(1, 20)),
        ("Left it", day(2), day(4)),
        ("Still on it", day(5), None),
    }
    assert not MediaContact.objects.filter(pk=other.pk).exists()


def test_a_merge_moves_history_notes_deliveries_and_beats_and_fills_empty_fields():
    keep, other = lois_twice()
    keep.job_title, keep.notes = "Reporter", "Prefers calls."
    keep.save()
    other.job_title, other.phone, other.notes = "Intern", "+1 555 0100", "Met at COP29."
    other.save()
    keep.beats.add(make_topic("Climate"))
    other.beats.add(make_topic("Energy"))
    ContactEvent.objects.create(contact=other, kind=ContactEvent.Kind.IMPORTED, detail="CSV")
    mailing = make_mailing(make_release("Heat plan"))
    mailing.contacts.add(other)
    delivery = make_delivery(mailing, other)
    editor = make_user("press", "Press officer")

    merged = merge_contacts(keep, [other], user=editor)

    assert (merged.job_title, merged.phone) == ("Reporter", "+1 555 0100")
    assert merged.notes == (
        "Prefers calls.\n\n— merged from lois LANE <l.lane@planet.example>: Met at COP29."
    )
    assert sorted(merged.beats.values_list("name", flat=True)) == ["Climate", "Energy"]
    assert list(merged.events.values_list("kind", "detail", "user")) == [
        ("merged", f"Merged from lois LANE <l.lane@planet.example> (#{other.pk}).", editor.pk),
        ("imported", "CSV", None),
    ]
    assert Delivery.objects.get(pk=delivery.pk).contact == merged
    assert Delivery.objects.get(pk=delivery.pk).email == "l.lane@planet.example"
    assert list(mailing.contacts.all()) == [merged]


def test_a_merge_never_lifts_an_opt_out_and_carries_the_earliest():
    keep, other = lois_twice()
    later = make_media_contact("Lois", "Lane", keep.outlet, email="lane@bugle.example")
    MediaContact.objects.filter(pk=other.pk).update(
        do_not_contact=True, do_not_contact_reason="asked by phone", do_not_contact_since=day(1)
    )
    MediaContact.objects.filter(pk=later.pk).update(
        do_not_contact=True, do_not_contact_reason="bounced", do_not_contact_since=day(6)
    )

    merged = merge_contacts(keep, MediaContact.objects.filter(pk__in=[other.pk, later.pk]))

    assert (merged.do_not_contact, merged.do_not_contact_reason) == (True, "asked by phone")
    assert merged.do_not_contact_since == day(1)
    assert list(MediaContact.objects.reachable()) == []


def test_a_contact_cannot_be_merged_into_itself_nor_an_erased_one():
    keep, other = lois_twice()
    with pytest.raises(ValueError, match="cannot be merged into itself"):
        merge_contacts(keep, [keep, other])
    erase_contact(other)
    with pytest.raises(ValueError, match=f"#{other.pk} was erased"):
        merge_contacts(keep, [other])
    with pytest.raises(ValueError, match="at least one"):
        merge_contacts(keep, [])
    assert MediaContact.objects.count() == 2


# The admin pages


def test_a_press_officer_sees_the_duplicates_and_merges_them(client):
    keep, other = lois_twice()
    joined_at = make_media_list("Climate desks", contacts=[other]).memberships.get().joined_at
    client.force_login(make_user("press", "Press officer"))

    page = client.get(DUPLICATES_URL).content.decode()

    assert "<td>lois@planet.example</td>" in page
    assert "<td>l.lane@planet.example</td>" in page
    assert "<td>Climate desks</td>" in page
    assert page.count("Merge into this one") == 2
    assert f'name="merge" value="{other.pk}"' in page

    confirm = client.get(MERGE_URL, {"keep": keep.pk, "merge": [other.pk]})

    html = confirm.content.decode()
    assert "Merged and deleted: lois LANE &lt;l.lane@planet.example&gt;" in html
    assert "Climate desks: joined" in html
    assert MediaContact.objects.count() == 2  # looking changes nothing

    response = client.post(MERGE_URL, {"keep": keep.pk, "merge": [other.pk]})

    assert response.status_code == 302
    assert response["Location"] == f"/admin/contacts/mediacontact/{keep.pk}/change/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Merged 1 contact(s) into “Lois Lane” (lois@planet.example)."
    ]
    assert list(MediaContact.objects.all()) == [keep]
    assert memberships(keep) == {("Climate desks", joined_at, None)}


def test_an_editor_can_neither_see_nor_merge_duplicates(client):
    keep, other = lois_twice()
    client.force_login(make_user("editor", "Editor"))

    responses = [
        client.get(DUPLICATES_URL),
        client.get(MERGE_URL, {"keep": keep.pk, "merge": [other.pk]}),
        client.post(MERGE_URL, {"keep": keep.pk, "merge": [other.pk]}),
    ]

    for response in responses:
        assert response.status_code == 403
        for secret in ["Lois", "Lane", "lois@planet.example", "l.lane@planet.example"]:
            assert secret not in response.content.decode()
    assert MediaContact.objects.count() == 2


def test_merging_a_contact_into_itself_from_the_page_is_refused(client):
    keep, _ = lois_twice()
    client.force_login(make_user("press", "Press officer"))

    response = client.post(MERGE_URL, {"keep": keep.pk, "merge": [keep.pk]})

    assert response["Location"] == DUPLICATES_URL
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "A contact cannot be merged into itself."
    ]
    assert MediaContact.objects.count() == 2


def test_the_duplicates_page_runs_the_same_queries_for_one_and_three_groups(client):
    client.force_login(make_user("press", "Press officer"))
    outlet = make_outlet()

    def add_group(name):
        pair = [
            make_media_contact(name, "Lane", outlet, email=f"{name}{n}@planet.example")
            for n in range(2)
        ]
        make_media_list(f"{name}'s list", contacts=pair)

    add_group("Lois")
    with CaptureQueriesContext(connection) as one:
        assert client.get(DUPLICATES_URL).content.decode().count("Merge into this one") == 2
    add_group("Lucy")
    add_group("Ella")
    with CaptureQueriesContext(connection) as three:
        assert client.get(DUPLICATES_URL).content.decode().count("Merge into this one") == 6
    # 1. the session  2. the user  3. their own permissions  4. their groups' permissions
    # 5. the groups of duplicates  6. their members with outlets  7. their current lists
    assert len(one) == len(three) == 7


def test_a_merge_keeps_history_in_the_order_it_happened():
    keep, other = lois_twice()
    ContactEvent.objects.create(contact=keep, kind="imported", created_at=day(2))
    ContactEvent.objects.create(contact=other, kind="created", created_at=day(1))

    merge_contacts(keep, [other])

    kinds = list(keep.events.values_list("kind", flat=True))
    assert kinds == ["merged", "imported", "created"]
    assert keep.events.first().created_at > timezone.now() - datetime.timedelta(minutes=1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_groups_of_duplicates_are_read_in_the_order_of_their_index():
    """At a million contacts, grouping the whole table takes seconds; walking
    contact_duplicate_idx stops at the hundredth group."""
    lois_twice()

    with CaptureQueriesContext(connection) as queries:
        possible_duplicates()
    groups_sql = queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a near-empty table would be scanned
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {groups_sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "contact_duplicate_idx" in plan


def test_a_merge_keeps_every_tag_and_fills_an_empty_country_time_zone_and_language():
    keep = make_media_contact("Min", "Kim", email="min@example.org", language="en")
    other = make_media_contact(
        "Min", "Kim", email="min.kim@example.org", country="KR", time_zone="Asia/Seoul",
        language="ko",
    )  # fmt: skip
    keep.tags.add("asia-desk")
    other.tags.add("tv-bookers")

    keep = merge_contacts(keep, [other])

    assert (keep.country.code, keep.time_zone, keep.language) == ("KR", "Asia/Seoul", "en")
    assert sorted(keep.tags.names()) == ["asia-desk", "tv-bookers"]
