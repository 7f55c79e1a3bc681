"""The release page with everything it can show (placed and pull quotes, featured image and its
share rendition, downloads, share links, media contact) is valid HTML by the Nu HTML Checker."""

import datetime
import json
import subprocess

import pytest

from tests.factories import (
    make_image_file,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_release_image,
    make_topic,
)
from tests.newsroom.test_html_validity import describe, vnu  # noqa: F401 (a fixture)

URL = "/releases/2021/09/23/cities-join-forces-on-heat/"


@pytest.mark.django_db
def test_a_full_release_page_is_valid_html(client, tmp_path, settings, vnu):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    release = make_release(
        "Cities join forces on heat",
        byline=make_organization("Resilient Cities Network"),
        dateline_date=datetime.date(2021, 9, 23),
        published_at=datetime.datetime(2021, 9, 23, 9, tzinfo=datetime.UTC),
        topics=[make_topic("Extreme Heat")],
        media_contact=make_person("Sandra Mahmoud", email="press@example.org"),
        featured_image=make_image_file("heat.jpg"),
        featured_image_alt="A shaded street",
        featured_image_credit="Photo: RCN",
    )
    make_release_image(release, credit="Photo: City of Houston")
    placed = make_quote(release, make_person("Lauren Sorkin"), "Cities learn fastest.")
    make_quote(release, make_person("Sylvester Turner"), "Houston is ready.", attribution="Mayor")
    release.body = f"<p>Before.</p><p>[quote {placed.pk}]</p><p>After.</p>"
    release.save()

    file = tmp_path / "release.html"
    response = client.get(URL)
    assert response.status_code == 200
    file.write_bytes(response.content)
    checked = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", str(file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode in (0, 1), checked.stdout + checked.stderr
    errors = [m for m in json.loads(checked.stderr)["messages"] if m["type"] != "info"]
    assert errors == [], describe(errors, {file.name: URL})
