import uuid

import pytest

from tests.smtp import smtp_server  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """A key prefix of its own for each test: rate limit counts never carry over from another
    test or run, and nothing else in a shared Redis is flushed."""
    cache = dict(settings.CACHES["default"])
    cache["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "default": cache}
