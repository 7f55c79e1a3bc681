"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

They skip when Chromium is missing, except under REQUIRE_BROWSER=1 (CI), where they fail."""

import io
import os

import pytest
from django.core.management import call_command

from tests.chromium import CHROMIUM


def pytest_collection_modifyitems(config, items):
    if CHROMIUM or os.environ.get("REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(skip)


@pytest.fixture
def demo(settings, tmp_path):
    """The demo site (load_demo), its drawn pictures (and their renditions) in a fresh
    directory: settings.MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
