"""Every public page type (tests/public_pages.py) passes axe-core's WCAG 2.0/2.1 A and AA rules,
in the light and the dark theme, and reflows at 320 px. Each check visits every page in one
test, on one copy of the demo: loading it takes longer than checking a page.

axe-core comes from npm (`make test` runs `npm ci`). Without node_modules/axe-core the axe tests
skip, except under REQUIRE_BROWSER=1 (CI), where they fail.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.public_pages import PAGES, SIGN_UP, status_of, subscriber_pages

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Only what a failure report needs, so a failing assertion stays readable.
RUN_AXE = """options => axe.run(document, options).then(results => results.violations.map(
    violation => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map(node => ({
            target: node.target.join(" "),
            html: node.html,
            summary: node.failureSummary,
        })),
    })
))"""

# What sticks out past the right edge: the outermost such elements, leaving out those inside a
# box that scrolls or clips on its own (a wide table in an overflow-x: auto wrapper is fine).
OVERFLOWING = """width => {
    const right = element => element.getBoundingClientRect().right;
    const clipped = element => {
        let box = element.parentElement;
        for (; box && box !== document.body; box = box.parentElement) {
            if (getComputedStyle(box).overflowX !== "visible") return true;
        }
        return false;
    };
    const name = element => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + [...element.classList].map(name => "." + name).join("");
    return Array.from(document.body.querySelectorAll("*"))
        .filter(element => right(element) > width + 0.5 && element.tagName !== "BR")
        .filter(element => right(element.parentElement) <= width + 0.5 && !clipped(element))
        .slice(0, 10)
        .map(element => {
            const path = [element, element.parentElement, element.parentElement.parentElement];
            const text = element.textContent.trim().slice(0, 50);
            return `${path.reverse().map(name).join(" > ")} "${text}" (right edge at ${
                Math.round(right(element))}px)`;
        });
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's Content-Security-Policy refuses.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def axe():
    if not AXE.exists():
        message = "axe-core is not installed: run `npm ci` (or `make test`)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return AXE


@pytest.fixture
def pages(demo):
    """{name: url} of every public page type, the subscriber's pages included."""
    return {**PAGES, **subscriber_pages()}


def describe(page_name, url, violations):
    lines = [f"{len(violations)} axe violation(s) on the {page_name} page ({url}):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}")
            lines.append(f"      {node['html'][:160]}")
            for detail in node["summary"].splitlines()[1:]:
                lines.append(f"      {detail.strip()}")
    return "\n".join(lines)


def axe_report(page, axe, name, url):
    """What axe finds on the page as it is now, described; empty when nothing."""
    page.add_script_tag(path=axe)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate(RUN_AXE, options)
    return describe(name, url, violations) if violations else ""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_public_page_has_no_wcag_a_or_aa_violations(page, live_server, pages, axe, scheme):
    # prefers-color-scheme: dark gives the dark theme, which must pass contrast too.
    page.emulate_media(color_scheme=scheme)
    reports = []
    for name, url in pages.items():
        response = page.goto(live_server.url + url)
        assert response.status == status_of(name), url
        reports.append(axe_report(page, axe, f"{name} ({scheme})", url))

    assert [report for report in reports if report] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_that_thanks_a_new_subscriber_has_no_violations(
    page, live_server, demo, axe, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + "/subscribe/")
    form = page.locator("main form")
    form.get_by_label("Email address").fill(SIGN_UP["email"])
    form.get_by_role("checkbox", name="agree").check()
    form.get_by_role("button").click()
    expect(page.get_by_text("Thank you. Please check your inbox")).to_be_visible()

    assert axe_report(page, axe, f"thanks ({scheme})", "/subscribe/") == ""


def test_every_public_page_fits_a_320_pixel_screen_without_scrolling_sideways(
    page, live_server, pages
):
    # WCAG 1.4.10 Reflow: 320 CSS pixels is a 1280 px window zoomed to 400%.
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = []
    for name, url in pages.items():
        response = page.goto(live_server.url + url)
        assert response.status == status_of(name), url
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > 320:
            too_wide.append(
                f"The {name} page ({url}) is {scroll_width}px wide at a 320px viewport; "
                "what sticks out:\n" + "\n".join(page.evaluate(OVERFLOWING, 320))
            )

    assert too_wide == []
