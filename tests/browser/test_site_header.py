"""The site header on a phone: one row at most 64 px tall, a Menu that opens without
JavaScript, nothing wider than a 320 px screen; on a desktop, the menu always shown."""

import datetime

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from core.brand import lightened_for_dark
from core.models import SiteSettings
from tests.factories import make_image_file, make_release

pytestmark = pytest.mark.django_db(transaction=True)

RELEASE = "/releases/2021/09/23/seoul-renews-its-membership-of-the-network-for-five-more-years/"


@pytest.fixture(autouse=True)
def content(settings, tmp_path):
    """A long name beside a logo (the hardest header to fit), and a release to read."""
    settings.MEDIA_ROOT = tmp_path
    brand = SiteSettings(organization_name="Resilient Cities Network Newsroom")
    logo = make_image_file("mark.png", size=(160, 160), format="PNG")
    brand.logo.save("mark.png", ContentFile(logo.read()), save=False)
    brand.save()
    make_release(
        "Seoul renews its membership of the Network for five more years",
        dateline_date=datetime.date(2021, 9, 23),
    )


@pytest.fixture
def phone(browser):
    """A 390 px phone with JavaScript turned off."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def header_height(page):
    return page.locator(".site-header").bounding_box()["height"]


def test_the_menu_opens_and_closes_without_javascript(phone, live_server):
    phone.goto(live_server.url + "/")
    menu = phone.get_by_role("navigation", name="Main")
    expect(menu).to_be_hidden()
    expect(phone.get_by_role("search")).to_be_hidden()

    phone.get_by_role("link", name="Menu", exact=True).click()
    expect(menu).to_be_visible()
    expect(phone.get_by_role("searchbox", name="Search the newsroom")).to_be_visible()
    expect(phone.get_by_role("link", name="Menu", exact=True)).to_be_hidden()

    phone.get_by_role("link", name="Close menu").click()
    expect(menu).to_be_hidden()

    phone.get_by_role("link", name="Menu", exact=True).click()
    menu.get_by_role("link", name="Press releases").click()
    expect(phone).to_have_url(live_server.url + "/releases/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Press releases")


def test_javascript_is_really_off_in_the_phone(phone, live_server):
    phone.goto(live_server.url + "/")
    phone.set_content(
        "<p id=p>off</p><script>document.getElementById('p').textContent='on'</script>"
    )
    expect(phone.locator("#p")).to_have_text("off")


@pytest.mark.parametrize("url", ["/", RELEASE])
def test_the_header_is_at_most_64_pixels_tall_on_a_390_pixel_phone(phone, live_server, url):
    phone.goto(live_server.url + url)
    assert header_height(phone) <= 64
    # The name, beside the logo, is shown whole.
    name = phone.locator(".site-name span")
    assert name.evaluate("span => span.scrollHeight <= span.clientHeight")
    expect(name).to_have_text("Resilient Cities Network Newsroom")


@pytest.mark.parametrize("url", ["/", "/#site-menu", RELEASE, RELEASE + "#site-menu"])
def test_nothing_scrolls_sideways_at_320_pixels_menu_open_or_closed(browser, live_server, url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_on_a_desktop_the_menu_is_always_shown_in_one_row(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the newsroom")).to_be_visible()
    expect(page.get_by_role("link", name="Menu", exact=True)).to_be_hidden()
    assert header_height(page) <= 64


def test_the_logo_keeps_its_place_before_it_loads(phone, live_server):
    phone.goto(live_server.url + "/")
    logo = phone.locator(".site-logo")
    box = logo.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (32, 32)


def test_the_dark_theme_uses_a_lighter_brand_colour(browser, live_server):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(live_server.url + "/")
    colours = page.evaluate(
        """() => [getComputedStyle(document.body).backgroundColor,
                  getComputedStyle(document.querySelector('.site-header')).borderTopColor]"""
    )
    context.close()
    # The page's dark background, and the default primary colour #083f77 lightened to pass
    # as text on it.
    lighter = lightened_for_dark("#083f77")
    rgb = ", ".join(str(int(lighter[i : i + 2], 16)) for i in (1, 3, 5))
    assert colours == ["rgb(21, 22, 28)", f"rgb({rgb})"]
