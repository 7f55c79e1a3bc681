"""An editor translates a release from its admin page: a Korean draft in the same group, with
the quotes and their speakers copied, linked from the original's page and back."""

import pytest
from playwright.sync_api import expect

from press.models import Release
from tests.browser.test_editorial_flow import log_in, staff
from tests.factories import make_organization, make_person, make_quote, make_release, make_role

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_translates_a_release_into_korean(page, live_server):
    staff("erin", "Editor")
    seoul = make_organization("Seoul Metropolitan Government")
    mayor = make_person("Oh Se-hoon")
    make_role(mayor, seoul, "Mayor")
    english = make_release("Seoul opens its first heat shelters", byline=seoul)
    make_quote(english, mayor, "No one should face the heat alone.")
    log_in(page, live_server.url, "erin")
    page.goto(f"{live_server.url}/admin/press/release/{english.pk}/change/")
    languages = page.locator("#languages")
    expect(languages).to_contain_text("Written in English. No translations yet.")

    languages.get_by_label("Translate into").select_option(label="한국어")
    languages.get_by_role("button", name="Translate").click()

    expect(page.locator(".messagelist .success")).to_contain_text("A 한국어 draft of")
    korean = Release.objects.get(language="ko")
    assert page.url.endswith(f"/admin/press/release/{korean.pk}/change/")
    expect(page.locator("#id_slug")).to_have_value("seoul-opens-its-first-heat-shelters-ko")
    expect(page.locator("textarea[name='quotes-0-text']")).to_have_value(
        "No one should face the heat alone."
    )
    expect(page.locator("#languages")).to_contain_text("Written in 한국어. Translations: English")
    page.locator("#languages").get_by_role("link", name="English").click()
    expect(page.locator("#languages")).to_contain_text("Translations: 한국어 (draft)")
    expect(page.locator("#languages")).not_to_contain_text("한국어.")  # no longer missing
