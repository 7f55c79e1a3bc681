"""Corrections are records: when, what, who (press.models.corrections), written only by
Release.correct(). A release page lists every public correction, and a revert, which restores
what a release says, leaves its corrections as they were: never an empty "Updated <date>:"."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from reversion.models import Version

from press.models import Correction, Release
from tests.factories import form_data, make_release, make_user
from tests.markup import text

UTC = datetime.UTC
PUBLISHED = datetime.datetime(2030, 5, 1, 9, tzinfo=UTC)
URL = "/releases/2030/05/01/cooling-centres-open/"


def on(day, hour=10):
    return datetime.datetime(2030, 5, day, hour, tzinfo=UTC)


def corrections_shown(client):
    page = client.get(URL).content.decode()
    return [text(found) for found in re.findall(r'<p class="correction">(.*?)</p>', page, re.S)]


def edit(client, release, **changes):
    url = f"/admin/press/release/{release.pk}/change/"
    return client.post(url, form_data(client.get(url).content.decode(), **changes))


@pytest.mark.django_db
def test_a_release_lists_every_public_correction_newest_first(client):
    release = make_release("Cooling centres open", published_at=PUBLISHED)
    editor = make_user("anna", "Editor")
    with time_machine.travel(on(2), tick=False):
        release.correct(editor, "The address of the Acres Homes centre was wrong.")
    with time_machine.travel(on(4), tick=False):
        release.correct(editor, "The centres close at 20:00, not 21:00.")
        assert corrections_shown(client) == [
            "Updated 4 May 2030: The centres close at 20:00, not 21:00.",
            "Updated 2 May 2030: The address of the Acres Homes centre was wrong.",
        ]
    assert [(c.created_at, c.user) for c in release.corrections.all()] == [
        (on(4), editor),
        (on(2), editor),
    ]
    release.refresh_from_db()
    assert release.corrected_at == on(4)


@pytest.mark.django_db
def test_a_correction_made_before_the_release_went_live_is_not_shown_to_readers(client):
    """Nobody had read the text it corrected."""
    with time_machine.travel(on(1, 0), tick=False):
        release = make_release("Cooling centres open", published_at=PUBLISHED)
        release.correct(make_user("anna", "Editor"), "A typo in the embargoed text.")
    with time_machine.travel(on(3), tick=False):
        assert corrections_shown(client) == []
        assert list(Correction.objects.public()) == []


@pytest.mark.django_db
def test_a_correction_without_a_note_is_refused_by_the_model_and_the_database():
    release = make_release("Cooling centres open")
    with pytest.raises(ValidationError):
        release.correct(make_user("anna", "Editor"), "   ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Correction.objects.create(release=release, note="")
    release.refresh_from_db()
    assert (release.corrected_at, release.corrections.count()) == (None, 0)


@pytest.mark.django_db
def test_reverting_after_a_correction_keeps_the_correction_and_its_note(client):
    """The editor corrects a release, then restores the version from before the correction:
    the correction stays, note and all (it used to print "Updated 2 May 2030:" and nothing)."""
    release = make_release("Cooling centres open", published_at=PUBLISHED)
    with time_machine.travel(on(1, 12), tick=False) as clock:
        client.force_login(make_user("anna", "Editor"))
        assert edit(client, release, subtitle="Eleven centres").status_code == 302
        before = Version.objects.get_for_object(release).get()
        clock.move_to(on(2))
        note = "There are twelve centres."
        response = edit(
            client, release, subtitle="Twelve centres", is_correction="on", correction_note=note
        )
        assert response.status_code == 302
        clock.move_to(on(3))
        url = f"/admin/press/release/{release.pk}/history/{before.pk}/"
        assert client.post(url, form_data(client.get(url).content.decode())).status_code == 302
        client.logout()
        assert corrections_shown(client) == ["Updated 2 May 2030: There are twelve centres."]
    release.refresh_from_db()
    assert (release.subtitle, release.corrected_at) == ("Eleven centres", on(2))


@pytest.mark.django_db
def test_revert_to_restores_a_version_keeps_the_corrections_and_may_record_one(client):
    editor = make_user("anna", "Editor")
    client.force_login(editor)
    release = make_release("Cooling centres open", published_at=PUBLISHED)
    edit(client, release, subtitle="Eleven centres")
    before = Version.objects.get_for_object(release).get()
    with time_machine.travel(on(2), tick=False):
        release.refresh_from_db()
        release.subtitle = "Twelve centres"
        release.correct(editor, "There are twelve centres.")
    with time_machine.travel(on(3), tick=False):
        release.revert_to(before, editor, correction_note="There are eleven centres after all.")
        assert corrections_shown(client) == [
            "Updated 3 May 2030: There are eleven centres after all.",
            "Updated 2 May 2030: There are twelve centres.",
        ]
    release = Release.objects.get()
    assert (release.subtitle, release.status, release.published_at) == (
        "Eleven centres",
        Release.Status.PUBLISHED,
        PUBLISHED,
    )
    other = make_release("Another release")
    with pytest.raises(ValidationError):
        other.revert_to(before, editor)
