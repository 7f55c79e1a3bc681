import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

from press.models import Person, Quote, Release

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The demo's pictures go to a fresh directory, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


REFERENCE_URL = (
    "/releases/2021/09/23/resilient-cities-network-strengthens-ties-to-korea-adding-new-"
    "leadership-and-renewing-commitments-to-collaboration/"
)


def row_counts():
    models = [
        *apps.get_app_config("press").get_models(),
        *apps.get_app_config("contacts").get_models(),
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_loading_the_demo_twice_gives_the_same_rows(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    first = row_counts()
    titles = sorted(Release.objects.values_list("title", flat=True))
    attributions = sorted(Quote.objects.values_list("attribution", flat=True))

    call_command("load_demo", stdout=io.StringIO())

    assert row_counts() == first
    assert sorted(Release.objects.values_list("title", flat=True)) == titles
    assert sorted(Quote.objects.values_list("attribution", flat=True)) == attributions
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert first["Release"] >= 13
    assert Release.objects.live().count() >= 11


def test_the_reference_release_is_reachable_from_the_home_page(client):
    call_command("load_demo", stdout=io.StringIO())

    home = client.get("/").content.decode()
    page = client.get(REFERENCE_URL)

    # Home links to the full list, which links to the reference release.
    assert '<a href="/releases/">All press releases</a>' in home
    assert f'href="{REFERENCE_URL}"' in client.get("/releases/").content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert "Written by <a" in html and "Resilient Cities Network</a>" in html
    assert "Thursday, 23 September 2021" in html
    assert "(SINGAPORE, September 23, 2021)" in html
    assert "Kyungsun Chung" in html
    assert "Nikki Rudnick" in html


def test_demo_accounts_exist_only_when_debug_is_on(settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=io.StringIO())

    assert get_user_model().objects.count() == 0


def test_the_demo_draws_a_credited_picture_for_every_release_and_person_once(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    releases = list(Release.objects.order_by("pk"))
    people = list(Person.objects.order_by("pk"))
    assert all(release.featured_image.name.startswith("releases/demo-") for release in releases)
    assert all(release.featured_image_alt.startswith("Illustration: ") for release in releases)
    assert {release.featured_image_credit for release in releases} == {
        "Illustration generated for the Newsroom demo"
    }
    with Image.open(releases[0].featured_image) as picture:
        assert (picture.format, picture.size) == ("JPEG", (1600, 900))
    assert all(person.photo.name.startswith("people/demo-") for person in people)
    files = sorted(path.name for path in tmp_path.rglob("*.jpg"))

    call_command("load_demo", stdout=io.StringIO())

    assert sorted(path.name for path in tmp_path.rglob("*.jpg")) == files
    assert [r.featured_image.name for r in Release.objects.order_by("pk")] == [
        r.featured_image.name for r in releases
    ]


def test_the_demo_has_a_release_in_english_spanish_korean_and_arabic(client):
    call_command("load_demo", stdout=io.StringIO())
    english = Release.objects.get(slug__startswith="seoul-extends-smart-safety-checks")

    assert sorted(english.translations().values_list("language", flat=True)) == ["ar", "es", "ko"]
    korean = english.translations().get(language="ko")
    assert korean.quotes.get().attribution == "시장, 서울특별시"
    assert english.translations().get(language="es").quotes.get().attribution == (
        "Alcalde, Ciudad de Seúl"
    )
    page = client.get(korean.get_absolute_url()).content.decode()
    assert korean.get_absolute_url() == "/ko/releases/2023/09/12/seoul-smart-safety-checks-ko/"
    assert "(서울, 2023년 9월 12일)" in page and "서울특별시청" in page
