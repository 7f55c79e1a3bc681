import pytest


@pytest.fixture
def admin_client(client, django_user_model):
    """A logged-in superuser, as the admin pages are used."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client
