"""A press officer builds a regional list on one screen: a segment of journalists in Korea or
Japan on the Water beat, or tagged asia-desk; the count and a sample as the conditions are
picked; saved; then a static list made of it."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from contacts.models import ContactTag, MediaList, Segment
from tests.factories import make_media_contact, make_outlet, make_topic

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def desk():
    water = make_topic("Water")
    asia = ContactTag.objects.create(name="asia-desk", slug="asia-desk")
    kbs = make_outlet("KBS", kind="broadcast", country="KR")
    make_media_contact("Min", "Kim", outlet=kbs, country="KR").beats.add(water)
    make_media_contact("Yui", "Sato", country="JP").beats.add(water)
    make_media_contact("Ji", "Park", country="KR")  # no Water beat
    make_media_contact("Hana", "Lee", country="DE").tags.add(asia)
    make_media_contact("Anna", "Weber", country="DE").beats.add(water)
    officer = User.objects.create_user("pat", "pat@example.org", "pass-word-1", is_staff=True)
    officer.groups.add(Group.objects.get(name="Press officer"))


def log_in(page, base):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill("pass-word-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#logout-form")).to_be_visible()


def test_a_segment_is_built_counted_saved_and_made_into_a_list(page, live_server, desk):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/contacts/segment/add/")
    page.locator("#id_name").fill("Asia water desk")
    editor = page.locator("#segment-editor")
    expect(editor).to_be_visible()
    expect(page.locator(".field-rules")).to_be_hidden()

    # Group 1: country is any of KR, JP, and beat is Water.
    editor.get_by_label("Group 1, condition 1: how").select_option("any_of")
    editor.get_by_label("Group 1, condition 1: Country").select_option(["KR", "JP"])
    count = editor.locator(".segment-count")
    expect(count).to_have_text(
        "3 contact(s) match; 3 can be written to (the others are marked do-not-contact)."
    )
    editor.get_by_role("button", name="Add a condition to group 1").click()
    editor.get_by_label("Group 1, condition 2: what to filter on").select_option("beat")
    editor.get_by_label("Group 1, condition 2: Beat").select_option(label="Water")
    expect(count).to_have_text(
        "2 contact(s) match; 2 can be written to (the others are marked do-not-contact)."
    )
    # Group 2, OR: tagged asia-desk.
    editor.get_by_role("button", name="Add a group of conditions").click()
    editor.get_by_label("Group 2, condition 1: what to filter on").select_option("tag")
    editor.get_by_label("Group 2, condition 1: Tag").select_option(label="asia-desk")
    expect(count).to_have_text(
        "3 contact(s) match; 3 can be written to (the others are marked do-not-contact)."
    )
    sample = editor.locator(".segment-sample tbody tr")
    expect(sample).to_have_count(3)
    expect(sample.nth(0)).to_contain_text("Min Kim")  # in name order: Kim, Lee, Sato
    expect(sample.nth(1)).to_contain_text("Hana Lee")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    segment = Segment.objects.get()
    assert sorted(str(c) for c in segment.contacts()) == ["Hana Lee", "Min Kim", "Yui Sato"]
    # The saved segment opens with its conditions and its count.
    expect(editor.get_by_label("Group 2, condition 1: Tag")).to_have_value(
        str(ContactTag.objects.get().pk)
    )
    expect(count).to_contain_text("3 contact(s) match")

    page.get_by_role("button", name="Make a static list").click()
    expect(page.locator(".messagelist")).to_contain_text("with 3 contact(s)")
    media_list = MediaList.objects.get()
    assert sorted(str(c) for c in media_list.contacts.all()) == [
        "Hana Lee",
        "Min Kim",
        "Yui Sato",
    ]
    assert errors == []


def test_the_editor_passes_axe_with_the_sites_content_security_policy(page, live_server, desk):
    """axe-core's WCAG 2.0/2.1 A and AA rules on the editor, axe served from the site's own
    origin (a routed URL), so the page keeps its Content-Security-Policy."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (or `make test`)")
    page.route("**/axe-for-tests.js", lambda route: route.fulfill(path=AXE))
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/contacts/segment/add/")
    editor = page.locator("#segment-editor")
    editor.get_by_role("button", name="Add a group of conditions").click()
    editor.get_by_label("Group 1, condition 1: Country").select_option("KR")
    expect(editor.locator(".segment-sample tbody tr")).to_have_count(2)
    page.add_script_tag(url=live_server.url + "/axe-for-tests.js")

    violations = page.evaluate(
        """() => axe.run({include: [["#segment-editor"]]}, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
            .then(results => results.violations.map(v => `${v.id}: ${v.help} ${
                v.nodes.map(n => n.target.join(" ")).join(", ")}`))"""
    )

    assert violations == []
