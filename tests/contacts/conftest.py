import uuid

import pytest
from django.test import Client

from tests.conftest import settings_as_served
from tests.factories import make_user
from tests.smtp import smtp_server  # noqa: F401  (a fixture)
from tests.smtp_sink import Sink, use_sink


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """A key prefix of its own for each test: rate limit counts never carry over from another
    test or run, and nothing else in a shared Redis is flushed."""
    cache = dict(settings.CACHES["default"])
    cache["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "default": cache}
    settings_as_served()


@pytest.fixture
def uploads_in_a_temporary_folder(settings, tmp_path):
    """Uploaded files (imports) go to a folder of the test's own, deleted after it."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def officer():
    return make_user("press", group_name="Press officer")


@pytest.fixture
def officer_client(officer):
    """A client signed in as a press officer, who may see, import and export contacts."""
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture
def sink(settings):
    """A running Sink with Django's SMTP backend pointed at it, and links in emails to
    https://newsroom.example."""
    settings.SITE_URL = "https://newsroom.example"
    with Sink() as sink:
        use_sink(settings, sink)
        yield sink
