import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts, popular topics and the like are cached per content version; a test's rolled
    back rows must not leave theirs to the next test."""
    cache.clear()
    yield
    cache.clear()
