import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from contacts.imports import presets
from contacts.models import ImportMapping
from press.models import Organization, Person, Quote, Release
from tests.factories import make_person, make_quote, make_release

pytestmark = pytest.mark.django_db

SECRET = "a-long-random-production-secret-key-1234567890-abcdefghijklmnopqrstuvwxyz"


@pytest.mark.parametrize("url", ["/", "/releases/", "/admin/login/"])
def test_every_page_carries_the_security_headers(client, url):
    response = client.get(url)

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_admin_editor_page_allows_only_its_own_import_map(admin_client):
    import base64
    import hashlib
    import re

    response = admin_client.get("/admin/press/release/add/")
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in inline
    ]

    assert len(inline) == 1  # the import map of the rich-text editor, nothing else
    assert hashes[0] in response["Content-Security-Policy"]


def test_production_settings_pass_the_deployment_checklist():
    env = {
        # Not the test run's own switches (browser tests allow sync database calls in async).
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
        },
        "DEBUG": "False",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "news.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://news.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deleting_a_person_quoted_in_a_release_is_refused_with_a_clear_message(admin_client):
    person = make_person("Sylvester Turner")
    make_quote(make_release("Heat plan"), person)

    response = admin_client.post(f"/admin/press/person/{person.pk}/delete/", {"post": "yes"})

    html = response.content.decode()
    assert "would require deleting the following protected related objects" in html
    assert Person.objects.filter(pk=person.pk).exists()


def test_deleting_an_organization_that_signs_releases_is_refused(admin_client):
    release = make_release("Heat plan")

    response = admin_client.post(
        f"/admin/press/organization/{release.byline_id}/delete/", {"post": "yes"}
    )

    assert "protected related objects" in response.content.decode()
    assert Organization.objects.filter(pk=release.byline_id).exists()


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test's transaction
def test_dumpdata_and_loaddata_round_trip_all_content(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo's drawn pictures
    call_command("load_demo", stdout=io.StringIO())
    before = {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Release, Person, Organization, Quote)
    }
    titles = sorted(Release.objects.values_list("title", flat=True))
    # Presets made again (so their ids are not the ones flush gives them next), one of them
    # edited by staff: flush makes the shipped ones again, and the dump's copies must win.
    ImportMapping.objects.all().delete()
    presets.install()
    ImportMapping.objects.filter(preset="cision").update(columns={"E-mail": "email"}, edited=True)
    dump = tmp_path / "newsroom.json"
    call_command(
        "dumpdata",
        "press",
        "contacts",
        "taggit",
        "auth.user",  # groups come from press/roles.py after every migrate or flush
        "--natural-foreign",
        "--output",
        str(dump),
        stdout=io.StringIO(),
    )
    call_command("flush", "--noinput", stdout=io.StringIO())
    assert Release.objects.count() == 0

    call_command("loaddata", str(dump), stdout=io.StringIO())

    after = {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Release, Person, Organization, Quote)
    }
    assert after == before
    assert sorted(Release.objects.values_list("title", flat=True)) == titles
    cision = ImportMapping.objects.get(name="Cision")
    assert (cision.columns, cision.edited) == ({"E-mail": "email"}, True)


def test_admin_sign_in_is_locked_after_five_failures_even_with_the_right_password(
    client, django_user_model
):
    django_user_model.objects.create_superuser("erin", "erin@example.org", "right-password-1")
    for _ in range(5):
        failed = client.post(
            "/admin/login/", {"username": "erin", "password": "wrong", "next": "/admin/"}
        )
        assert failed.status_code in (200, 429)

    locked = client.post(
        "/admin/login/", {"username": "erin", "password": "right-password-1", "next": "/admin/"}
    )

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_username_does_not_lock_out_the_same_user_elsewhere(client, django_user_model):
    django_user_model.objects.create_superuser("erin", "erin@example.org", "right-password-1")
    for _ in range(5):
        client.post(
            "/admin/login/", {"username": "erin", "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
        )

    elsewhere = client.post(
        "/admin/login/",
        {"username": "erin", "password": "right-password-1", "next": "/admin/"},
        REMOTE_ADDR="192.0.2.1",
    )

    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "/admin/")
