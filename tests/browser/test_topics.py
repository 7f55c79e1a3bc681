"""Topics in the admin as an editor uses them in Chromium: picked on a release by typing part of
a name in any case, made on purpose with the + beside the field, and merged from the topic list
(the merged topic's address then leads to the kept one)."""

import os
import pathlib

import pytest
from playwright.sync_api import expect

from press.models import Release, Topic
from tests.browser.test_editorial_flow import log_in, staff
from tests.factories import make_organization, make_release, make_topic

pytestmark = pytest.mark.django_db(transaction=True)

# SHOTS=/some/folder keeps screenshots of the screens, desktop and phone wide.
SHOTS = os.environ.get("SHOTS")


def shoot(page, name):
    if not SHOTS:
        return
    pathlib.Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width, label in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{label}.png", full_page=width == 390)
    page.set_viewport_size({"width": 1280, "height": 900})


def offered(page):
    """What the open topics picker offers."""
    return page.locator("#select2-id_topics-results li")


def open_topics_picker(page):
    # A select2 of many values searches in a field inside the box itself.
    field = page.locator("#id_topics + .select2 .select2-search__field")
    field.click()
    return field


def test_an_editor_picks_a_topic_in_any_case_and_makes_a_new_one_on_purpose(page, live_server):
    make_organization()
    water = make_topic("Water Resilience")
    make_topic("Extreme Heat")
    release = make_release("Rain gardens for every district", status=Release.Status.DRAFT)
    staff("erin", "Editor")
    log_in(page, live_server.url, "erin")
    page.goto(f"{live_server.url}/admin/press/release/{release.pk}/change/")

    search = open_topics_picker(page)
    search.fill("water resilience")
    expect(offered(page)).to_have_text(["Water Resilience"])
    shoot(page, "topic-picker")
    offered(page).filter(has_text="Water Resilience").click()

    # A name that is not on the list finds nothing, and typing it makes nothing.
    search = open_topics_picker(page)
    search.fill("Floods")
    expect(offered(page)).to_have_text(["No results found"])
    page.keyboard.press("Escape")

    # Making it is a step of its own: the + opens the topic form, which picks it once saved.
    with page.expect_popup() as opened:
        page.locator("#add_id_topics").click()
    popup = opened.value
    popup.locator("#id_name").fill("Floods")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")
    expect(page.locator("#id_topics + .select2 .select2-selection__choice")).to_have_count(2)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    floods = Topic.objects.get(name="Floods")
    assert set(Release.objects.get(pk=release.pk).topics.all()) == {water, floods}
    assert sorted(Topic.objects.values_list("name", flat=True)) == [
        "Extreme Heat",
        "Floods",
        "Water Resilience",
    ]


def test_a_contributor_picks_topics_but_gets_no_button_to_make_one(page, live_server):
    make_organization()
    make_topic("Water Resilience")
    make_topic("Extreme Heat")
    staff("casey", "Contributor")
    log_in(page, live_server.url, "casey")
    page.goto(f"{live_server.url}/admin/press/release/add/")

    open_topics_picker(page).fill("WATER")
    expect(offered(page)).to_have_text(["Water Resilience"])
    expect(page.locator("#add_id_topics")).to_have_count(0)


def test_an_editor_merges_a_misspelt_topic_into_the_right_one(page, live_server):
    right = make_topic("Water Resilience")
    misspelt = make_topic("Water Resiliance")
    make_release("Rain gardens for every district", topics=[misspelt])
    make_release("Flood walls", topics=[right])
    make_release("Green roofs", topics=[right])
    staff("erin", "Editor")
    log_in(page, live_server.url, "erin")
    page.goto(f"{live_server.url}/admin/press/topic/")

    for name in ("Water Resilience", "Water Resiliance"):
        page.get_by_role("row", name=name).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("merge_topics")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_label("Water Resilience (2 releases)")).to_be_checked()
    shoot(page, "topic-merge")
    page.get_by_role("button", name="Merge 2 topics").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Merged “Water Resiliance” into “Water Resilience”"
    )
    assert list(Topic.objects.all()) == [right]
    assert right.tagged_releases.count() == 3
    page.goto(f"{live_server.url}/topics/water-resiliance/")
    assert page.url == f"{live_server.url}/topics/water-resilience/"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Water Resilience")
