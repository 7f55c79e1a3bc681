"""The release change form in the order an editor works: the story (with its images), people
and quotes, dateline and publication, distribution."""

import re

import pytest

from tests.factories import make_person, make_quote, make_release
from tests.pages import get_page


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def headings(page):
    """The form's fieldset and inline headings, in page order."""
    found = re.findall(
        r'<h2 id="[\w-]+" class="(?:fieldset|inline)-heading">(.*?)</h2>', page, re.S
    )
    return [re.sub(r"<[^>]+>", "", heading).strip() for heading in found]


def field_order(page):
    names = re.findall(r'<div class="form-row[^"]*field-(\w+)', page)
    return list(dict.fromkeys(names))


@pytest.mark.django_db
def test_the_change_form_groups_fields_in_the_editors_order(admin_client):
    release = make_release()
    quote = make_quote(release, make_person("Lauren Sorkin"))
    page = get_page(admin_client, f"/admin/press/release/{release.pk}/change/")
    assert headings(page) == [
        "Story",
        "Gallery images",
        "People and quotes",
        "Quotes",
        "Dateline and publication",
        "Distribution",
        "Correction",  # the release is published
        "Coverage: articles about this release",  # contacts' inline, after the form
    ]
    order = field_order(page)
    story = ["title", "slug", "subtitle", "summary", "body", "featured_image"]
    people = ["byline", "people", "organizations"]
    when = ["dateline_place", "dateline_date", "published_at", "expires_at"]
    distribution = ["topics", "media_contact", "boilerplate", "pinned_related"]
    expected = story + people + when + distribution
    assert [name for name in order if name in expected] == expected
    assert f"Type [quote {quote.pk}] alone in a paragraph of the body" in page
