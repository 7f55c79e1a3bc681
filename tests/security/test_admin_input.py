"""The admin's answers to input that cannot be right: the 500s found by hand and by fuzzing
(test_fuzz_admin.py), each with the answer an editor gets instead."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from press.models import Release
from tests.factories import (
    form_data,
    make_media_contact,
    make_outlet,
    make_release,
    make_user,
)

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def signed_in(group_name):
    client = Client()
    client.force_login(make_user(group_name.lower().replace(" ", ""), group_name=group_name))
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_action_on_a_forged_selection_changes_nothing_and_says_so():
    release = make_release("Heat plan")
    editor = signed_in("Editor")

    response = editor.post(
        "/admin/press/release/",
        {"action": "archive_selected", "index": "0", "_selected_action": [release.pk, "abc"]},
    )

    assert (response.status_code, response["Location"]) == (302, "/admin/press/release/")
    assert messages_of(response) == [
        "The selection could not be read, so nothing was changed. Select the items again."
    ]
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_delete_of_a_selection_with_a_30_digit_id_changes_nothing():
    release = make_release("Heat plan")
    client = Client()
    client.force_login(make_user("chief", group_name="Administrator", is_superuser=True))

    response = client.post(
        "/admin/press/release/",
        {"action": "delete_selected", "_selected_action": [release.pk, HUGE], "post": "yes"},
    )

    assert response.status_code == 302
    assert Release.objects.filter(pk=release.pk).exists()


def test_nul_in_the_autocomplete_term_is_refused():
    response = signed_in("Editor").get(
        "/admin/autocomplete/",
        {"app_label": "press", "model_name": "release", "field_name": "byline", "term": "\x00"},
    )

    assert response.status_code == 400
    assert response.content.decode() == (
        "The address contains a NUL character (%00), which no admin page reads."
    )


def test_nul_in_an_object_id_is_refused():
    release = make_release("Heat plan")

    response = signed_in("Editor").get(f"/admin/press/release/{release.pk}%00/change/")

    assert response.status_code == 400


def test_a_30_digit_outlet_in_the_media_contacts_filter_finds_no_one():
    make_media_contact(outlet=make_outlet())

    response = signed_in("Press officer").get(
        "/admin/contacts/mediacontact/", {"outlet__id__exact": HUGE}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_a_30_digit_year_in_another_apps_date_drill_down_gets_djangos_message():
    """Sign-in attempts (django-axes) are guarded as our own changelists are."""
    client = Client()
    client.force_login(make_user("chief", group_name="Administrator", is_superuser=True))

    response = client.get("/admin/axes/accesslog/", {"attempt_time__year": HUGE})

    assert (response.status_code, response["Location"]) == (302, "/admin/axes/accesslog/?e=1")


def test_a_change_form_posted_with_an_impossible_byline_shows_the_error():
    release = make_release("Heat plan")
    editor = signed_in("Editor")
    url = f"/admin/press/release/{release.pk}/change/"
    data = form_data(editor.get(url).content.decode(), byline="NaN", people=["1.5", HUGE])

    response = editor.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["byline"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_a_change_form_posted_with_ids_beyond_64_bits_shows_the_error_on_every_database():
    """SQLite failed the query with OverflowError (a 500) for "-9223372036854775809"."""
    release = make_release("Heat plan")
    editor = signed_in("Editor")
    url = f"/admin/press/release/{release.pk}/change/"
    for beyond in ("-9223372036854775809", "9223372036854775808"):
        data = form_data(editor.get(url).content.decode(), people=[beyond])

        response = editor.post(url, data)

        assert response.status_code == 200
        assert response.context["adminform"].form.errors["people"] == [
            f"“{beyond}” is not a valid value."
        ]


def test_reverting_a_release_named_by_nonsense_is_not_found():
    response = signed_in("Editor").get("/admin/press/release/abc/history/1/")

    assert response.status_code == 404


def test_expired_sign_in_attempts_can_be_cleaned_up_from_the_admin():
    client = Client()  # signed in first: a sign-in cleans up expired attempts too
    client.force_login(make_user("chief", group_name="Administrator", is_superuser=True))
    old = timezone.now() - datetime.timedelta(days=1)
    attempt = AccessAttempt.objects.create(
        username="mallory", ip_address="127.0.0.1", failures_since_start=5, get_data="",
        post_data="", user_agent="", http_accept="", path_info="/admin/login/",
    )  # fmt: skip
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=old)

    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "index": "0", "_selected_action": [attempt.pk]},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Cleaned up 1 expired access attempts."]
    assert not AccessAttempt.objects.exists()


def test_the_setup_page_of_a_deleted_authenticator_is_not_found():
    client = Client()
    client.force_login(make_user("chief", group_name="Administrator", is_superuser=True))

    assert client.get("/admin/otp_totp/totpdevice/4242/config/").status_code == 404
    assert client.get("/admin/otp_totp/totpdevice/4242/qrcode/").status_code == 404


def test_an_empty_to_field_is_refused():
    release = make_release("Heat plan")

    response = signed_in("Editor").get(f"/admin/press/release/{release.pk}/change/?_to_field=")

    assert (response.status_code, response.content) == (400, b"_to_field names no field.")


@pytest.mark.parametrize("page", ["", "add/", "{pk}/change/"])
@pytest.mark.parametrize("model", ["press/release", "auth/user"])
def test_a_to_field_naming_a_hidden_reverse_relation_is_refused(model, page):
    # Quotes, workflow records and corrections point at releases and users with
    # related_name="+": Django's get_field() finds such a relation by the name "+", but it is
    # no field that anything could point to (a 500 before, found by test_fuzz_admin.py).
    chief = make_user("chief", group_name="Administrator", is_superuser=True)
    release = make_release("Heat plan")
    client = Client()
    client.force_login(chief)
    pk = release.pk if model == "press/release" else chief.pk

    response = client.get(f"/admin/{model}/{page.format(pk=pk)}", {"_to_field": "+"})

    assert response.status_code == 400
