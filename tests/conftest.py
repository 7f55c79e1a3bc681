import pytest
from django.core.cache import cache


@pytest.fixture
def admin_client(client, django_user_model):
    """A logged-in superuser, as the admin pages are used."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages, counts and popular topics are cached per content version, and rate limits count
    in the cache: none may outlive the test whose rows were rolled back."""
    cache.clear()
    yield
    cache.clear()
