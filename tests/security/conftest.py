"""Shared by the security tests: a cache of each test's own, a signed-in superuser."""

import uuid

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def own_cache_prefix(settings):
    """Sign-up rate limits count per network, and every client here is 127.0.0.1: a key prefix
    of each test's own keeps other tests and runs (the cache may be a shared Redis) out of it."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
    }


@pytest.fixture
def superuser_client(django_user_model):
    """A signed-in superuser without a password: hashing one costs a second per test."""
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.org"))
    return client


@pytest.fixture(autouse=True)
def no_name_lookups(monkeypatch):
    """Fuzzed webhook URLs are checked by resolving their host (api/addresses.py): here no name
    is looked up, so no query leaves the machine; an address written as digits is answered
    as itself."""

    def literal_only(host, port):
        raise OSError(f"tests look up no names: {host}")

    monkeypatch.setattr("api.addresses.resolve", literal_only)
