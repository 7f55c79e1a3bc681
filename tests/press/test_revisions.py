"""Versions of a release: every admin save is kept, compared and can be restored; a save never
silently overwrites a colleague's; corrections are shown to readers; old addresses keep working.
"""

import datetime
import re
from urllib.parse import urljoin

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from press.models import Release, SlugRedirect, Topic
from tests.factories import (
    form_data,
    make_draft,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_user,
)
from tests.markup import text

UTC = datetime.UTC


def add_release(client):
    """A release made through the add page with one quote and two topics, as an editor would."""
    page = client.get("/admin/press/release/add/").content.decode()
    data = form_data(
        page,
        title="Old title",
        slug="old-title",
        byline=make_organization().pk,
        topics=[topic("Extreme Heat").pk, topic("Water").pk],
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-person": make_person("Lauren Sorkin").pk,
            "quotes-0-text": "Old quote.",
            "quotes-0-order": "0",
        },
    )
    assert client.post("/admin/press/release/add/", data).status_code == 302
    return Release.objects.get(title="Old title")


def topic(name):
    return Topic.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-")}
    )[0]


def edit(client, release, **changes):
    url = f"/admin/press/release/{release.pk}/change/"
    return client.post(url, form_data(client.get(url).content.decode(), **changes))


def edit_everything(client, release):
    changes = {"title": "New title", "topics": [topic("Water").pk], "quotes-0-text": "New quote."}
    assert edit(client, release, **changes).status_code == 302


def saved_objects(version):
    return sorted((v.content_type.model, v.object_repr) for v in version.revision.version_set.all())


@pytest.mark.django_db
def test_each_admin_save_keeps_a_version_with_the_quotes_and_topics(client):
    client.force_login(make_user("anna", "Editor"))
    release = add_release(client)
    edit_everything(client, release)
    newest, oldest = Version.objects.get_for_object(release)
    assert saved_objects(oldest) == [
        ("quote", "Lauren Sorkin: Old quote."),
        ("release", "Old title"),
        ("taggedrelease", "Old title / Extreme Heat"),
        ("taggedrelease", "Old title / Water"),
    ]
    assert saved_objects(newest) == [
        ("quote", "Lauren Sorkin: New quote."),
        ("release", "New title"),
        ("taggedrelease", "New title / Water"),
    ]


def history_rows(page):
    table = re.search(r'<table id="change-history">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], re.S)
    return [re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows]


@pytest.mark.django_db
def test_the_history_page_lists_who_saved_each_version(client):
    client.force_login(make_user("anna", "Editor", first_name="Anna", last_name="Lim"))
    release = add_release(client)
    client.force_login(make_user("ben", "Editor", first_name="Ben", last_name="Ong"))
    edit_everything(client, release)
    page = client.get(f"/admin/press/release/{release.pk}/history/").content.decode()
    assert [[text(cell) for cell in row] for row in history_rows(page)] == [
        [
            "ben (Ben Ong)",
            "Changed Title and Topics. Changed Text for quote “Lauren Sorkin: New quote.”.",
        ],
        ["anna (Anna Lim)", "Added. Added quote “Lauren Sorkin: Old quote.”."],
    ]


def compare_newest_two(client, release):
    """The compare page of the two newest versions, as ticked on the history page."""
    history_url = f"/admin/press/release/{release.pk}/history/"
    page = client.get(history_url).content.decode()
    action = re.search(r'<form method="GET" action="([^"]+)">', page).group(1)
    # The two newest versions are ticked for comparison.
    chosen = dict(re.findall(r'name="(version_id[12])" value="(\d+)"[^>]*checked', page))
    assert set(chosen) == {"version_id1", "version_id2"}
    response = client.get(urljoin(history_url, action), chosen)
    assert response.status_code == 200
    return response.content.decode()


def quote_changes(page):
    """Each quote on a compare page: (heading, text, attribution), the text as shown and
    the changes marked as [-removed-] and {+added+}."""
    blocks = re.findall(r'<div class="quote-change[^"]*">(.*?)</div>', page, re.S)
    return [
        tuple(
            marked(re.search(pattern, block, re.S).group(1))
            for pattern in (
                r"<h4>(.*?)</h4>",
                r'<dd class="quote-text">(.*?)</dd>',
                r'<dd class="quote-attribution">(.*?)</dd>',
            )
        )
        for block in blocks
    ]


def marked(html):
    html = re.sub(r"<del>(.*?)</del>", r"[-\1-]", html, flags=re.S)
    html = re.sub(r"<ins>(.*?)</ins>", r"{+\1+}", html, flags=re.S)
    return text(html)


@pytest.mark.django_db
def test_the_compare_view_shows_what_changed_between_two_versions(client):
    client.force_login(make_user("anna", "Editor"))
    release = add_release(client)
    edit_everything(client, release)
    page = compare_newest_two(client, release)
    assert "<del>- Old title</del>\n<ins>+ New title</ins>" in page
    assert quote_changes(page) == [
        ("Changed: Lauren Sorkin", "[-Old-]{+New+} quote.", "—"),
    ]


LONG_QUOTE = (
    "Extreme heat is the deadliest of the hazards our cities face, and the one we are least "
    "prepared for: today forty cities agree to share what keeps their people cool."
)


@pytest.mark.django_db
def test_the_compare_view_shows_each_quote_in_full_with_the_change_marked(client):
    """A quote longer than 60 characters changed near its end, its attribution changed, a
    quote added and one removed: all shown in full."""
    client.force_login(make_user("anna", "Editor"))
    release = make_may_first_release()
    mayor, director = make_person("Sylvester Turner"), make_person("Eugene Zapata")
    make_quote(release, mayor, LONG_QUOTE, attribution="Mayor of Houston", order=0)
    make_quote(release, director, "We will be ready.", attribution="Director", order=1)
    edit(client, release, subtitle="Saved once")
    page = client.get(f"/admin/press/release/{release.pk}/change/").content.decode()
    data = form_data(
        page,
        **{
            "quotes-0-text": LONG_QUOTE.replace("forty cities", "forty-one cities"),
            "quotes-0-attribution": "Mayor of the City of Houston",
            "quotes-1-DELETE": "on",
            "quotes-TOTAL_FORMS": "3",
            "quotes-2-person": str(director.pk),
            "quotes-2-text": "Cooling centres open at nine.",
            "quotes-2-attribution": "Director of Resilience",
            "quotes-2-order": "2",
        },
    )
    url = f"/admin/press/release/{release.pk}/change/"
    assert client.post(url, data).status_code == 302
    changes = quote_changes(compare_newest_two(client, release))
    assert changes == [
        (
            "Changed: Sylvester Turner",
            LONG_QUOTE.replace("forty cities", "forty{+-one+} cities"),
            "Mayor of {+the City of +}Houston",
        ),
        ("Removed: Eugene Zapata", "[-We will be ready.-]", "[-Director-]"),
        (
            "Added: Eugene Zapata",
            "{+Cooling centres open at nine.+}",
            "{+Director of Resilience+}",
        ),
    ]


@pytest.mark.django_db
def test_reverting_to_a_version_restores_its_title_quotes_and_topics(client):
    client.force_login(make_user("anna", "Editor"))
    release = add_release(client)
    edit_everything(client, release)
    oldest = Version.objects.get_for_object(release).last()
    url = f"/admin/press/release/{release.pk}/history/{oldest.pk}/"
    page = client.get(url).content.decode()
    assert client.post(url, form_data(page)).status_code == 302
    release.refresh_from_db()
    assert release.title == "Old title"
    assert [quote.text for quote in release.quotes.all()] == ["Old quote."]
    assert sorted(release.topics.names()) == ["Extreme Heat", "Water"]
    assert Version.objects.get_for_object(release).count() == 3


@pytest.mark.django_db
def test_a_save_over_a_colleagues_newer_save_is_refused_and_can_then_be_confirmed(client):
    with time_machine.travel(datetime.datetime(2030, 5, 1, 9, tzinfo=UTC), tick=False) as clock:
        client.force_login(make_user("anna", "Editor", first_name="Anna", last_name="Lim"))
        ben_client = Client()
        ben_client.force_login(make_user("ben", "Editor"))
        release = make_release("Cooling centres open")
        url = f"/admin/press/release/{release.pk}/change/"
        annas_form = form_data(client.get(url).content.decode(), title="Title typed by Anna")
        bens_form = form_data(ben_client.get(url).content.decode(), title="Title typed by Ben")
        assert annas_form["loaded_version"] == bens_form["loaded_version"] != ""
        clock.move_to(datetime.datetime(2030, 5, 1, 9, 1, tzinfo=UTC))
        assert client.post(url, annas_form).status_code == 302
        clock.move_to(datetime.datetime(2030, 5, 1, 9, 2, tzinfo=UTC))
        refused = ben_client.post(url, bens_form)
        assert refused.status_code == 200
        assert list(refused.context["adminform"].form.non_field_errors()) == [
            "Anna Lim saved this release at Wed 01 May 2030, 09:01 UTC while you were editing. "
            "Nothing of yours is lost: check their changes (History, in a new tab), then save "
            "again to replace them with yours."
        ]
        page = refused.content.decode()
        assert "Anna Lim saved this release at Wed 01 May 2030, 09:01 UTC" in page
        assert 'value="Title typed by Ben"' in page
        assert Release.objects.get(pk=release.pk).title == "Title typed by Anna"
        assert ben_client.post(url, form_data(page)).status_code == 302
    assert Release.objects.get(pk=release.pk).title == "Title typed by Ben"


@pytest.mark.django_db
def test_a_save_from_a_form_opened_before_a_workflow_step_is_refused(client):
    editor = make_user("anna", "Editor", first_name="Anna", last_name="Lim")
    client.force_login(editor)
    release = make_draft("Cooling centres open")
    url = f"/admin/press/release/{release.pk}/change/"
    stale = form_data(client.get(url).content.decode(), title="Typed after the step")
    client.post(f"/admin/press/release/{release.pk}/move/submit/")
    assert client.post(url, stale).status_code == 200
    assert Release.objects.get(pk=release.pk).title == "Cooling centres open"


def correction(page):
    match = re.search(r'<p class="correction">(.*?)</p>', page, re.S)
    return text(match.group(1)) if match else None


@pytest.mark.django_db
def test_a_correction_is_shown_to_readers_with_its_date_and_note(client):
    release = make_release(
        "Cooling centres open", published_at=datetime.datetime(2030, 5, 1, 9, tzinfo=UTC)
    )
    public_url = "/releases/2030/05/01/cooling-centres-open/"
    with time_machine.travel(datetime.datetime(2030, 5, 2, 10, tzinfo=UTC), tick=False):
        assert correction(client.get(public_url).content.decode()) is None
        client.force_login(make_user("anna", "Editor"))
        note = "The address of the Acres Homes centre was wrong."
        changes = {"body": "<p>At 8585 W Montgomery Rd.</p>"}
        response = edit(client, release, is_correction="on", correction_note=note, **changes)
        assert response.status_code == 302
        client.logout()
        page = client.get(public_url).content.decode()
    assert correction(page) == f"Updated 2 May 2030: {note}"
    release.refresh_from_db()
    assert release.corrected_at == datetime.datetime(2030, 5, 2, 10, tzinfo=UTC)
    assert release.modified_at == release.corrected_at
    assert [(step.action, step.comment) for step in release.transitions.all()] == [
        ("correct", note)
    ]


@pytest.mark.django_db
def test_a_correction_without_a_note_is_refused(client):
    release = make_release("Cooling centres open")
    client.force_login(make_user("anna", "Editor"))
    response = edit(client, release, is_correction="on", correction_note="", title="Changed")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["correction_note"] == [
        "Say in a few words what was corrected."
    ]
    release.refresh_from_db()
    assert (release.title, release.corrected_at) == ("Cooling centres open", None)


@pytest.mark.django_db
def test_an_edit_that_is_not_a_correction_leaves_no_correction_notice(client):
    release = make_release("Cooling centres open")
    client.force_login(make_user("anna", "Editor"))
    assert edit(client, release, subtitle="Eleven centres in all").status_code == 302
    release.refresh_from_db()
    assert (release.corrected_at, release.modified_at) == (None, release.published_at)
    client.logout()
    assert correction(client.get(release.get_absolute_url()).content.decode()) is None


def make_may_first_release(title="Cooling centres open", **fields):
    fields.setdefault("published_at", datetime.datetime(2024, 5, 1, 9, tzinfo=UTC))
    return make_release(title, **fields)


@pytest.mark.django_db
def test_a_published_release_keeps_answering_at_its_old_address(client):
    release = make_may_first_release(slug="cooling-centres")
    client.force_login(make_user("anna", "Editor"))
    assert edit(client, release, slug="cooling-centres-open").status_code == 302
    client.logout()
    response = client.get("/releases/2024/05/01/cooling-centres/")
    assert (response.status_code, response["Location"]) == (
        301,
        "/releases/2024/05/01/cooling-centres-open/",
    )
    assert client.get("/releases/2024/05/01/cooling-centres-open/").status_code == 200


@pytest.mark.django_db
def test_a_published_release_moved_to_another_day_keeps_its_old_address(client):
    release = make_may_first_release()
    client.force_login(make_user("anna", "Editor"))
    assert edit(client, release, dateline_date="2024-05-02").status_code == 302
    client.logout()
    response = client.get("/releases/2024/05/01/cooling-centres-open/")
    assert (response.status_code, response["Location"]) == (
        301,
        "/releases/2024/05/02/cooling-centres-open/",
    )


@pytest.mark.django_db
def test_taking_the_old_slug_back_serves_the_page_not_a_redirect_loop(client):
    release = make_may_first_release()
    client.force_login(make_user("anna", "Editor"))
    edit(client, release, slug="renamed")
    edit(client, release, slug="cooling-centres-open")
    client.logout()
    assert list(SlugRedirect.objects.all()) == [SlugRedirect.objects.get(slug="renamed")]
    assert client.get("/releases/2024/05/01/cooling-centres-open/").status_code == 200


@pytest.mark.django_db
def test_renaming_a_draft_leaves_no_old_address(client):
    release = make_draft("Cooling centres open", dateline_date=datetime.date(2024, 5, 1))
    editor = make_user("anna", "Editor")
    client.force_login(editor)
    assert edit(client, release, slug="final-slug").status_code == 302
    release.refresh_from_db()
    release.move("publish", editor)
    client.logout()
    assert list(SlugRedirect.objects.all()) == []
    assert client.get("/releases/2024/05/01/cooling-centres-open/").status_code == 404
    assert client.get("/releases/2024/05/01/final-slug/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["unpublish", "archive"])
def test_an_old_address_never_leads_to_a_release_that_is_not_live(client, step):
    release = make_may_first_release(slug="cooling-centres")
    editor = make_user("anna", "Editor")
    client.force_login(editor)
    edit(client, release, slug="cooling-centres-open")
    release.refresh_from_db()
    release.move(step, editor)
    client.logout()
    assert client.get("/releases/2024/05/01/cooling-centres/").status_code == 404


@pytest.mark.django_db
def test_an_old_address_of_a_scheduled_or_expired_release_is_404(client):
    scheduled = make_release(
        "Heat summit opens", published_at=datetime.datetime(2099, 5, 1, 9, tzinfo=UTC)
    )
    expired = make_may_first_release(slug="cooling-centres")
    client.force_login(make_user("anna", "Editor"))
    edit(client, scheduled, slug="heat-summit")
    edit(client, expired, slug="cooling-centres-open")
    Release.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    client.logout()
    assert SlugRedirect.objects.count() == 2
    assert client.get("/releases/2099/05/01/heat-summit-opens/").status_code == 404
    assert client.get("/releases/2024/05/01/cooling-centres/").status_code == 404


def revert(client, release, version):
    url = f"/admin/press/release/{release.pk}/history/{version.pk}/"
    return client.post(url, form_data(client.get(url).content.decode()))


@pytest.mark.django_db
def test_reverting_the_text_of_a_published_release_leaves_it_published(client):
    editor = make_user("anna", "Editor")
    client.force_login(editor)
    release = add_release(client)
    release.move("publish", editor)
    edit(client, release, title="New title")
    draft_version = Version.objects.get_for_object(release).last()
    assert revert(client, release, draft_version).status_code == 302
    release.refresh_from_db()
    assert (release.title, release.status) == ("Old title", Release.Status.PUBLISHED)
    assert client.get(release.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_reverting_to_an_older_slug_keeps_the_newer_address_working(client):
    release = make_may_first_release(slug="cooling-centres")
    client.force_login(make_user("anna", "Editor"))
    edit(client, release, subtitle="Eleven centres")
    edit(client, release, slug="cooling-centres-open")
    older = Version.objects.get_for_object(release).last()
    assert revert(client, release, older).status_code == 302
    client.logout()
    assert client.get("/releases/2024/05/01/cooling-centres/").status_code == 200
    response = client.get("/releases/2024/05/01/cooling-centres-open/")
    assert (response.status_code, response.get("Location")) == (
        301,
        "/releases/2024/05/01/cooling-centres/",
    )


@pytest.mark.django_db
def test_a_correction_made_outside_the_admin_is_recorded_as_in_the_admin():
    """Release.correct() is the correction step itself: the admin only calls it."""
    release = make_release("Cooling centres open")
    editor = make_user("anna", "Editor")
    release.title = "Cooling centres open today"
    when = datetime.datetime(2030, 5, 2, 10, tzinfo=UTC)
    with time_machine.travel(when, tick=False):
        release.correct(editor, "The opening day was wrong.")
    release.refresh_from_db()
    assert (release.title, release.corrected_at) == ("Cooling centres open today", when)
    assert [(c.created_at, c.note, c.user) for c in release.corrections.all()] == [
        (when, "The opening day was wrong.", editor)
    ]
    assert release.last_edited_by == editor
    assert [
        (step.action, step.from_status, step.to_status, step.user, step.comment)
        for step in release.transitions.all()
    ] == [("correct", "published", "published", editor, "The opening day was wrong.")]


@pytest.mark.django_db
def test_a_revert_saved_outside_the_admin_keeps_where_the_release_stands_and_its_address(client):
    """The revert rule lives on the model: reversion writes back the older version whole, and
    Release.save_reverted() keeps the status, times and author the release has now and the
    address it had."""
    editor = make_user("anna", "Editor")
    client.force_login(editor)
    release = make_draft("Cooling centres open", slug="cooling-centres")
    edit(client, release, subtitle="Eleven centres")
    as_a_draft = Version.objects.get_for_object(release).get()
    release.refresh_from_db()
    release.move("publish", editor)
    edit(client, release, slug="cooling-centres-open")
    standing = Release.objects.standing(release.pk)
    as_a_draft.revision.revert()
    reverted = Release.objects.get(pk=release.pk)
    assert (reverted.slug, reverted.status) == ("cooling-centres", Release.Status.DRAFT)
    reverted.save_reverted(standing, editor)
    reverted.refresh_from_db()
    assert (reverted.slug, reverted.subtitle, reverted.status, reverted.published_at) == (
        "cooling-centres",
        "Eleven centres",
        Release.Status.PUBLISHED,
        standing["published_at"],
    )
    assert list(SlugRedirect.objects.values_list("slug", flat=True)) == ["cooling-centres-open"]


@pytest.mark.django_db
def test_reverting_a_published_release_may_also_be_recorded_as_a_correction(client):
    editor = make_user("anna", "Editor")
    client.force_login(editor)
    release = make_may_first_release()
    edit(client, release, subtitle="Eleven centres")
    older = Version.objects.get_for_object(release).last()
    edit(client, release, subtitle="Twelve centres")
    url = f"/admin/press/release/{release.pk}/history/{older.pk}/"
    note = "There are eleven centres, not twelve."
    data = form_data(client.get(url).content.decode(), is_correction="on", correction_note=note)
    assert client.post(url, data).status_code == 302
    release.refresh_from_db()
    assert (release.subtitle, release.status) == ("Eleven centres", Release.Status.PUBLISHED)
    assert [c.note for c in release.corrections.all()] == [note]
    assert release.corrected_at is not None
    assert [(step.action, step.comment) for step in release.transitions.all()] == [
        ("correct", note)
    ]


@pytest.mark.django_db
def test_reverting_to_a_version_from_before_a_topic_merge_files_it_under_the_kept_topic(client):
    client.force_login(make_user("anna", "Editor"))
    release = add_release(client)  # Extreme Heat, Water
    edit_everything(client, release)  # Water
    kept = Topic.objects.create(name="Heat", slug="heat")
    kept.merge([Topic.objects.get(name="Extreme Heat")])
    oldest = Version.objects.get_for_object(release).last()
    url = f"/admin/press/release/{release.pk}/history/{oldest.pk}/"
    page = client.get(url).content.decode()
    assert client.post(url, form_data(page)).status_code == 302
    release.refresh_from_db()
    assert sorted(release.topics.names()) == ["Heat", "Water"]


@pytest.mark.django_db
def test_a_version_filed_under_both_merged_topics_is_restored_under_the_kept_one_once(client):
    client.force_login(make_user("anna", "Editor"))
    release = add_release(client)  # Extreme Heat, Water
    edit_everything(client, release)  # Water
    water = Topic.objects.get(name="Water")
    water.merge([Topic.objects.get(name="Extreme Heat")])
    oldest = Version.objects.get_for_object(release).last()
    url = f"/admin/press/release/{release.pk}/history/{oldest.pk}/"
    page = client.get(url).content.decode()
    assert client.post(url, form_data(page)).status_code == 302
    release.refresh_from_db()
    assert (release.title, list(release.topics.names())) == ("Old title", ["Water"])
