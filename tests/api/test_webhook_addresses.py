"""A webhook URL that leads anywhere but the public internet is refused when it is saved and
again when a message is sent (the name may resolve elsewhere by then: DNS rebinding). Names are
resolved by a stub here and no socket is ever opened to any of these addresses."""

import socket

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from api.models import Delivery, Endpoint
from api.tasks import queue_due
from tests.factories import make_organization, make_release
from tests.tasks import run_queued_tasks

PUBLIC = "93.184.216.34"
REFUSED = {
    "10.0.0.5": "private",
    "172.16.3.4": "private",
    "192.168.1.1": "private",
    "100.64.0.1": "private or reserved",  # carrier-grade NAT
    "127.0.0.1": "loopback",
    "::1": "loopback",
    "169.254.169.254": "link-local",  # the cloud metadata service
    "fe80::1": "link-local",
    "fd00::1": "private",  # unique local
    "0.0.0.0": "unspecified",
    "::": "unspecified",
    "::ffff:10.0.0.1": "private",  # IPv4 inside IPv6
    "224.0.0.1": "multicast",
    "240.0.0.1": "reserved",
}


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"a socket was opened: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def dns(monkeypatch):
    """What each name resolves to, as the test says."""
    answers = {}
    monkeypatch.setattr("api.addresses.resolve", lambda host, port: answers[host])
    return answers


@pytest.mark.parametrize("address", sorted(REFUSED))
def test_a_url_resolving_to_a_non_public_address_is_refused_when_saved(dns, address):
    dns["partner.example"] = [address]
    endpoint = Endpoint(name="Partner", url="https://partner.example/hooks")
    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()
    [message] = refused.value.message_dict["url"]
    assert address in message and REFUSED[address] in message


def test_one_bad_address_among_several_is_enough_to_refuse(dns):
    dns["partner.example"] = [PUBLIC, "10.1.2.3"]
    with pytest.raises(ValidationError, match="10.1.2.3"):
        Endpoint(name="Partner", url="https://partner.example/hooks").full_clean()


@pytest.mark.parametrize(
    "url",
    ["ftp://partner.example/", "https://user:pw@partner.example/", "https://nowhere.example/"],
)
def test_other_schemes_credentials_and_names_that_do_not_resolve_are_refused(dns, url):
    dns["partner.example"] = [PUBLIC]
    dns["nowhere.example"] = []
    with pytest.raises(ValidationError):
        Endpoint(name="Partner", url=url).full_clean()


def test_a_public_address_is_accepted(dns):
    dns["partner.example"] = [PUBLIC]
    Endpoint(name="Partner", url="https://partner.example/hooks").full_clean()


@pytest.mark.django_db
def test_the_admin_says_why_a_url_is_refused(admin_client, dns):
    dns["metadata.example"] = ["169.254.169.254"]
    response = admin_client.post(
        "/admin/api/endpoint/add/",
        {
            "name": "Sneaky",
            "url": "http://metadata.example/latest/meta-data/",
            "events": ["release.published"],
            "is_active": "on",
            "secret": "whsec_c2VjcmV0",
        },
    )
    assert response.status_code == 200
    assert "169.254.169.254, a link-local address" in response.content.decode()
    assert not Endpoint.objects.exists()


@pytest.mark.django_db
def test_a_name_that_resolves_elsewhere_at_delivery_time_is_refused_before_any_socket(dns):
    dns["partner.example"] = [PUBLIC]
    endpoint = Endpoint.objects.create(name="Partner", url="https://partner.example/hooks")
    make_organization()
    release = make_release()
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event="release.published",
        release_id=release.pk,
        payload={"type": "release.published"},
        next_attempt_at=release.published_at,
    )
    dns["partner.example"] = ["169.254.169.254"]  # rebinding
    queue_due(timezone.now())
    run_queued_tasks()
    [attempt] = delivery.tries.all()
    assert attempt.status_code is None
    assert attempt.error.startswith("Refused: “partner.example” resolves to 169.254.169.254")


@pytest.mark.django_db
def test_loopback_is_refused_unless_the_setting_allows_it(dns, settings):
    dns["localhost"] = ["127.0.0.1"]
    assert settings.WEBHOOKS_ALLOW_LOOPBACK is False
    with pytest.raises(ValidationError, match="loopback"):
        Endpoint(name="Local", url="http://localhost:8000/").full_clean()
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    Endpoint(name="Local", url="http://localhost:8000/").full_clean()
