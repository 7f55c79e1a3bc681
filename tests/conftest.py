import os

import pytest
from django.core.cache import cache

from core.models import SETTINGS_KEY
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

# Browser tests: Django's live server runs in a thread beside the test's database connection.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright launches Debian's Chromium; without it a browser test skips, except under
    REQUIRE_BROWSER=1 (CI), where it fails."""
    if not CHROMIUM:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but there is no chromium on PATH")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def admin_client(client, django_user_model):
    """A logged-in superuser, as the admin pages are used."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages, counts and popular topics are cached per content version, and rate limits count
    in the cache: none may outlive the test whose rows were rolled back. The site settings
    start as a fresh database has them (none saved), as every server has them cached between
    two saves: query counts are those of pages served, not of the first one after a save."""
    cache.clear()
    settings_as_served()
    yield
    cache.clear()


def settings_as_served():
    """The site settings cached as none saved, as a fresh database has them."""
    cache.set(SETTINGS_KEY, (None,), timeout=None)
