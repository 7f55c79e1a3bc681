"""An editor moves an archive in (issue 16): the releases of tests/press/archive.py typed into
the admin in Chromium as an editor would, the byline organization renamed and a speaker's roles
entered between them; then every public page, the person pages and the organization page read
against what was typed."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from press.models import Organization, Person, Role
from tests.browser.test_editorial_flow import choose, log_in
from tests.press import archive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def newsroom():
    """What existed before the archive: the organizations, and two of the people."""
    Organization.objects.create(
        name=archive.OLD_NAME,
        slug=archive.OLD_SLUG,
        kind="network",
        boilerplate=archive.BOILERPLATE,
    )
    for name, slug, kind in archive.ORGANIZATIONS:
        Organization.objects.create(name=name, slug=slug, kind=kind)
    for entry in archive.PEOPLE_SET_UP:
        person = Person.objects.create(name=entry.name, slug=entry.slug)
        for role in entry.roles:
            Role.objects.create(
                person=person,
                organization=Organization.objects.get(name=role.organization),
                title=role.title,
                start_date=role.start,
                end_date=role.end,
            )
    editor = User.objects.create_user("erin", "erin@example.org", "pass-word-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def type_quotes(page, quotes):
    for index, quote in enumerate(quotes):
        page.get_by_role("button", name="Add another Quote").click()
        choose(page, f"id_quotes-{index}-person", quote.person)
        page.locator(f"#id_quotes-{index}-text").fill(quote.text)
        for name, label in zip(("role", "second_role"), quote.roles, strict=False):
            select = page.locator(f"#id_quotes-{index}-{name}")
            expect(select.locator("option", has_text=label)).to_have_count(1)
            select.select_option(label=label)


def type_publication_time(page, release):
    page.locator("#id_published_at_0").fill(f"{release.published:%Y-%m-%d}")
    page.locator("#id_published_at_1").fill(f"{release.published:%H:%M:%S}")


def enter_release(page, base, release):
    """Type `release` into the add form, save it, and press Publish."""
    page.goto(base + "/admin/press/release/add/")
    page.locator("#id_title").fill(release.title)
    page.locator("#id_title").press("Tab")  # the slug is made from the title, then typed over
    page.locator("#id_slug").fill(release.slug)
    page.locator("#id_summary").fill(release.summary)
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type(release.body)
    choose(
        page, "id_byline", archive.NEW_NAME if release in archive.AFTER_RENAME else archive.OLD_NAME
    )
    page.locator("#id_dateline_place").fill(release.place)
    if not release.date_typed_late:
        page.locator("#id_dateline_date").fill(f"{release.date:%Y-%m-%d}")
    page.locator("#id_dateline_time_zone").select_option(release.time_zone)
    page.locator("#id_dateline_override").fill(release.override)
    if not release.date_typed_late:
        type_publication_time(page, release)
    type_quotes(page, release.quotes)
    save_and_continue(page)
    if any(quote.roles for quote in release.quotes):
        expect(page.locator(".attribution-preview")).to_have_count(len(release.quotes))
    if release.date_typed_late:
        # Saved before its date: the quote follows today's roles until the date is typed.
        note = page.locator(".field-attribution .attribution-preview").first
        expect(note).to_contain_text("Printed: Director, Port Amara Water Authority.")
        page.locator("#id_dateline_date").fill(f"{release.date:%Y-%m-%d}")
        page.locator("#id_dateline_date").dispatch_event("change")
        type_publication_time(page, release)
        expect(note).to_contain_text("Printed: Acting Director, Port Amara Water Authority.")
        save_and_continue(page)
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"“{release.title}” is now published")


def rename_the_byline(page, base):
    organization = Organization.objects.get(slug=archive.OLD_SLUG)
    page.goto(f"{base}/admin/press/organization/{organization.pk}/change/")
    page.locator("#id_name").fill(archive.NEW_NAME)
    page.locator("#id_slug").fill(archive.NEW_SLUG)
    page.get_by_role("button", name="Add another former name").click()
    page.locator("#id_former_names-0-name").fill(archive.OLD_NAME)
    page.locator("#id_former_names-0-valid_until").fill(f"{archive.RENAMED_AFTER:%Y-%m-%d}")
    save_and_continue(page)


def enter_okoro(page, base):
    """The acting role typed first without its end, as happens: the admin flags the overlap."""
    okoro = archive.OKORO
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/admin/press/person/add/")
    page.locator("#id_name").fill(okoro.name)
    page.locator("#id_name").press("Tab")
    page.locator("#id_slug").fill(okoro.slug)
    for index, role in enumerate(okoro.roles):
        if index:
            page.get_by_role("button", name="Add another Role").click()
        page.locator(f"#id_roles-{index}-title").fill(role.title)
        choose(page, f"id_roles-{index}-organization", role.organization)
        page.locator(f"#id_roles-{index}-start_date").fill(f"{role.start:%Y-%m-%d}")
    save_and_continue(page)
    warning = page.locator(".messagelist .warning")
    expect(warning).to_have_text(
        "Two roles at Port Amara Water Authority overlap: Acting Director (from 1 September "
        "2019) and Director (from 1 December 2020). If one followed the other (acting, then "
        "permanent), give the first an end date."
    )
    # Defect 10: the roles fit a laptop's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    acting = page.locator(".inline-related", has=page.locator("input[value='Acting Director']"))
    acting.locator("input[name$='-end_date']").fill(f"{okoro.roles[0].end:%Y-%m-%d}")
    save_and_continue(page)
    expect(page.locator(".messagelist .warning")).to_have_count(0)


def figcaptions(page):
    return [
        " ".join(text.split())
        for text in page.locator(
            ".body .quote figcaption, .pull-quotes .quote figcaption"
        ).all_inner_texts()
    ]


def check_release(reader, base, release, later):
    reader.goto(base + release.url)
    expect(reader.get_by_role("heading", level=1)).to_have_text(release.title)
    expect(reader.locator(".byline")).to_have_text(f"Written by {release.byline}")
    expect(reader.locator("#about-heading")).to_have_text(f"About {release.byline}")
    assert figcaptions(reader) == [f"{quote.person}, {quote.printed}" for quote in release.quotes]
    # Defects 1 and 2, fixed on another branch: checked at the end so that the rest is read.
    dateline = " ".join(reader.locator(".dateline").inner_text().split())
    if dateline != release.printed_dateline:
        later.append(f"{release.slug}: dateline {dateline!r}, typed {release.printed_dateline!r}")
    typed = release.published.replace(tzinfo=zoneinfo.ZoneInfo(release.time_zone))
    shown = reader.locator(".date time").get_attribute("datetime")
    if datetime.datetime.fromisoformat(shown) != typed:
        later.append(f"{release.slug}: published {shown}, typed {typed.isoformat()}")


def check_people_and_organization(reader, base):
    reader.goto(f"{base}/people/{archive.OKORO.slug}/")
    roles = [" ".join(text.split()) for text in reader.locator(".roles li").all_inner_texts()]
    assert roles == [
        "Director, Port Amara Water Authority (from 1 December 2020, current)",
        "Acting Director, Port Amara Water Authority (from 1 September 2019 to 30 November 2020)",
    ]
    quoted = [
        (release, quote)
        for release in reversed(archive.RELEASES)
        for quote in release.quotes
        if quote.person == archive.OKORO.name
    ]
    assert [" ".join(t.split()) for t in reader.locator(".quote figcaption").all_inner_texts()] == [
        f"{quote.person}, {quote.printed}, in {release.title}, {release.date.day} "
        f"{release.date:%B %Y}"
        for release, quote in quoted
    ]

    reader.goto(f"{base}/people/{archive.DUARTE.slug}/")
    captions = reader.locator(".quote figcaption").all_inner_texts()
    assert sorted(" ".join(t.split()).split(", in ")[0] for t in captions) == sorted(
        f"{quote.person}, {quote.printed}"
        for release in archive.RELEASES
        for quote in release.quotes
        if quote.person == archive.DUARTE.name
    )

    response = reader.request.get(f"{base}/organizations/{archive.OLD_SLUG}/", max_redirects=0)
    assert (response.status, response.headers["location"]) == (
        301,
        f"/organizations/{archive.NEW_SLUG}/",
    )
    reader.goto(f"{base}/organizations/{archive.OLD_SLUG}/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(archive.NEW_NAME)
    expect(reader.locator(".former-names")).to_have_text(
        f"Formerly {archive.OLD_NAME} (until {archive.RENAMED_AFTER.year})"
    )
    bylined = reader.locator("section[aria-labelledby=bylined-heading] .release-card")
    bylines = {
        card.locator(".card-title").inner_text(): card.locator(".meta").inner_text().split(" · ")[1]
        for card in bylined.all()
    }
    assert bylines == {release.title: release.byline for release in archive.RELEASES}
    reader.set_viewport_size({"width": 390, "height": 844})
    assert reader.evaluate("document.documentElement.scrollWidth") <= 390
    reader.set_viewport_size({"width": 1280, "height": 900})

    reader.goto(f"{base}/search/?q={archive.OLD_NAME.replace(' ', '+')}")
    expect(reader.locator(".search-organizations a")).to_have_text([archive.NEW_NAME])


def test_an_archive_entered_through_the_admin_reads_as_it_was_typed(
    page, browser, live_server, newsroom
):
    base = live_server.url
    log_in(page, base, "erin")
    for release in archive.BEFORE_RENAME:
        enter_release(page, base, release)
    rename_the_byline(page, base)
    enter_okoro(page, base)
    for release in archive.AFTER_RENAME:
        enter_release(page, base, release)

    reader = browser.new_context().new_page()
    later = []
    for release in archive.RELEASES:
        check_release(reader, base, release, later)
    reader.goto(base + archive.RELEASES[2].url)
    check_people_and_organization(reader, base)
    # Defects 1 (a past publication date kept by Publish) and 2 (datelines printed as typed,
    # the structured one in the reference page's style), fixed on the workflow branch.
    assert later == [], "\n".join(later)
