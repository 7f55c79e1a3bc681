"""Every public page passes axe-core's WCAG 2.0/2.1 A and AA rules, in the light and the dark
theme, and reflows at 320 px.

axe-core comes from npm (`make test` runs `npm ci`). Without node_modules/axe-core the axe tests
skip, except under REQUIRE_BROWSER=1 (CI), where they fail.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

REFERENCE_RELEASE = (
    "/releases/2021/09/23/resilient-cities-network-strengthens-ties-to-korea-adding-new-"
    "leadership-and-renewing-commitments-to-collaboration/"
)
# The same pages are checked by the Nu HTML Checker in tests/newsroom/test_html_validity.py.
PAGES = {
    "home": "/",
    "release list": "/releases/",
    "reference release": REFERENCE_RELEASE,
    "topic": "/topics/urban-resilience/",
    "person": "/people/lauren-sorkin/",
    "organization": "/organizations/resilient-cities-network/",
    "search": "/search/?q=resilience",
    "press contacts": "/press-contacts/",
    "subscribe": "/subscribe/",
    "korean release": "/ko/releases/2023/09/12/seoul-smart-safety-checks-ko/",
    "arabic release": "/ar/releases/2023/09/12/seoul-smart-safety-checks-ar/",
}
NARROW_PAGES = ["home", "release list", "reference release"]

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
def demo(settings, tmp_path):
    # The demo's drawn pictures (and their renditions) go to a fresh directory.
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def axe():
    if not AXE.exists():
        message = "axe-core is not installed: run `npm ci` (or `make test`)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return AXE


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_name", PAGES)
def test_the_page_has_no_wcag_a_or_aa_violations(page, live_server, demo, axe, page_name, scheme):
    # prefers-color-scheme: dark gives the dark theme, which must pass contrast too.
    page.emulate_media(color_scheme=scheme)
    url = PAGES[page_name]
    response = page.goto(live_server.url + url)
    assert response.status == 200

    page.add_script_tag(path=axe)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate(RUN_AXE, options)

    assert violations == [], describe(f"{page_name} ({scheme})", url, violations)


@pytest.mark.parametrize("page_name", NARROW_PAGES)
def test_the_page_fits_a_320_pixel_screen_without_scrolling_sideways(
    page, live_server, demo, page_name
):
    # WCAG 1.4.10 Reflow: 320 CSS pixels is a 1280 px window zoomed to 400%.
    page.set_viewport_size({"width": 320, "height": 640})
    url = PAGES[page_name]
    response = page.goto(live_server.url + url)
    assert response.status == 200

    scroll_width = page.evaluate("document.documentElement.scrollWidth")

    assert scroll_width <= 320, (
        f"The {page_name} page ({url}) is {scroll_width}px wide at a 320px viewport; "
        "what sticks out:\n" + "\n".join(page.evaluate(OVERFLOWING, 320))
    )
