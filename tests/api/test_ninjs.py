"""A live release as IPTC ninjs 2.2: /api/v1/releases/<id>/ninjs, or the detail asked with
Accept: application/ninjs+json. Valid by the spec's field rules (tests/api/ninjs_rules.py),
and by IPTC's own schema file when NINJS_SCHEMA names a copy of it."""

import datetime
import json
import os

import jsonschema
import pytest
from django.utils import timezone

from press.models import Release, Rendition
from press.renditions import renditions_for
from tests.api.ninjs_rules import NINJS_2_2
from tests.factories import (
    make_draft,
    make_image_file,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_release_image,
    make_role,
    make_topic,
    make_user,
)


def validate(item):
    checker = jsonschema.Draft202012Validator(
        NINJS_2_2, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    checker.validate(item)
    if os.environ.get("NINJS_SCHEMA"):
        with open(os.environ["NINJS_SCHEMA"]) as file:
            official = json.load(file)
        jsonschema.Draft202012Validator(official).validate(item)


@pytest.fixture
def release(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rcn = make_organization("Resilient Cities Network")
    houston = make_organization("City of Houston")
    turner = make_person("Sylvester Turner")
    role = make_role(turner, houston, "Mayor", start_date=datetime.date(2016, 1, 1))
    release = make_release(
        "Cities join forces on heat",
        byline=rcn,
        subtitle="Ten cities, one plan",
        dateline_place="HOUSTON",
        dateline_time_zone="America/Chicago",
        status=Release.Status.DRAFT,
        published_at=None,
        language="pt-br",
        featured_image=make_image_file(),
        featured_image_alt="A hot street",
        topics=[make_topic("Extreme Heat")],
    )
    release.organizations.set([houston])
    release.people.set([make_person("Lauren Sorkin")])
    make_quote(release, turner, "Heat is the silent killer.")
    make_release_image(release, caption="Planting day", credit="Photo: Jane Doe")
    release.move("publish", make_user("chief", "Editor"), publish_at=timezone.now())
    # Later the mayor's term ends: the release keeps the role printed when it was published.
    role.end_date = datetime.date.today()
    role.save()
    return release


@pytest.mark.django_db
def test_a_release_as_ninjs_carries_what_was_printed_at_publication(client, release):
    renditions_for(release.featured_image)  # as the release page makes them
    translation = make_release("Cities join forces on heat (English)", language="en")
    secret = make_draft("Unfinished French translation", language="fr")
    Release.objects.filter(pk__in=[translation.pk, secret.pk]).update(
        translation_key=release.translation_key
    )
    response = client.get(f"/api/v1/releases/{release.pk}/ninjs")
    assert response["Content-Type"] == "application/ninjs+json"
    item = response.json()
    validate(item)
    assert item["uri"] == f"http://testserver/api/v1/releases/{release.pk}/"
    assert item["type"] == "text"
    assert item["language"] == "pt-BR"
    assert item["version"] == "1"
    assert item["headlines"] == [
        {"role": "main", "value": "Cities join forces on heat"},
        {"role": "subheadline", "value": "Ten cities, one plan"},
    ]
    assert item["bodies"][0]["contenttype"] == "text/html"
    assert item["by"] == "Resilient Cities Network"
    assert item["located"] == "HOUSTON"
    assert [subject["name"] for subject in item["subjects"]] == ["Extreme Heat"]
    assert item["people"] == [
        {
            "name": "Sylvester Turner",
            "uri": "http://testserver/people/sylvester-turner/",
            "rel": "quoted",
            "literal": "Mayor, City of Houston",
        },
        {
            "name": "Lauren Sorkin",
            "uri": "http://testserver/people/lauren-sorkin/",
            "rel": "mentioned",
        },
    ]
    assert [(o["name"], o["rel"]) for o in item["organisations"]] == [
        ("Resilient Cities Network", "byline"),
        ("City of Houston", "mentioned"),
    ]
    names = [rendition["name"] for rendition in item["renditions"]]
    assert (
        names[0] == "original"
        and len(names)
        == 1
        + Rendition.objects.exclude(format="SHARE")
        .filter(source=release.featured_image.name)
        .count()
        and len(names) > 1
    )
    picture, english = item["associations"]
    assert (picture["type"], picture["descriptions"]) == (
        "picture",
        [{"role": "caption", "value": "Planting day"}],
    )
    assert english == {
        "name": "translation-en",
        "uri": f"http://testserver/api/v1/releases/{translation.pk}/",
        "type": "text",
        "language": "en",
        "headlines": [{"role": "main", "value": "Cities join forces on heat (English)"}],
    }
    assert "Unfinished French translation" not in response.content.decode()


@pytest.mark.django_db
def test_the_detail_answers_ninjs_when_asked_for_it(client, release):
    plain = client.get(f"/api/v1/releases/{release.pk}/")
    ninjs = client.get(
        f"/api/v1/releases/{release.pk}/", headers={"Accept": "application/ninjs+json"}
    )
    assert "body_html" in plain.json()
    assert "Accept" in plain["Vary"]
    assert ninjs["Content-Type"] == "application/ninjs+json"
    assert ninjs.json()["uri"] == f"http://testserver/api/v1/releases/{release.pk}/"
    assert "Accept" in ninjs["Vary"]


@pytest.mark.django_db
def test_a_correction_is_a_new_version(client, release):
    release.refresh_from_db()
    release.title = "Cities join forces on extreme heat"
    release.correct(make_user("second", "Editor"), "The title said heat, not extreme heat.")
    item = client.get(f"/api/v1/releases/{release.pk}/ninjs").json()
    validate(item)
    assert item["version"] == "2"
    assert item["versioncreated"] > item["firstcreated"]
