"""Migration 0010 reads the free text of outlets' countries and contacts' languages into codes,
and keeps what it cannot read."""

import pytest

from tests.migrating import latest_schema_after, migrate  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("contacts", "0011_import_mappings")]
AFTER = [("contacts", "0012_contact_country_language_tags_segments")]


def test_countries_and_languages_written_out_become_codes_and_the_rest_is_kept():
    old = migrate(BEFORE)
    Outlet, MediaContact = (
        old.get_model("contacts", "Outlet"),
        old.get_model("contacts", "MediaContact"),
    )
    Outlet.objects.create(name="Korea Herald", country="South Korea")
    Outlet.objects.create(name="Asia Wire", country="East Asia")
    Outlet.objects.create(name="Daily", country="USA")
    MediaContact.objects.create(
        last_name="Kim", email="kim@example.org", languages="English, Korean"
    )
    MediaContact.objects.create(last_name="Weber", email="weber@example.org", languages="Deutsch")
    MediaContact.objects.create(last_name="X", email="x@example.org", languages="Klingon")

    new = migrate(AFTER)

    Outlet, MediaContact = (
        new.get_model("contacts", "Outlet"),
        new.get_model("contacts", "MediaContact"),
    )
    assert sorted(Outlet.objects.values_list("name", "country", "region")) == [
        ("Asia Wire", "", "East Asia"),
        ("Daily", "US", ""),
        ("Korea Herald", "KR", ""),
    ]
    assert sorted(MediaContact.objects.values_list("last_name", "language", "languages")) == [
        ("Kim", "en", "English, Korean"),
        ("Weber", "de", "Deutsch"),
        ("X", "", "Klingon"),
    ]
