"""Shared by the security tests: Chromium for the browser ones, a cache of each test's own."""

import os
import shutil
import uuid

import pytest
from django.test import Client

# The live server runs in a thread beside the test's database connection.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but there is no chromium on PATH")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


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
