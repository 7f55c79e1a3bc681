"""What a release says about people and organizations is what was true on its date, and stays so.

A quote's attribution is filled from the speaker's roles on the dateline date, a release's
boilerplate from its byline organization when it is published; later edits to the person or the
organization do not rewrite what was published.
"""

import datetime
import re

import pytest

from press.models import Release
from tests.factories import (
    make_draft,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_role,
)
from tests.markup import section, text

URL = "/releases/2021/09/23/cities-join-forces-on-heat/"


def make_turner():
    """Sylvester Turner in 2021: Mayor of Houston and chair of the R-Cities board, with one role
    that had ended and one that had not begun."""
    houston = make_organization("City of Houston", kind="city_government")
    rcn = make_organization("Resilient Cities Network")
    turner = make_person("Sylvester Turner")
    mayor = make_role(turner, houston, "Mayor", start_date=datetime.date(2016, 1, 4))
    make_role(turner, rcn, "Chair of the Board", start_date=datetime.date(2019, 5, 1))
    make_role(
        turner,
        houston,
        "State Representative",
        start_date=datetime.date(1989, 1, 10),
        end_date=datetime.date(2016, 1, 1),
    )
    make_role(turner, rcn, "Honorary Fellow", start_date=datetime.date(2024, 1, 2))
    return turner, mayor


def make_2021_release(**fields):
    return make_release(
        "Cities join forces on heat",
        byline=fields.pop("byline", None) or make_organization("Global Heat Alliance"),
        dateline_date=datetime.date(2021, 9, 23),
        published_at=datetime.datetime(2021, 9, 23, 1, tzinfo=datetime.UTC),
        **fields,
    )


def figcaptions(client):
    page = client.get(URL).content.decode()
    return [text(caption) for caption in re.findall(r"<figcaption>.*?</figcaption>", page)]


@pytest.mark.django_db
def test_attribution_lists_the_roles_held_on_the_dateline_date():
    turner, _ = make_turner()
    quote = make_quote(make_2021_release(), turner, "Heat is a silent killer.")
    assert quote.attribution == (
        "Mayor, City of Houston and Chair of the Board, Resilient Cities Network"
    )


@pytest.mark.django_db
def test_attribution_leaves_out_roles_ended_before_or_started_after_the_date():
    turner = make_person("Sylvester Turner")
    houston = make_organization("City of Houston")
    make_role(
        turner,
        houston,
        "Council Member",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2021, 9, 22),
    )
    make_role(turner, houston, "Mayor", start_date=datetime.date(2021, 9, 24))
    make_role(turner, houston, "Adviser", start_date=datetime.date(2021, 9, 23))
    quote = make_quote(make_2021_release(), turner)
    # Roles are held on their first and last day.
    assert quote.attribution == "Adviser, City of Houston"


@pytest.mark.django_db
def test_attribution_is_frozen_when_the_persons_roles_change_later(client):
    turner, mayor = make_turner()
    quote = make_quote(make_2021_release(), turner, "Heat is a silent killer.")
    frozen = "Mayor, City of Houston and Chair of the Board, Resilient Cities Network"

    # The editor records that the mayoralty had in fact ended in June 2021, and a new role.
    mayor.end_date = datetime.date(2021, 6, 30)
    mayor.save()
    make_role(turner, mayor.organization, "Special Envoy", start_date=datetime.date(2021, 7, 1))
    quote.text = "Heat is a silent killer, and it is getting louder."
    quote.save()

    # Computed afresh, the attribution would now differ; the saved one does not.
    assert turner.attribution_on(datetime.date(2021, 9, 23)) == (
        "Chair of the Board, Resilient Cities Network and Special Envoy, City of Houston"
    )
    quote.refresh_from_db()
    assert quote.attribution == frozen
    assert figcaptions(client) == [f"Sylvester Turner, {frozen}"]


@pytest.mark.django_db
def test_an_attribution_typed_by_the_editor_is_kept(client):
    turner, _ = make_turner()
    quote = make_quote(make_2021_release(), turner, attribution="Mayor of Houston (2016-2024)")
    quote.refresh_from_db()
    assert quote.attribution == "Mayor of Houston (2016-2024)"
    assert figcaptions(client) == ["Sylvester Turner, Mayor of Houston (2016-2024)"]


@pytest.mark.django_db
def test_a_speaker_with_no_role_on_the_date_has_an_empty_attribution(client):
    make_quote(make_2021_release(), make_person("Ana Gomez"))
    assert figcaptions(client) == ["Ana Gomez"]


@pytest.mark.django_db
def test_boilerplate_is_copied_from_the_byline_organization_on_publish():
    rcn = make_organization("Resilient Cities Network", boilerplate="We help 100 cities.")
    release = make_2021_release(byline=rcn)
    assert release.boilerplate == "We help 100 cities."


@pytest.mark.django_db
def test_boilerplate_does_not_change_when_the_organization_edits_its_own(client):
    rcn = make_organization("Resilient Cities Network", boilerplate="We help 100 cities.")
    release = make_2021_release(byline=rcn)
    rcn.boilerplate = "We help 120 cities."
    rcn.save()
    release.title = "Cities join forces on extreme heat"
    release.save()

    release.refresh_from_db()
    assert release.boilerplate == "We help 100 cities."
    page = client.get(URL).content.decode()
    assert text(section(page, "about-heading")) == (
        "About Resilient Cities Network We help 100 cities."
    )
    assert "120 cities" not in page


@pytest.mark.django_db
def test_a_draft_gets_the_boilerplate_current_when_it_is_published():
    rcn = make_organization("Resilient Cities Network", boilerplate="We help 100 cities.")
    draft = make_draft("Cities join forces on heat", byline=rcn)
    draft.refresh_from_db()
    assert draft.boilerplate == ""

    rcn.boilerplate = "We help 120 cities."
    rcn.save()
    draft.status = Release.Status.PUBLISHED
    draft.published_at = datetime.datetime(2021, 9, 23, 1, tzinfo=datetime.UTC)
    draft.save()

    draft.refresh_from_db()
    assert draft.boilerplate == "We help 120 cities."


@pytest.mark.django_db
def test_a_release_published_without_boilerplate_does_not_gain_one_on_a_later_save(client):
    rcn = make_organization("Resilient Cities Network", boilerplate="")
    release = make_2021_release(byline=rcn)
    rcn.boilerplate = "We help 120 cities."
    rcn.save()
    release.title = "Cities join forces on extreme heat"
    release.save()

    release.refresh_from_db()
    assert release.boilerplate == ""
