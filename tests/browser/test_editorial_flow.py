"""A release from first draft to public page, as a contributor and an editor use the admin."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from PIL import Image
from playwright.sync_api import expect

from press.models import PreviewDecision, Release
from tests.factories import make_organization, make_person, make_role, make_topic

pytestmark = pytest.mark.django_db(transaction=True)

UTC = datetime.UTC
# 08:58 in Singapore on the morning the release is scheduled for 09:00 there.
START = datetime.datetime(2030, 5, 1, 0, 58, tzinfo=UTC)
URL = "/releases/2030/05/01/singapore-joins-the-heat-pact/"


def staff(username, group):
    user = User.objects.create_user(username, f"{username}@example.org", "pass-word-1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pass-word-1")
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("link", name="Log out").or_(page.locator("#logout-form"))
    ).to_be_visible()


def choose(page, select_id, text):
    """Pick `text` in an admin autocomplete (Select2) field."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").last.fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 110, 160)).save(buffer, "PNG")
    return {"name": "harbour.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


@pytest.fixture
def newsroom(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organization = make_organization()
    mayor = make_person("Sylvester Turner")
    make_role(
        mayor, make_organization("City of Houston"), "Mayor", start_date=datetime.date(2016, 1, 2)
    )
    make_topic("Extreme Heat")
    staff("casey", "Contributor")
    staff("erin", "Editor")
    return organization


def test_a_release_goes_from_draft_to_public_at_its_minute(page, browser, live_server, newsroom):
    with time_machine.travel(START, tick=True) as clock:
        log_in(page, live_server.url, "casey")
        page.goto(live_server.url + "/admin/press/release/add/")
        page.locator("#id_title").fill("Singapore joins the heat pact")
        choose(page, "id_byline", "Resilient Cities Network")
        page.locator("#id_dateline_place").fill("SINGAPORE")
        page.locator("#id_dateline_date").fill("2030-05-01")
        page.locator("#id_dateline_time_zone").select_option("Asia/Singapore")

        editor = page.locator(".ProseMirror[contenteditable=true]")
        editor.click()
        page.keyboard.type("Cities agree to share cooling plans. ")
        page.keyboard.press("Control+b")
        page.keyboard.type("Effective today.")
        page.keyboard.press("Control+b")

        page.get_by_role("button", name="Add another Quote").click()
        choose(page, "id_quotes-0-person", "Sylvester Turner")
        # Not typed into the field: until publication it follows the release's date.
        expect(page.locator(".field-attribution .attribution-preview")).to_have_text(
            "Printed: Mayor, City of Houston. Until publication this follows the roles and the "
            "release date."
        )
        page.locator("#id_quotes-0-text").fill("Heat is the quiet emergency of our cities.")

        page.locator("#id_featured_image").set_input_files(png())
        page.locator("#id_featured_image_alt").fill("Singapore harbour at dawn")
        page.get_by_role("button", name="Save and continue editing").click()
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")

        release = Release.objects.get()
        assert "<strong>Effective today.</strong>" in release.body
        assert release.quotes.get().printed_attribution == "Mayor, City of Houston"
        assert release.author.username == "casey"
        assert not page.get_by_role("button", name="Publish", exact=True).is_visible()
        page.get_by_role("button", name="Submit").click()
        expect(page.locator(".messagelist")).to_contain_text("is now in review")

        page.context.clear_cookies()
        log_in(page, live_server.url, "erin")
        page.goto(f"{live_server.url}/admin/press/release/{release.pk}/change/")
        page.locator("#id_publish_at").fill("2030-05-01T09:00")
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("is now scheduled")
        expect(page.locator("#workflow")).to_contain_text(
            "09:00 Asia/Singapore (UTC+08:00) = 01:00 UTC"
        )

        # A share link for the mayor's office, read without an account.
        page.get_by_label("Share a preview with").fill("Mayor's office")
        page.get_by_role("button", name="Make a preview link").click()
        link = release.preview_links.get()
        reader = browser.new_context().new_page()
        reader.goto(live_server.url + link.get_absolute_url())
        expect(reader.get_by_role("heading", level=1)).to_have_text("Singapore joins the heat pact")
        reader.get_by_label("Your name").fill("Chief of staff")
        reader.get_by_role("button", name="Approve").click()
        expect(reader.locator(".messages")).to_contain_text("Thank you")
        assert PreviewDecision.objects.get().decision == "approve"

        assert page.request.get(live_server.url + URL).status == 404
        assert "Singapore joins" not in page.request.get(live_server.url + "/releases/").text()

        clock.move_to(datetime.datetime(2030, 5, 1, 1, 0, 1, tzinfo=UTC))
        public = browser.new_context().new_page()
        public.goto(live_server.url + URL)
        expect(public.get_by_role("heading", level=1)).to_have_text("Singapore joins the heat pact")
        expect(public.locator(".quote")).to_contain_text("Heat is the quiet emergency")
        expect(public.locator(".quote figcaption")).to_have_text(
            "Sylvester Turner, Mayor, City of Houston"
        )
        assert release.quotes.get().attribution == "Mayor, City of Houston"
        expect(public.locator(".featured-image img")).to_have_attribute(
            "alt", "Singapore harbour at dawn"
        )

        page.reload()
        page.get_by_role("button", name="Revoke").click()
        expect(page.locator(".messagelist")).to_contain_text("no longer works")
        assert reader.request.get(live_server.url + link.get_absolute_url()).status == 404
