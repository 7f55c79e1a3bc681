"""Every public page is valid HTML by the Nu HTML Checker (vnu), the W3C validator's engine.

vnu.jar comes from npm (`make test` runs `npm ci`) and needs Java. Without either the test
skips, except under REQUIRE_BROWSER=1 (CI), where it fails.
"""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

VNU = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
JAVA = shutil.which("java")

REFERENCE_RELEASE = (
    "/releases/2021/09/23/resilient-cities-network-strengthens-ties-to-korea-adding-new-"
    "leadership-and-renewing-commitments-to-collaboration/"
)
# The same pages as the axe checks in tests/browser/test_accessibility.py.
PAGES = {
    "home": "/",
    "release-list": "/releases/",
    "reference-release": REFERENCE_RELEASE,
    "topic": "/topics/urban-resilience/",
    "person": "/people/lauren-sorkin/",
    "organization": "/organizations/resilient-cities-network/",
    "search": "/search/?q=resilience",
    "press-contacts": "/press-contacts/",
    "subscribe": "/subscribe/",
    "korean-release": "/ko/releases/2023/09/12/seoul-smart-safety-checks-ko/",
    "arabic-release": "/ar/releases/2023/09/12/seoul-smart-safety-checks-ar/",
}


@pytest.fixture
def vnu():
    if not (JAVA and VNU.exists()):
        message = "The Nu HTML Checker needs Java and node_modules/vnu-jar (run `npm ci`)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return [JAVA, "-jar", str(VNU)]


def describe(errors, urls):
    lines = [f"{len(errors)} HTML error(s):"]
    for error in errors:
        file = Path(error.get("url", "?").removeprefix("file:")).name
        line = error.get("lastLine", "?")
        lines.append(f"- {urls.get(file, '?')} ({file}) line {line}: {error['message']}")
        if error.get("extract"):
            lines.append(f"    {' '.join(error['extract'].split())}")
    return "\n".join(lines)


@pytest.mark.django_db
def test_every_public_page_is_valid_html(client, tmp_path, vnu, settings):
    # The demo's drawn pictures (and their renditions) go to a fresh directory.
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    urls = {}
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, url
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        urls[file.name] = url

    # One JVM for every page: starting one takes about 3.5 seconds.
    checked = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *sorted(tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its report to stderr and exits 1 when it finds errors.
    assert checked.returncode in (0, 1), checked.stdout + checked.stderr
    messages = json.loads(checked.stderr)["messages"]
    errors = [message for message in messages if message["type"] != "info"]

    assert errors == [], describe(errors, urls)
