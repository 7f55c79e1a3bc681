"""The insights pages in Chromium, as an editor opens them: each chart is drawn (its SVG has a
bar or a point per row of its table), the tables hold the planted figures, and nothing is
refused by the Content-Security-Policy. SHOTS=/some/folder keeps screenshots, 1280 and 390 px."""

import os
import pathlib

import pytest
import time_machine
from playwright.sync_api import expect

from insights.rollups import rollup
from tests.browser.test_accessibility import AXE, RUN_AXE
from tests.browser.test_editorial_flow import log_in, staff
from tests.insights.planted import NOW, plant

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("SHOTS")
WEEK = "?period=custom&start=2026-11-14&end=2026-11-20"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def shoot(page, name):
    if not SHOTS:
        return
    pathlib.Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width, label in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/insights-{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def editor_page(page, live_server):
    """A press officer signed in, with the planted figures rolled up; time runs from NOW on."""
    with time_machine.travel(NOW, tick=True):
        planted = plant()
        rollup()
        staff("pat", "Press officer")
        refused = []
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)  # fmt: skip
        log_in(page, live_server.url, "pat")
        yield page, live_server.url, planted
        assert refused == []


def tabs(page):
    return page.get_by_role("navigation", name="Insights pages")


def rows(page, slug):
    return page.locator(f"#{slug} table tbody tr")


def cells(page, slug):
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in rows(page, slug).all()
    ]


def test_the_overview_draws_its_charts_beside_its_tables(editor_page):
    page, base, _ = editor_page
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="Overview").first.click()
    page.goto(f"{base}/admin/insights/overview/{WEEK}")
    expect(page.get_by_role("heading", name="Insights: overview")).to_be_visible()

    reads = page.locator("#reads-per-day svg.chart-lines")
    expect(reads).to_be_visible()
    expect(reads.locator("polyline")).to_have_count(2)  # the period and the one before
    expect(reads.locator("circle")).to_have_count(14)
    assert cells(page, "reads-per-day")[4:6] == [
        ["2026-11-18", "45", "0"],
        ["2026-11-19", "25", "0"],
    ]

    expect(page.locator("#top-releases svg rect.bar")).to_have_count(2)
    assert cells(page, "top-releases") == [["Heat plan", "65"], ["Water plan", "5"]]
    expect(page.locator("#mailing-funnel svg rect.bar")).to_have_count(5)
    assert cells(page, "mailing-funnel") == [
        ["Emails sent", "3"], ["Delivered", "2"], ["Opened", "1"], ["Clicked", "1"],
        ["Bounced", "1"],
    ]  # fmt: skip
    assert cells(page, "figures")[1] == ["Reads", "70", "30"]
    # A bar's height follows its figure: Delivered (2) twice as high as Opened (1).
    heights = [float(h) for h in page.locator("#mailing-funnel rect.bar").evaluate_all(
        "bars => bars.map(bar => bar.getAttribute('height'))")]  # fmt: skip
    assert heights[1] == pytest.approx(2 * heights[2])
    shoot(page, "overview")

    page.get_by_role("link", name="Heat plan").first.click()
    expect(page.get_by_role("heading", name="Insights: Heat plan")).to_be_visible()
    expect(page.locator("#reads-per-hour svg rect.bar")).to_have_count(48)
    expect(page.locator("#referrers svg rect.bar")).to_have_count(2)
    assert cells(page, "referrers") == [["news.example.org", "9"], ["search.example", "4"]]
    assert cells(page, "mailings") == [["2026-11-18: Send to media", "3", "2", "1", "1", "1"]]
    shoot(page, "release")


def test_a_bad_period_is_shown_again_with_what_is_wrong(editor_page):
    page, base, _ = editor_page
    page.goto(f"{base}/admin/insights/overview/")
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From", exact=True).fill("2026-11-20")
    page.get_by_label("To", exact=True).fill("2026-11-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The end comes before the start.")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(0)
    shoot(page, "bad-period")


def test_topics_subscribers_and_journalists(editor_page):
    page, base, _ = editor_page
    page.goto(f"{base}/admin/insights/topicinsights/{WEEK}")
    expect(page.locator("#topics svg rect.bar")).to_have_count(2)
    assert cells(page, "topics") == [["Extreme Heat", "65", "1", "3"], ["Water", "5", "0", "0"]]
    expect(page.locator("#topics-reads-per-week svg polyline")).to_have_count(2)
    shoot(page, "topics")

    tabs(page).get_by_role("link", name="Subscribers").click()
    expect(page.locator("#subscribers-per-week svg polyline")).to_have_count(3)
    assert cells(page, "subscribers-per-week") == [["2026-11-09", "0", "0", "0", "0"],
                                                   ["2026-11-16", "4", "3", "1", "2"]]  # fmt: skip
    shoot(page, "subscribers")

    tabs(page).get_by_role("link", name="Journalists").click()
    expect(page.locator("#most-engaged-contacts svg rect.bar")).to_have_count(1)
    assert cells(page, "contacts-never-opening") == [
        ["Clark Kent (The Daily Planet)", "1", "2026-11-18"], ["Jimmy Olsen", "1", "2026-11-18"]
    ]  # fmt: skip
    shoot(page, "journalists")


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm ci`")
def test_the_pages_have_no_wcag_a_or_aa_violations(browser, live_server):
    """axe-core on each page, in a context of its own: axe is injected as an inline script,
    which the site's CSP refuses (the other tests keep the CSP)."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    with time_machine.travel(NOW, tick=True):
        planted = plant()
        rollup()
        staff("pat", "Press officer")
        log_in(page, live_server.url, "pat")
        for path in [
            f"/admin/insights/overview/{WEEK}",
            f"/admin/insights/overview/release/{planted['heat_plan'].pk}/",
            f"/admin/insights/topicinsights/{WEEK}",
            f"/admin/insights/subscriberinsights/{WEEK}",
            f"/admin/insights/journalistinsights/{WEEK}",
            "/admin/insights/overview/?period=custom&start=2026-11-20&end=2026-11-01",
        ]:
            page.goto(live_server.url + path)
            page.add_script_tag(path=AXE)
            violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
            assert violations == [], (path, violations)
    context.close()
