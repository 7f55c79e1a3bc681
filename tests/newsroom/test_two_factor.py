"""Optional TOTP two-factor sign-in for staff: turned on and off by each member, then asked for
at every admin sign-in, with codes computed as an authenticator app computes them."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.two_factor import THROTTLED, WRONG_CODE
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-staff-password-1"


def code_for(device):
    """The code an authenticator app shows for `device` now."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def sign_in(client, **extra):
    return client.post(
        "/admin/login/",
        {"username": "erin", "password": PASSWORD, "next": "/admin/", **extra},
    )


@pytest.fixture
def erin():
    return make_user("erin", password=PASSWORD)


@pytest.fixture
def erin_with_app(erin):
    return TOTPDevice.objects.create(user=erin, name="Authenticator app", confirmed=True)


def test_staff_without_two_factor_sign_in_with_their_password(client, erin):
    response = sign_in(client)

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.session["_auth_user_id"] == str(erin.pk)


def test_the_sign_in_page_offers_the_code_field(client):
    page = client.get("/admin/login/").content.decode()

    assert 'name="otp_token"' in page
    assert 'autocomplete="one-time-code"' in page


def test_with_two_factor_on_the_password_alone_is_refused(client, erin_with_app):
    response = sign_in(client)

    assert response.status_code == 200
    assert "enter the code from your authenticator app" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_two_factor_on_a_wrong_code_is_refused(client, erin_with_app):
    right = code_for(erin_with_app)
    wrong = f"{(int(right) + 1) % 10**6:06d}"

    response = sign_in(client, otp_token=wrong)

    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_two_factor_on_the_current_code_signs_in_once(client, erin, erin_with_app):
    code = code_for(erin_with_app)

    response = sign_in(client, otp_token=code)

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.session["_auth_user_id"] == str(erin.pk)
    # A code seen once (read over a shoulder, or replayed) never works again.
    client.logout()
    replayed = sign_in(client, otp_token=code)
    assert WRONG_CODE in replayed.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_codes_is_slowed_down_even_for_the_right_one(client, erin_with_app, settings):
    # A minute after a wrong code instead of a second: a loaded machine takes longer than one
    # second between the two sign-ins and would see the throttle already over.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    sign_in(client, otp_token="000000" if code_for(erin_with_app) != "000000" else "111111")

    right_away = sign_in(client, otp_token=code_for(erin_with_app))

    assert THROTTLED in right_away.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_from_another_members_app_does_not_sign_in(client, erin_with_app):
    other = TOTPDevice.objects.create(user=make_user("sam"), name="app", confirmed=True)

    response = sign_in(client, otp_token=code_for(other))

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_turning_two_factor_on_takes_a_scan_and_one_right_code(client, erin):
    client.force_login(erin)

    page = client.get("/admin/two-factor/").content.decode()
    assert "<svg" in page and "is <strong>off</strong>" in page
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    # Reloading shows the same secret: the app scanned first still matches.
    assert secret in client.get("/admin/two-factor/").content.decode()
    pending = TOTPDevice.objects.get(user=erin)
    assert not pending.confirmed

    wrong = client.post("/admin/two-factor/", {"code": "12345x"})
    assert wrong.status_code == 200 and WRONG_CODE in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=erin).confirmed

    later = timezone.now() + datetime.timedelta(seconds=5)  # past the wrong code's 1 s wait
    with time_machine.travel(later, tick=False):
        done = client.post("/admin/two-factor/", {"code": code_for(pending)}, follow=True)
    assert "Two-factor sign-in is on" in done.content.decode()
    assert TOTPDevice.objects.get(user=erin).confirmed

    client.logout()
    assert "_auth_user_id" not in sign_in(client).wsgi_request.session


def test_turning_two_factor_off_takes_a_right_code(client, erin, erin_with_app):
    client.force_login(erin)
    assert "is <strong>on</strong>" in client.get("/admin/two-factor/").content.decode()

    refused = client.post("/admin/two-factor/", {"code": ""})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=erin).exists()

    client.post("/admin/two-factor/", {"code": code_for(erin_with_app)})
    assert not TOTPDevice.objects.filter(user=erin).exists()
    client.logout()
    assert sign_in(client).status_code == 302


def test_the_settings_page_is_for_signed_in_staff_only(client):
    response = client.get("/admin/two-factor/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
