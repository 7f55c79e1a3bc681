"""Releases written before languages existed are English, and each is a translation group of
its own: none is taken for a translation of another."""

import pytest

from tests.migrating import latest_schema_after, migrate  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("press", "0015_release_body_quote_codes")]
AFTER = [("press", "0016_release_language_and_translation_key")]


def test_existing_releases_are_english_and_each_in_its_own_group():
    old = migrate(BEFORE)
    Organization, Release = (
        old.get_model("press", "Organization"),
        old.get_model("press", "Release"),
    )
    byline = Organization.objects.create(name="City of Houston", slug="houston")
    for title in ("One", "Two", "Three"):
        Release.objects.create(title=title, slug=title.lower(), byline=byline)

    new = migrate(AFTER)
    rows = list(new.get_model("press", "Release").objects.values("language", "translation_key"))

    assert [row["language"] for row in rows] == ["en", "en", "en"]
    assert len({row["translation_key"] for row in rows}) == 3
