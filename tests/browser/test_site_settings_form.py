"""The site settings form in the admin, as a press officer (not a superuser) uses it: a PNG
logo that appears in the site's header and the admin's, a colour too faint to read refused
with its measured contrast, and an SVG logo with a script in it refused."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.models import SiteSettings
from tests.browser.test_editorial_flow import log_in, staff
from tests.factories import make_image_file

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/admin/core/sitesettings/"
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    b'<script>alert(document.cookie)</script><circle cx="20" cy="20" r="20"/></svg>'
)


@pytest.fixture
def officer(page, live_server, settings, tmp_path):
    """A press officer signed in at a laptop's width. Django's test server does not serve
    uploads, so the browser gets them from MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path

    def uploaded(route):
        route.fulfill(path=Path(tmp_path) / route.request.url.split("/media/", 1)[1])

    page.route("**/media/**", uploaded)
    page.set_viewport_size({"width": 1280, "height": 900})
    staff("pat", "Press officer")
    log_in(page, live_server.url, "pat")
    page.goto(live_server.url + URL)
    return page


def logo_file(name, content, mime):
    return {"name": name, "mimeType": mime, "buffer": content}


def is_loaded(image):
    """Whether the picture loaded, waiting for it if it is still loading (under load, the
    check can run before the browser has it)."""
    return image.evaluate(
        """image => image.complete ? image.naturalWidth > 0 : new Promise(resolve => {
            image.addEventListener("load", () => resolve(image.naturalWidth > 0));
            image.addEventListener("error", () => resolve(false));
        })"""
    )


def test_a_png_logo_shows_in_the_sites_header_and_the_admins(officer, live_server):
    png = make_image_file("mark.png", size=(160, 80), format="PNG").read()
    officer.get_by_label("Organization name:", exact=True).fill("City of Example")
    officer.get_by_label("Logo:", exact=True).set_input_files(
        logo_file("mark.png", png, "image/png")
    )
    officer.get_by_role("button", name="Save", exact=True).click()

    expect(officer.get_by_text("Site settings was changed successfully.")).to_be_visible()
    admin_logo = officer.locator("#site-name img")
    expect(officer.locator("#site-name")).to_have_text("City of Example")
    assert is_loaded(admin_logo)

    officer.goto(live_server.url + "/")
    logo = officer.locator(".site-header .site-logo")
    expect(logo).to_have_attribute("src", SiteSettings.objects.get().logo.url)
    assert is_loaded(logo)
    expect(officer.locator(".site-name")).to_have_text("City of Example")


def test_a_colour_too_faint_to_read_is_refused_with_its_measured_contrast(officer):
    officer.get_by_label("Primary colour:", exact=True).fill("#7fa7d9")
    officer.get_by_role("button", name="Save", exact=True).click()

    error = officer.locator(".field-primary_colour .errorlist")
    expect(error).to_contain_text("#7fa7d9 has a contrast ratio of 2.28:1")
    expect(error).to_contain_text("text needs at least 4.5:1")
    assert SiteSettings.objects.current().primary_colour == "#083f77"  # as it was


def test_an_svg_logo_with_a_script_is_refused(officer):
    officer.get_by_label("Logo:", exact=True).set_input_files(
        logo_file("mark.svg", SVG_WITH_SCRIPT, "image/svg+xml")
    )
    officer.get_by_role("button", name="Save", exact=True).click()

    expect(officer.locator(".field-logo .errorlist")).to_contain_text(
        "SVG files are not accepted as the logo"
    )
    assert not SiteSettings.objects.current().logo
