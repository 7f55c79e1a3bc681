"""The organization's name as set in the site settings, wherever the newsroom names itself
(feeds, emails, sitemaps and the admin have their own tests, which set it the same way)."""

import json
import re

import pytest

from tests.factories import make_release, name_the_organization
from tests.pages import get_page

pytestmark = pytest.mark.django_db


def json_ld(page):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    ]


def test_without_an_organization_record_the_release_is_published_by_the_name_as_set(
    client, settings
):
    settings.NEWSROOM_ORGANIZATION = "no-such-organization"
    name_the_organization("City of Example")
    release = make_release()

    page = get_page(client, release.get_absolute_url())

    [article] = [data for data in json_ld(page) if data.get("@type") == "NewsArticle"]
    assert article["publisher"]["name"] == "City of Example"


def test_the_page_title_and_the_admin_say_the_name_as_set(client, admin_client):
    name_the_organization("City of Example")

    assert (
        re.search(r"<title>(.*?)</title>", get_page(client, "/releases/"))
        .group(1)
        .endswith("| City of Example")
    )
    password_page = admin_client.get("/admin/password_change/").content.decode()
    assert re.search(r"<title>(.*?)</title>", password_page).group(1).endswith("| City of Example")
