"""The insights pages as an editor reads them: the planted figures in the tables, the previous
period beside the chosen one, the same figures as CSV, the same number of queries however much
there is, and a bad period shown again with what is wrong."""

import csv
import html
import io
import re

import pytest

from insights.rollups import rollup
from tests.factories import make_media_contact, make_release, make_topic
from tests.insights.planted import nov, sent
from tests.pages import count_queries, get_page

pytestmark = pytest.mark.django_db

OVERVIEW = "/admin/insights/overview/"
TOPICS = "/admin/insights/topicinsights/"
SUBSCRIBERS = "/admin/insights/subscriberinsights/"
JOURNALISTS = "/admin/insights/journalistinsights/"


def release_url(release):
    return f"/admin/insights/overview/release/{release.pk}/"


def table(page, slug):
    """The rows of the table of section `slug`, as text cells (header row first)."""
    section = page[page.index(f'id="{slug}"') :]
    body = section[section.index("<table>") : section.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def downloaded(client, url, slug):
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}csv={slug}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_overview_compares_the_last_7_days_with_the_7_before(planted, officer_client):
    page = get_page(officer_client, OVERVIEW + "?period=7")
    assert table(page, "figures") == [
        ["Figure", "14 Nov 2026 – 20 Nov 2026", "7 Nov 2026 – 13 Nov 2026"],
        ["Releases published", "1", "1"],
        ["Reads", "70", "30"],
        ["New subscribers", "3", "0"],
        ["Lost subscribers", "1", "0"],
        ["Mailings sent", "1", "0"],
        ["Emails sent", "3", "0"],
        ["Delivered", "2", "0"],
        ["Opened", "1", "0"],
        ["Clicked", "1", "0"],
        ["Bounced", "1", "0"],
        ["Coverage items", "1", "0"],
    ]
    assert table(page, "top-releases")[1:] == [["Heat plan", "65"], ["Water plan", "5"]]
    assert table(page, "top-topics")[1:] == [["Extreme Heat", "65", "1"], ["Water", "5", "0"]]
    reads = table(page, "reads-per-day")
    assert reads[1] == ["2026-11-14", "0", "0"]  # beside the 7th
    assert reads[4:7] == [
        ["2026-11-17", "0", "30"],
        ["2026-11-18", "45", "0"],
        ["2026-11-19", "25", "0"],
    ]


def test_a_month_is_compared_with_the_month_before(planted, officer_client):
    page = get_page(officer_client, OVERVIEW + "?period=month&month=2026-11")
    assert table(page, "figures")[0] == ["Figure", "November 2026", "October 2026"]
    assert table(page, "figures")[2] == ["Reads", "100", "0"]


def test_a_custom_range(planted, officer_client):
    page = get_page(officer_client, OVERVIEW + "?period=custom&start=2026-11-10&end=2026-11-10")
    assert table(page, "figures")[1:3] == [["Releases published", "1", "0"], ["Reads", "30", "0"]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=custom&start=2026-11-20&end=2026-11-01", "The end comes before the start."),
        ("period=custom&start=2026-11-01", "Enter a date, such as 2026-11-01."),
        ("period=custom&start=yesterday&end=2026-11-01", "Enter a valid date."),
        ("period=custom&start=2020-01-01&end=2026-11-01", "Choose at most 731 days."),
        ("period=month", "Choose a month, such as 2026-11."),
        ("period=month&month=2027-01", "Choose a month from 2000 to this one."),
        ("period=month&month=%00", "Enter a valid date."),
        ("period=365", "Select a valid choice. 365 is not one of the available choices."),
    ],
)
def test_a_bad_period_is_shown_again_with_what_is_wrong(planted, officer_client, query, message):
    response = officer_client.get(f"{OVERVIEW}?{query}")
    if "%00" in query:  # the admin refuses NUL before any form sees it
        assert response.status_code == 400
        return
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the period below." in page
    assert html.escape(message) in page
    assert 'id="figures"' not in page


def test_the_release_page_shows_its_days_hours_referrers_mailings_and_coverage(
    planted, officer_client
):
    page = get_page(officer_client, release_url(planted["heat_plan"]))
    assert table(page, "reads-per-day")[1:] == [
        ["2026-11-18", "40"], ["2026-11-19", "25"], ["2026-11-20", "0"]
    ]  # fmt: skip
    hours = table(page, "reads-per-hour")
    assert len(hours) == 1 + 48
    assert hours[1:4] == [["Wed 09:00", "12"], ["Wed 10:00", "28"], ["Wed 11:00", "0"]]
    assert table(page, "referrers")[1:] == [["news.example.org", "9"], ["search.example", "4"]]
    assert table(page, "mailings")[1:] == [["2026-11-18: Send to media", "3", "2", "1", "1", "1"]]
    assert table(page, "coverage")[1:] == [
        ["2026-11-19", "The Daily Planet", "City plans for heat", "https://planet.example/heat"]
    ]


def test_topics_show_reads_releases_and_followers(planted, officer_client):
    page = get_page(officer_client, TOPICS + "?period=30")
    assert table(page, "topics")[1:] == [
        ["Extreme Heat", "65", "1", "3"],
        ["Water", "35", "1", "0"],
    ]
    weekly = table(page, "topics-reads-per-week")
    assert weekly[0] == ["Week of", "Extreme Heat", "Water"]
    assert ["2026-11-16", "65", "5"] in weekly
    assert ["2026-11-09", "0", "30"] in weekly


def test_subscribers_per_week_and_the_confirmation_rate(planted, officer_client):
    page = get_page(officer_client, SUBSCRIBERS + "?period=30")
    weeks = table(page, "subscribers-per-week")
    assert weeks[0] == ["Week of", "Sign-ups", "Confirmed", "Unsubscribed", "Net"]
    assert ["2026-11-16", "4", "3", "1", "2"] in weeks
    assert ["2026-10-26", "1", "1", "0", "1"] not in weeks  # before the period
    assert table(page, "confirmation-rate")[1:] == [
        ["Sign-ups", "5"], ["Confirmations", "4"], ["Confirmations per sign-up", "80%"]
    ]  # fmt: skip


def test_journalists_most_engaged_and_never_opening(planted, officer_client):
    page = get_page(officer_client, JOURNALISTS + "?period=7")
    assert table(page, "most-engaged-contacts")[1:] == [
        ["Lois Lane (The Daily Planet)", "1", "1", "1"]
    ]
    assert table(page, "most-engaged-outlets")[1:] == [["The Daily Planet", "2", "1", "1"]]
    assert table(page, "contacts-never-opening")[1:] == [
        ["Clark Kent (The Daily Planet)", "1", "2026-11-18"], ["Jimmy Olsen", "1", "2026-11-18"]
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        (OVERVIEW + "?period=7", "figures"),
        (OVERVIEW + "?period=7", "top-releases"),
        (OVERVIEW + "?period=7", "reads-per-day"),
        (TOPICS, "topics"),
        (SUBSCRIBERS + "?period=30", "subscribers-per-week"),
        (JOURNALISTS, "contacts-never-opening"),
    ],
)
def test_each_csv_holds_what_its_table_shows(planted, officer_client, url, slug):
    assert downloaded(officer_client, url, slug) == table(get_page(officer_client, url), slug)


def test_the_release_pages_csv_holds_what_its_table_shows(planted, officer_client):
    url = release_url(planted["heat_plan"])
    for slug in ("reads-per-day", "reads-per-hour", "referrers", "mailings", "coverage"):
        assert downloaded(officer_client, url, slug) == table(get_page(officer_client, url), slug)


def test_a_csv_of_no_such_table_is_a_404(planted, officer_client):
    assert officer_client.get(OVERVIEW + "?csv=passwords").status_code == 404


def add_more(planted):
    """Two more releases, topics, contacts and mailings' emails: more rows everywhere."""
    for number in range(2):
        topic = make_topic(f"Topic {number}")
        release = make_release(
            f"More {number}", topics=[topic], published_at=planted["heat_plan"].published_at
        )
        release.reads.create(day=nov(19), count=3)
        contact = make_media_contact(f"Extra{number}", "Reporter")
        sent(planted["heat_plan"].mailings.get(), contact, "opened")
    rollup(full=True)


@pytest.mark.parametrize("url", [OVERVIEW + "?period=30", TOPICS, SUBSCRIBERS, JOURNALISTS])
def test_each_page_takes_as_many_queries_for_more_rows(planted, officer_client, url):
    get_page(officer_client, url)  # the site settings, cached from then on
    before = count_queries(officer_client, url)
    add_more(planted)
    get_page(officer_client, url)  # the site settings again: new releases changed the content
    assert count_queries(officer_client, url) == before


def test_the_release_page_takes_as_many_queries_for_more_rows(planted, officer_client):
    url = release_url(planted["heat_plan"])
    get_page(officer_client, url)
    before = count_queries(officer_client, url)
    add_more(planted)
    get_page(officer_client, url)  # the site settings again: new releases changed the content
    assert count_queries(officer_client, url) == before
