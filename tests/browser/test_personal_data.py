"""A press officer answers a journalist's data protection request in the admin: downloads the
copy of her data from her page, then erases her after reading what will go and what stays."""

import json
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from contacts.models import MediaContact
from tests.factories import make_delivery, make_mailing, make_media_contact, make_release

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
EMAIL = "lois.lane@planet.example"


@pytest.fixture
def lois():
    contact = make_media_contact("Lois", "Lane", email=EMAIL, phone="+1 555 0100")
    make_delivery(make_mailing(make_release("Heat plan")), contact, status="sent")
    officer = User.objects.create_user("pat", "pat@example.org", "pass-word-1", is_staff=True)
    officer.groups.add(Group.objects.get(name="Press officer"))
    return contact


def log_in(page, base):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill("pass-word-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#logout-form")).to_be_visible()


def shoot(page, name, shots):
    """Desktop and phone screenshots of the page, into SHOTS_DIR when set (to look at them)."""
    for width, label in [(1280, "desktop"), (390, "phone")]:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=shots / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_press_officer_exports_then_erases_a_journalist(page, live_server, lois, tmp_path):
    shots = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/contacts/mediacontact/{lois.pk}/change/")
    shoot(page, "contact", shots)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export personal data (JSON)").click()
    assert download.value.suggested_filename == f"contact-{lois.pk}.json"
    data = json.loads(Path(download.value.path()).read_text())
    assert (data["contact"]["email"], data["deliveries"][0]["release"]) == (EMAIL, "Heat plan")

    page.get_by_role("link", name="Erase personal data…").click()
    expect(page.get_by_role("heading", name="Erase personal data")).to_be_visible()
    expect(page.get_by_role("row", name="Deliveries 1")).to_be_visible()
    shoot(page, "erase-confirm", shots)
    if AXE.exists():
        page.route("**/axe-for-tests.js", lambda route: route.fulfill(path=AXE))
        page.add_script_tag(url=live_server.url + "/axe-for-tests.js")
        violations = page.evaluate(
            """() => axe.run({include: [["#content-main"]]}, {runOnly: {type: "tag",
                values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
                .then(results => results.violations.map(v => `${v.id}: ${v.help}`))"""
        )
        assert violations == []
    page.get_by_role("button", name="Erase personal data").click()

    expect(page.locator(".messagelist")).to_contain_text(
        f"Personal data of media contact #{lois.pk} erased"
    )
    shoot(page, "erased", shots)
    erased = MediaContact.objects.get(pk=lois.pk)
    assert (str(erased), erased.email) == ("Erased", f"erased-{lois.pk}@erased.invalid")
    assert errors == []
