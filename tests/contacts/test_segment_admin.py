"""The segments admin: the live count and sample, saving, making a static list, who may use
them; a send to media chosen by segment; and the contact and outlet fields they filter on."""

import json
import urllib.parse

import pytest
from django.contrib.messages import get_messages

from contacts.models import Mailing, MediaContact, MediaList, Segment
from contacts.models.codes import country_code, language_code, language_codes
from tests.factories import (
    make_media_contact,
    make_outlet,
    make_release,
    make_topic,
    make_user,
)
from tests.pages import logged_in

pytestmark = pytest.mark.django_db

COUNT_URL = "/admin/contacts/segment/count/"
KOREA = {
    "join": "or",
    "groups": [
        {"join": "and", "conditions": [{"field": "country", "operator": "is", "values": ["KR"]}]}
    ],
}


@pytest.fixture
def officer():
    return make_user("press", group_name="Press officer")


@pytest.fixture
def client(officer):
    return logged_in(officer)


def count(client, rules):
    return client.get(f"{COUNT_URL}?{urllib.parse.urlencode({'rules': json.dumps(rules)})}")


def test_the_count_says_how_many_match_how_many_may_be_written_to_and_shows_some(client):
    make_media_contact("Min", "Kim", country="KR", outlet=make_outlet("KBS"))
    make_media_contact("Ji", "Park", country="KR", do_not_contact=True)
    make_media_contact("Anna", "Weber", country="DE")

    data = count(client, KOREA).json()

    assert (data["count"], data["reachable"]) == (2, 1)
    assert [(c["name"], c["email"], c["outlet"], c["country"]) for c in data["sample"]] == [
        ("Min Kim", "min.kim@example.com", "KBS", "South Korea"),
        ("Ji Park", "ji.park@example.com", "", "South Korea"),
    ]
    kim = MediaContact.objects.get(last_name="Kim")
    assert data["sample"][0]["url"] == f"/admin/contacts/mediacontact/{kim.pk}/change/"


def test_the_count_of_rules_that_cannot_be_used_is_a_message(client):
    assert count(client, {"join": "or", "groups": []}).json() == {
        "error": "Add at least one condition."
    }
    response = client.get(f"{COUNT_URL}?rules=%7Bnot-json")
    assert response.status_code == 400
    assert response.json() == {"error": "The rules are not valid JSON."}


def test_editors_get_no_count_nor_any_journalist(client):
    make_media_contact("Min", "Kim", country="KR")
    editor = logged_in(make_user("editor", group_name="Editor"))

    response = count(editor, KOREA)

    assert response.status_code == 403
    assert b"Kim" not in response.content
    assert editor.get("/admin/contacts/segment/add/").status_code == 403


def test_saving_a_segment_keeps_its_checked_rules_and_its_owner(client, officer):
    water = make_topic("Water")
    rules = {
        "join": "or",
        "groups": [
            {
                "join": "and",
                "conditions": [
                    {"field": "country", "operator": "any_of", "values": ["kr", "JP"]},
                    {"field": "beat", "operator": "is", "values": [str(water.pk)]},
                ],
            }
        ],
    }

    response = client.post(
        "/admin/contacts/segment/add/",
        {"name": "Asia water", "description": "", "rules": json.dumps(rules)},
    )

    assert response.status_code == 302
    segment = Segment.objects.get()
    assert segment.owner == officer
    assert segment.rules["groups"][0]["conditions"] == [
        {"field": "country", "operator": "any_of", "values": ["KR", "JP"]},
        {"field": "beat", "operator": "is", "values": [water.pk]},
    ]
    page = client.get(f"/admin/contacts/segment/{segment.pk}/change/").content.decode()
    assert "Country is any of KR, JP and Beat is Water" in page
    assert 'id="segment-editor-options"' in page
    assert "contacts/admin/segment_editor.js" in page


def test_a_segment_with_a_bad_condition_is_not_saved_and_says_why(client):
    rules = {"join": "or", "groups": [{"join": "and", "conditions": [{"field": "country"}]}]}

    response = client.post(
        "/admin/contacts/segment/add/", {"name": "Broken", "rules": json.dumps(rules)}
    )

    assert response.status_code == 200
    assert "Group 1, condition 1: choose “is”, “is not” or “is any of”." in (
        response.content.decode()
    )
    assert not Segment.objects.exists()


def test_make_a_static_list_from_a_segment(client, officer):
    make_media_contact("Min", "Kim", country="KR")
    make_media_contact("Anna", "Weber", country="DE")
    segment = Segment.objects.create(name="Korea", rules=KOREA)

    response = client.post(f"/admin/contacts/segment/{segment.pk}/make-list/")

    media_list = MediaList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/contacts/medialist/{media_list.pk}/change/"
    assert media_list.name.startswith("Korea (")
    assert [str(c) for c in media_list.contacts.all()] == ["Min Kim"]
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith(
        f"Made the list “{media_list.name}” with 1 contact(s)"
    )
    # Twice on one day: a second list, numbered.
    client.post(f"/admin/contacts/segment/{segment.pk}/make-list/")
    assert MediaList.objects.filter(name=f"{media_list.name} 2").exists()


def test_making_a_list_is_a_post_for_those_who_may_make_lists(client):
    segment = Segment.objects.create(name="Korea", rules=KOREA)
    editor = logged_in(make_user("editor", group_name="Editor"))

    assert client.get(f"/admin/contacts/segment/{segment.pk}/make-list/").status_code == 405
    assert editor.post(f"/admin/contacts/segment/{segment.pk}/make-list/").status_code == 403
    assert not MediaList.objects.exists()


def test_the_members_link_shows_the_segments_members_in_the_changelist(client):
    make_media_contact("Min", "Kim", country="KR")
    make_media_contact("Anna", "Weber", country="DE")
    segment = Segment.objects.create(name="Korea", rules=KOREA)

    response = client.get(f"/admin/contacts/mediacontact/?segment={segment.pk}")

    assert [str(c) for c in response.context["cl"].result_list] == ["Min Kim"]


def test_a_send_to_a_segment_alone_can_be_composed(client):
    release = make_release()
    segment = Segment.objects.create(name="Korea", rules=KOREA)

    response = client.post(
        "/admin/contacts/mailing/add/",
        {"release": release.pk, "segments": [segment.pk], "subject": "", "personal_note": ""},
    )

    assert response.status_code == 302
    assert list(Mailing.objects.get().segments.all()) == [segment]


def test_a_send_to_nobody_is_refused(client):
    response = client.post("/admin/contacts/mailing/add/", {"release": make_release().pk})

    assert "Choose at least one media list, segment or contact." in response.content.decode()


def test_a_contacts_country_language_time_zone_and_tags_are_edited_in_the_admin(client):
    contact = make_media_contact("Min", "Kim")
    page = client.get(f"/admin/contacts/mediacontact/{contact.pk}/change/").content.decode()
    assert '<option value="" selected>—</option>' in page  # no time zone until one is known

    response = client.post(
        f"/admin/contacts/mediacontact/{contact.pk}/change/",
        {
            "first_name": "Min",
            "last_name": "Kim",
            "email": contact.email,
            "country": "KR",
            "time_zone": "Asia/Seoul",
            "language": "ko",
            "tags": "asia-desk, tv-bookers",
            # The notes inline, as the page has it: no note written.
            "contact_notes-TOTAL_FORMS": "0",
            "contact_notes-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    contact.refresh_from_db()
    assert (contact.country.code, contact.time_zone, contact.language) == (
        "KR",
        "Asia/Seoul",
        "ko",
    )
    assert sorted(contact.tags.names()) == ["asia-desk", "tv-bookers"]
    assert contact.events.first().detail.startswith("Changed ")


def test_an_outlet_shows_its_reach_with_what_it_counts(client):
    make_outlet("KBS", country="KR", reach=1_200_000, reach_label="daily viewers")

    page = client.get("/admin/contacts/outlet/").content.decode()

    assert "1,200,000 daily viewers" in page and "South Korea" in page


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("South Korea", "KR"),
        ("korea", "KR"),
        ("KOR", "KR"),
        ("kr", "KR"),
        ("USA", "US"),
        ("United States", "US"),
        ("UK", "GB"),
        ("Deutschland", "DE"),
        ("  Japan ", "JP"),
        ("East Asia", ""),
        ("", ""),
    ],
)
def test_countries_as_people_write_them_become_codes(text, code):
    assert country_code(text) == code


def test_languages_as_people_write_them_become_codes():
    assert language_codes("English, Korean") == ["en", "ko"]
    assert language_codes("Deutsch/FR; español and english") == ["de", "fr", "es", "en"]
    assert language_codes("Klingon, Mandarin") == ["zh"]
    assert language_code("pt-BR") == "pt-br"
    assert language_code("한국어") == "ko"


def test_a_segment_a_waiting_send_is_addressed_to_cannot_be_deleted(client):
    segment = Segment.objects.create(name="Korea", rules=KOREA)
    mailing = Mailing.objects.create(
        kind=Mailing.Kind.DISTRIBUTION, release=make_release(), status=Mailing.Status.QUEUED
    )
    mailing.segments.add(segment)
    url = f"/admin/contacts/segment/{segment.pk}/delete/"

    page = client.get(url).content.decode()
    client.post(url, {"post": "yes"})

    assert "Send not yet gone out: Send to media: Cities join forces on heat" in page
    assert Segment.objects.filter(pk=segment.pk).exists()
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.DONE)
    client.post(url, {"post": "yes"})
    assert not Segment.objects.filter(pk=segment.pk).exists()
