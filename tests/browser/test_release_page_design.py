"""The release page in Chromium: a reading measure of 60-75 characters, a print of the release
alone, the copy-link button, and axe's WCAG A/AA rules on a release with placed and pull quotes
(light and dark)."""

import datetime
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_TAGS, describe
from tests.factories import (
    make_image_file,
    make_office,
    make_organization,
    make_person,
    make_press_contact,
    make_quote,
    make_release,
    make_role,
    make_topic,
)

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/releases/2021/09/23/cities-join-forces-on-heat/"
PARAGRAPH = (
    "City officials and researchers met in Singapore this week to compare how neighbourhoods "
    "cope with long spells of extreme heat, from shaded walkways and cooling centres to early "
    "warnings sent to older residents who live alone, and agreed to share what works. "
)


@pytest.fixture(autouse=True)
def fresh_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
    }
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's Content-Security-Policy refuses.
    # The copy-link script is a file of the site's own, which the policy allows either way.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def release():
    rcn = make_organization("Resilient Cities Network")
    sorkin = make_person("Lauren Sorkin")
    make_role(sorkin, rcn, "Executive Director", start_date=datetime.date(2020, 1, 1))
    turner = make_person("Sylvester Turner")
    release = make_release(
        "Cities join forces on heat",
        byline=rcn,
        dateline_date=datetime.date(2021, 9, 23),
        published_at=datetime.datetime(2021, 9, 23, 9, tzinfo=datetime.UTC),
        dateline_place="SINGAPORE",
        topics=[make_topic("Extreme Heat"), make_topic("Urban Resilience")],
        media_contact=make_person("Sandra Mahmoud", email="press@example.org"),
        featured_image=make_image_file("heat.jpg", size=(1600, 900)),
        featured_image_alt="A shaded street in Singapore",
    )
    placed = make_quote(release, sorkin, "Cities learn fastest from each other.")
    make_quote(release, turner, "Houston is ready for hotter summers.", attribution="Mayor")
    release.body = f"<p>{PARAGRAPH * 3}</p><p>[quote {placed.pk}]</p><p>{PARAGRAPH * 2}</p>"
    release.save()
    make_press_contact("Fabiola Guillen", office=make_office("Mexico City"))
    return release


# Characters per line of the body's first paragraph: its text over its number of line boxes.
CHARACTERS_PER_LINE = """() => {
    const paragraph = document.querySelector(".release .body p");
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
    return paragraph.textContent.trim().length / tops.size;
}"""


@pytest.mark.parametrize("width", [768, 1280, 1600])
def test_the_body_keeps_a_reading_measure_of_60_to_75_characters(page, live_server, release, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + URL)
    assert 60 <= page.evaluate(CHARACTERS_PER_LINE) <= 75


def test_the_print_stylesheet_prints_the_release_alone(page, live_server, release):
    page.goto(live_server.url + URL)
    page.emulate_media(media="print")
    hidden = [
        ".site-header nav",
        ".site-search",
        ".release-aside",
        ".share",
        ".related",
        ".interesting",
        ".newsletter",
        ".site-footer",
        ".breadcrumbs",
    ]
    for selector in hidden:
        display = page.eval_on_selector(selector, "e => getComputedStyle(e).display")
        assert display == "none", selector
    for selector in ["#release-title", ".release .body", ".quote-block", ".pull-quotes"]:
        expect(page.locator(selector).first).to_be_visible()
    # The story runs the full width of the paper, not the screen's column.
    widths = page.evaluate(
        "[document.querySelector('.release').getBoundingClientRect().width,"
        " document.querySelector('.release-page').getBoundingClientRect().width]"
    )
    assert widths[0] >= widths[1] - 40
    page.emulate_media(media="screen")
    expect(page.locator(".release-aside")).to_be_visible()


def test_the_copy_link_button_copies_the_releases_address(page, live_server, release):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + URL)
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + URL


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_release_with_placed_and_pull_quotes_has_no_wcag_violations(
    page, live_server, release, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + URL)
    page.add_script_tag(path=AXE)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate(RUN_AXE, options)
    assert violations == [], describe(f"release ({scheme})", URL, violations)
