"""The person admin at a laptop's width (issue 16): a person's roles, with their date
pickers, fit a 1280 px screen, and overlapping roles at one organization are flagged."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.test_editorial_flow import log_in, staff
from tests.factories import make_organization, make_person, make_role

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_persons_roles_fit_a_1280_pixel_screen(page, live_server):
    staff("erin", "Editor")
    okoro = make_person("Tomas Okoro")
    water = make_organization("Port Amara Water Authority")
    make_role(okoro, water, "Acting Director", start_date=datetime.date(2019, 9, 1))
    make_role(okoro, water, "Director", start_date=datetime.date(2020, 12, 1))
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "erin")
    page.goto(f"{live_server.url}/admin/press/person/{okoro.pk}/change/")
    expect(page.locator(".messagelist .warning")).to_contain_text(
        "Two roles at Port Amara Water Authority overlap"
    )
    # Three roles (two and an empty one) with title, organization, kind and two date pickers.
    expect(
        page.locator(".inline-related:not(.empty-form) input[name$='-start_date']")
    ).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
