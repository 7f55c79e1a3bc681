"""Every public page type (tests/public_pages.py), and the page that thanks a new subscriber,
is valid HTML by the Nu HTML Checker (vnu), the W3C validator's engine. The dark theme is the
same HTML (a media query in the stylesheet), so one check covers both themes.

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

from tests.public_pages import PAGES, SIGN_UP, status_of, subscriber_pages

VNU = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
JAVA = shutil.which("java")


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
    for name, url in {**PAGES, **subscriber_pages()}.items():
        response = client.get(url)
        assert response.status_code == status_of(name), url
        file = tmp_path / f"{name.replace(' ', '-')}.html"
        file.write_bytes(response.content)
        urls[file.name] = url
    thanks = client.post("/subscribe/", SIGN_UP, follow=True)
    assert "Thank you. Please check your inbox" in thanks.content.decode()
    (tmp_path / "thanks.html").write_bytes(thanks.content)
    urls["thanks.html"] = "/subscribe/ (signed up)"

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
