"""Migration 0012_workflow_corrections makes each correction a record: from the workflow's
"correct" steps, which kept note, editor and time even where a revert had emptied the
release's note, or from the release's own note and time where no step was recorded."""

import datetime

import pytest

from tests.migrating import latest_schema_after, migrate  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("press", "0011_search_vector_kept_in_the_row")]
AFTER = [("press", "0012_workflow_corrections")]
UTC = datetime.UTC


def test_corrections_become_records_with_their_notes():
    old = migrate(BEFORE)
    Organization = old.get_model("press", "Organization")
    Release, Transition = old.get_model("press", "Release"), old.get_model("press", "Transition")
    User = old.get_model("auth", "User")
    anna = User.objects.create(username="anna")
    byline = Organization.objects.create(name="Resilient Cities Network", slug="rcn")
    published = datetime.datetime(2030, 5, 1, 9, tzinfo=UTC)

    def release(slug, **fields):
        return Release.objects.create(
            title=slug, slug=slug, byline=byline, status="published", published_at=published,
            dateline_time_zone="UTC", **fields,
        )  # fmt: skip

    # Corrected twice, then reverted: the release's note is empty, the steps kept both notes.
    reverted = release("reverted", corrected_at=datetime.datetime(2030, 5, 3, tzinfo=UTC))
    for day, note in ((2, "The address was wrong."), (3, "The hours were wrong.")):
        Transition.objects.create(
            release=reverted, action="correct", from_status="published",
            to_status="published", user=anna, comment=note,
            created_at=datetime.datetime(2030, 5, day, tzinfo=UTC),
        )  # fmt: skip
    # Marked corrected without a step (entered by hand): its own note and time.
    release(
        "by-hand",
        corrected_at=datetime.datetime(2030, 5, 4, tzinfo=UTC),
        correction_note="A figure was wrong.",
    )
    # Marked corrected with neither step nor note: a note says so.
    release("no-note", corrected_at=datetime.datetime(2030, 5, 5, tzinfo=UTC))
    release("never-corrected")

    new = migrate(AFTER)

    Correction = new.get_model("press", "Correction")
    assert sorted(
        (c.release.slug, c.created_at.day, c.note, c.user_id)
        for c in Correction.objects.select_related("release")
    ) == [
        ("by-hand", 4, "A figure was wrong.", None),
        ("no-note", 5, "Corrected (no note was recorded).", None),
        ("reverted", 2, "The address was wrong.", anna.pk),
        ("reverted", 3, "The hours were wrong.", anna.pk),
    ]

    back = migrate(BEFORE)
    Release = back.get_model("press", "Release")
    assert dict(Release.objects.values_list("slug", "correction_note")) == {
        "by-hand": "A figure was wrong.",
        "no-note": "Corrected (no note was recorded).",
        "reverted": "The hours were wrong.",
        "never-corrected": "",
    }
