"""What every answer of the API carries: Cache-Control, an ETag that gives 304, CORS for
reading from any site, and the rate limits (per address without a key, per key with one)."""

import pytest
from django.contrib.auth.models import User

from api.models import ApiKey
from tests.factories import make_organization, make_release


@pytest.fixture
def release():
    make_organization()
    return make_release()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/releases/", "/api/v1/topics/", "/api/v1/press-offices/", "DETAIL", "NINJS"]
)
def test_every_answer_has_cache_control_and_an_etag_that_gives_304(client, release, path):
    path = {
        "DETAIL": f"/api/v1/releases/{release.pk}/",
        "NINJS": f"/api/v1/releases/{release.pk}/ninjs",
    }.get(path, path)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=30"
    etag = response["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.django_db
def test_head_answers_as_get_without_the_body(client, release):
    got = client.get("/api/v1/releases/")
    head = client.head("/api/v1/releases/", headers={"Origin": "https://partner.example"})
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == got["ETag"]
    assert head["Content-Length"] == str(len(got.content))
    assert head["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_errors_are_never_kept_by_caches(client):
    response = client.get("/api/v1/releases/123456/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_any_site_may_read_the_api_but_not_with_cookies(client, release):
    origin = {"Origin": "https://partner.example"}
    response = client.get("/api/v1/releases/", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/releases/",
        headers={**origin, "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    # Only the API: the site's pages are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/", headers=origin)


@pytest.mark.django_db
def test_anonymous_callers_meet_the_limit_with_retry_after(client, release, settings):
    settings.API_ANONYMOUS_PER_MINUTE = 3
    statuses = [client.get("/api/v1/releases/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/topics/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    # Another address has its own count.
    assert client.get("/api/v1/releases/", REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.django_db
def test_a_key_has_its_own_higher_limit(client, release, settings):
    settings.API_ANONYMOUS_PER_MINUTE = 1
    key = ApiKey(name="Houston web team", requests_per_minute=3)
    secret = key.issue()
    key.save()
    with_key = {"X-API-Key": secret}
    statuses = [client.get("/api/v1/releases/", headers=with_key).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/v1/releases/").status_code == 200  # the anonymous count is apart


@pytest.mark.django_db
def test_a_wrong_or_revoked_key_is_refused(client, release):
    key = ApiKey(name="Old partner", is_active=False)
    secret = key.issue()
    key.save()
    assert client.get("/api/v1/releases/", headers={"X-API-Key": secret}).status_code == 401
    assert client.get("/api/v1/releases/", headers={"X-API-Key": "nrk_wrong"}).status_code == 401


@pytest.mark.django_db
def test_a_key_made_in_the_admin_is_shown_once_and_kept_as_a_hash(admin_client):
    response = admin_client.post(
        "/admin/api/apikey/add/",
        {"name": "Houston web team", "requests_per_minute": 600, "is_active": "on"},
        follow=True,
    )
    [message] = [str(m) for m in response.context["messages"] if "copy it now" in str(m)]
    secret = message.split(" is ")[1].split(" ")[0]
    assert secret.startswith("nrk_")
    key = ApiKey.objects.get()
    assert secret not in str(ApiKey.objects.values().get())
    assert ApiKey.objects.holding(secret) == key
    page = admin_client.get(f"/admin/api/apikey/{key.pk}/change/")
    assert secret not in page.content.decode()
    assert User.objects.count() == 1
