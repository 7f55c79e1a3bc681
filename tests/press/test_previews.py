"""Previews of unpublished releases: in the admin for staff, and through a signed, expiring,
revocable link for an approver without an account, who may approve or ask for changes."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from reversion.models import Version

from press.models import PreviewDecision, PreviewLink
from tests.factories import (
    form_data,
    make_draft,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_scheduled,
    make_topic,
    make_user,
)
from tests.markup import section, text

UTC = datetime.UTC


def make_heat_draft():
    """A draft with everything a page shows, beside a live release, and another draft and a
    scheduled release sharing its topic and byline: content a preview could leak."""
    rcn = make_organization("Resilient Cities Network")
    heat = make_topic("Extreme Heat")
    draft = make_draft(
        "Cooling centres open",
        byline=rcn,
        dateline_place="HOUSTON",
        dateline_date=datetime.date(2030, 5, 1),
        body="<p>Eleven cooling centres open on Monday.</p>",
        topics=[heat],
    )
    make_quote(draft, make_person("Sylvester Turner"), "Nobody should face the heat alone.")
    make_release("Trees planted downtown", byline=rcn, topics=[heat])
    make_draft("Secret flood plan", byline=rcn, topics=[heat])
    make_scheduled("Embargoed storm plan", byline=rcn, topics=[heat])
    return draft


def article(page):
    """The release as a reader sees it, without its publication date and the structured data
    naming the page's own address."""
    found = re.search(r'<article class="release primary"[^>]*>(.*?)</article>', page, re.S)
    return re.sub(r'<p class="date">.*?</p>|<script\b.*?</script>', "", found.group(1), flags=re.S)


def preview_link_of(url):
    """The link a /preview/<token>/ address opens; tokens carry their signing time, so the same
    link has many addresses."""
    token = re.fullmatch(r"(?:http://testserver)?/preview/([^/]+)/", url).group(1)
    return PreviewLink.from_token(token)


def make_link(client, release, note="Mayor's office", days=7):
    url = f"/admin/press/release/{release.pk}/preview-links/"
    assert client.post(url, {"note": note, "days": days}).status_code == 302
    return PreviewLink.objects.get(release=release, note=note)


def hidden_fields(page):
    """The hidden fields of the approver's form, posted back as a browser would."""
    form = re.search(r'<form method="post" class="decision-form">(.*?)</form>', page, re.S)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))


def save_in_admin(client, release, **changes):
    url = f"/admin/press/release/{release.pk}/change/"
    assert (
        client.post(url, form_data(client.get(url).content.decode(), **changes)).status_code == 302
    )


@pytest.mark.django_db
def test_the_admin_preview_shows_the_draft_as_the_public_page_will(client):
    draft = make_heat_draft()
    editor = make_user("anna", "Editor")
    client.force_login(editor)
    preview = client.get(f"/admin/press/release/{draft.pk}/preview/").content.decode()
    draft.move("publish", editor)
    client.logout()
    public = client.get("/releases/2030/05/01/cooling-centres-open/").content.decode()
    for heading in ["quotes-heading", "topics-heading"]:
        assert section(preview, heading) == section(public, heading)
    for block in [
        r"<h1[^>]*>.*?</h1>",
        r'<div class="body">.*?</div>',
        r'<p class="dateline">.*?</p>',
    ]:
        assert re.findall(block, preview, re.S) == re.findall(block, public, re.S)
    assert text(re.search(r"<h1[^>]*>(.*?)</h1>", preview).group(1)) == "Cooling centres open"
    assert "Nobody should face the heat alone." in section(preview, "quotes-heading")


@pytest.mark.django_db
def test_the_admin_preview_shows_the_about_text_that_publication_will_print(client):
    draft = make_heat_draft()
    editor = make_user("anna", "Editor")
    client.force_login(editor)
    preview = client.get(f"/admin/press/release/{draft.pk}/preview/").content.decode()
    draft.move("publish", editor)
    client.logout()
    public = client.get("/releases/2030/05/01/cooling-centres-open/").content.decode()
    assert article(preview) == article(public)


@pytest.mark.django_db
def test_the_admin_preview_is_marked_noindex_and_never_cached(client):
    draft = make_heat_draft()
    client.force_login(make_user("anna", "Editor"))
    response = client.get(f"/admin/press/release/{draft.pk}/preview/")
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert {"private", "no-store"} <= set(re.split(r",\s*", response["Cache-Control"]))
    assert "Preview: not public" in text(page)


@pytest.mark.django_db
def test_the_admin_preview_sends_a_visitor_to_the_login_page(client):
    draft = make_heat_draft()
    response = client.get(f"/admin/press/release/{draft.pk}/preview/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/admin/login/?next=/admin/press/release/{draft.pk}/preview/",
    )


@pytest.mark.django_db
def test_the_public_page_of_a_live_release_is_not_marked_noindex(client):
    make_release("Trees planted downtown", published_at=datetime.datetime(2024, 5, 1, tzinfo=UTC))
    response = client.get("/releases/2024/05/01/trees-planted-downtown/")
    assert 'name="robots"' not in response.content.decode()
    assert response.has_header("X-Robots-Tag") is False


@pytest.mark.django_db
def test_a_preview_link_shows_the_draft_to_someone_logged_out(client):
    draft = make_heat_draft()
    client.force_login(make_user("anna", "Editor"))
    link = make_link(client, draft)
    client.logout()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert text(re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)) == "Cooling centres open"
    assert "Eleven cooling centres open on Monday." in page
    assert '<meta name="robots" content="noindex' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert {"private", "no-store"} <= set(re.split(r",\s*", response["Cache-Control"]))


@pytest.mark.django_db
def test_making_a_link_tells_the_editor_the_address_to_share(client):
    draft = make_heat_draft()
    with time_machine.travel(datetime.datetime(2030, 4, 28, 9, tzinfo=UTC), tick=False):
        client.force_login(make_user("anna", "Editor"))
        url = f"/admin/press/release/{draft.pk}/preview-links/"
        response = client.post(url, {"note": "Mayor's office", "days": 10}, follow=True)
    link = PreviewLink.objects.get()
    [message] = [str(message) for message in response.context["messages"]]
    assert message.startswith("Share this link: http://testserver/preview/")
    assert preview_link_of(message.removeprefix("Share this link: ")) == link
    assert (link.note, link.release, link.created_at, link.expires_at) == (
        "Mayor's office",
        draft,
        datetime.datetime(2030, 4, 28, 9, tzinfo=UTC),
        datetime.datetime(2030, 5, 8, 9, tzinfo=UTC),
    )


@pytest.mark.django_db
def test_a_preview_link_reveals_no_other_unpublished_release(client):
    draft = make_heat_draft()
    client.force_login(make_user("anna", "Editor"))
    link = make_link(client, draft)
    client.logout()
    page = client.get(link.get_absolute_url()).content.decode()
    assert "Trees planted downtown" in page
    assert [title for title in ["Secret flood plan", "Embargoed storm plan"] if title in page] == []


@pytest.mark.django_db
def test_an_approval_is_recorded_against_the_latest_saved_version(client):
    draft = make_heat_draft()
    client.force_login(make_user("anna", "Editor"))
    save_in_admin(client, draft, subtitle="First version")
    save_in_admin(client, draft, subtitle="Second version")
    link = make_link(client, draft)
    client.logout()
    page = client.get(link.get_absolute_url()).content.decode()
    answer = {**hidden_fields(page), "decision": "approve", "name": "Mayor Tan"}
    response = client.post(link.get_absolute_url(), answer)
    assert (response.status_code, response["Location"]) == (302, link.get_absolute_url())
    latest = Version.objects.get_for_object(draft).first().revision
    assert [(d.link, d.decision, d.name, d.revision) for d in PreviewDecision.objects.all()] == [
        (link, "approve", "Mayor Tan", latest)
    ]


@pytest.mark.django_db
def test_an_answer_is_recorded_against_the_version_the_approver_read(client):
    draft = make_heat_draft()
    editor_client = Client()
    editor_client.force_login(make_user("anna", "Editor"))
    save_in_admin(editor_client, draft, subtitle="The version the mayor reads")
    link = make_link(editor_client, draft)
    read = Version.objects.get_for_object(draft).first().revision
    page = client.get(link.get_absolute_url()).content.decode()
    save_in_admin(editor_client, draft, subtitle="A version the mayor never saw")
    answer = {**hidden_fields(page), "decision": "approve", "name": "Mayor Tan"}
    client.post(link.get_absolute_url(), answer)
    assert PreviewDecision.objects.get().revision == read


@pytest.mark.django_db
def test_asking_for_changes_without_a_comment_is_refused(client):
    link = PreviewLink.objects.create(release=make_heat_draft())
    response = client.post(link.get_absolute_url(), {"decision": "request_changes", "name": "X"})
    assert response.status_code == 200
    errors = re.findall(r'<span class="error">(.*?)</span>', response.content.decode())
    assert errors == ["Please say what should change."]
    assert list(PreviewDecision.objects.all()) == []


@pytest.mark.django_db
def test_asking_for_changes_with_a_comment_is_recorded(client):
    link = PreviewLink.objects.create(release=make_heat_draft())
    data = {"decision": "request_changes", "name": "Mayor Tan", "comment": "Add the opening hours."}
    assert client.post(link.get_absolute_url(), data).status_code == 302
    assert [(d.decision, d.name, d.comment) for d in PreviewDecision.objects.all()] == [
        ("request_changes", "Mayor Tan", "Add the opening hours.")
    ]


@pytest.mark.django_db
def test_the_answers_are_shown_on_the_admin_change_page(client):
    draft = make_heat_draft()
    with time_machine.travel(datetime.datetime(2030, 4, 28, 9, tzinfo=UTC), tick=False) as clock:
        link = PreviewLink.objects.create(release=draft, note="Mayor's office")
        client.post(link.get_absolute_url(), {"decision": "approve", "name": "Mayor Tan"})
        clock.move_to(datetime.datetime(2030, 4, 29, 14, 30, tzinfo=UTC))
        data = {"decision": "request_changes", "comment": "Add the opening hours."}
        client.post(link.get_absolute_url(), data)
        client.force_login(make_user("anna", "Editor"))
        page = client.get(f"/admin/press/release/{draft.pk}/change/").content.decode()
    table = re.search(r"<h3>Preview links</h3>\s*<table>(.*?)</table>", page, re.S).group(1)
    row = re.findall(r"<td>(.*?)</td>", table.split("</thead>")[1], re.S)
    assert preview_link_of(text(row[1])) == link
    assert [text(cell) for cell in row[:4]] == [
        "Mayor's office",
        text(row[1]),
        "2030-05-05 09:00",
        "Changes requested by an approver on 2030-04-29 14:30: Add the opening hours. "
        "Approved by Mayor Tan on 2030-04-28 09:00",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("position", [0, 5, -1])
def test_a_tampered_token_is_404(client, position):
    link = PreviewLink.objects.create(release=make_heat_draft())
    token = link.token
    changed = "A" if token[position] != "A" else "B"
    tampered = token[:position] + changed + (token[position + 1 :] if position != -1 else "")
    assert client.get(f"/preview/{link.token}/").status_code == 200
    assert client.get(f"/preview/{tampered}/").status_code == 404


@pytest.mark.django_db
def test_a_revoked_link_is_404(client):
    draft = make_heat_draft()
    client.force_login(make_user("anna", "Editor"))
    link = make_link(client, draft)
    response = client.post(f"/admin/press/release/preview-links/{link.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 404
    answer = {"decision": "approve", "name": "Mayor Tan"}
    assert client.post(link.get_absolute_url(), answer).status_code == 404
    assert list(PreviewDecision.objects.all()) == []


@pytest.mark.django_db
def test_a_link_works_for_seven_days_and_then_is_404(client):
    with time_machine.travel(datetime.datetime(2030, 4, 28, 9, tzinfo=UTC), tick=False):
        link = PreviewLink.objects.create(release=make_heat_draft())
    with time_machine.travel(datetime.datetime(2030, 5, 5, 8, 59, tzinfo=UTC), tick=False):
        assert client.get(link.get_absolute_url()).status_code == 200
    with time_machine.travel(datetime.datetime(2030, 5, 6, 9, tzinfo=UTC), tick=False):
        assert client.get(link.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_link_made_in_the_admin_for_seven_days_is_404_eight_days_later(client):
    with time_machine.travel(datetime.datetime(2030, 4, 28, 9, tzinfo=UTC), tick=False):
        draft = make_heat_draft()
        client.force_login(make_user("anna", "Editor"))
        link = make_link(client, draft, days=7)
        client.logout()
    with time_machine.travel(datetime.datetime(2030, 5, 6, 9, tzinfo=UTC), tick=False):
        assert client.get(link.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_making_and_revoking_links_only_answer_posts(client):
    draft = make_heat_draft()
    link = PreviewLink.objects.create(release=draft)
    client.force_login(make_user("anna", "Editor"))
    assert client.get(f"/admin/press/release/{draft.pk}/preview-links/").status_code == 405
    assert client.get(f"/admin/press/release/preview-links/{link.pk}/revoke/").status_code == 405
    assert PreviewLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.django_db
def test_a_link_revoked_by_the_model_stops_working_and_keeps_its_answers(client):
    link = PreviewLink.objects.create(release=make_heat_draft())
    client.post(link.get_absolute_url(), {"decision": "approve", "name": "Mayor Tan"})
    link.revoke()
    assert client.get(link.get_absolute_url()).status_code == 404
    assert [decision.name for decision in link.decisions.all()] == ["Mayor Tan"]


@pytest.mark.django_db
def test_a_release_prints_its_own_boilerplate_or_until_published_its_bylines():
    rcn = make_organization("Resilient Cities Network", boilerplate="We help 100 cities.")
    draft = make_draft("Cooling centres open", byline=rcn)
    assert (draft.boilerplate, draft.printed_boilerplate) == ("", "We help 100 cities.")
    published = make_release("Heat plan", byline=rcn, boilerplate="We helped 90 cities.")
    assert published.printed_boilerplate == "We helped 90 cities."
    unannounced = make_release("Water plan", byline=make_organization("Quiet", boilerplate=""))
    unannounced.byline.boilerplate = "Added after publication."
    assert unannounced.printed_boilerplate == ""
