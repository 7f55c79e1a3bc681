"""An editor moving an old release into the newsroom types its original publication date and
presses Publish: the release goes live at once, dated in the past (issue 16, defect 1)."""

import datetime

import pytest
from playwright.sync_api import expect

from press.models import Release
from tests.browser.test_editorial_flow import choose, log_in, staff
from tests.factories import make_organization

pytestmark = pytest.mark.django_db(transaction=True)

# 09:00 in Geneva (summer time) on 3 June 2019.
GENEVA_NINE = datetime.datetime(2019, 6, 3, 7, tzinfo=datetime.UTC)


def enter_archive_release(page, base, title):
    """The add page filled in as an editor would, with the original date and time typed."""
    page.goto(base + "/admin/press/release/add/")
    page.locator("#id_title").fill(title)
    choose(page, "id_byline", "Resilient Cities Network")
    page.locator("#id_dateline_place").fill("GENEVA")
    page.locator("#id_dateline_time_zone").select_option("Europe/Zurich")
    page.locator("#id_published_at_0").fill("2019-06-03")
    page.locator("#id_published_at_1").fill("09:00:00")


@pytest.fixture
def editor(live_server):
    make_organization()
    staff("erin", "Editor")


def test_publish_keeps_the_past_date_typed_and_the_release_is_live_at_once(
    page, live_server, editor
):
    log_in(page, live_server.url, "erin")
    enter_archive_release(page, live_server.url, "Geneva adopts a heat plan")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    # The workflow panel offers the date entered; the editor presses Publish.
    expect(page.locator("#id_publish_at")).to_have_value("2019-06-03T09:00")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(
        "is now published. Mon 03 Jun 2019, 09:00 Europe/Zurich (UTC+02:00) = 07:00 UTC"
    )
    expect(page.locator("#workflow")).to_contain_text("Status: Published.")
    release = Release.objects.get()
    assert (release.state, release.published_at) == ("published", GENEVA_NINE)

    public = page.context.browser.new_context().new_page()
    public.goto(live_server.url + "/releases/2019/06/03/geneva-adopts-a-heat-plan/")
    expect(public.get_by_role("heading", level=1)).to_have_text("Geneva adopts a heat plan")
    expect(public.locator(".dateline")).to_have_text("(GENEVA, June 3, 2019)")
    expect(public.locator(".date time")).to_have_text("Monday, 3 June 2019")


def test_save_and_publish_keeps_the_past_date_typed(page, live_server, editor):
    log_in(page, live_server.url, "erin")
    enter_archive_release(page, live_server.url, "Geneva opens cooling rooms")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "was saved and is now published. Mon 03 Jun 2019, 09:00"
    )
    release = Release.objects.get()
    assert (release.state, release.published_at) == ("published", GENEVA_NINE)
    response = page.request.get(
        live_server.url + "/releases/2019/06/03/geneva-opens-cooling-rooms/"
    )
    assert response.status == 200
