"""The API's docs page works in Chromium under the site's Content-Security-Policy: its Swagger
UI is served from the site's static files and lists the operations."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_organization, make_release

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_page_lists_the_operations_under_the_sites_csp(live_server, page):
    make_organization()
    make_release()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src" in response.headers["content-security-policy"]
    expect(page.get_by_text("/api/v1/releases/", exact=True)).to_be_visible()
    expect(page.locator(".opblock-get")).to_have_count(7)
    assert refused == []
