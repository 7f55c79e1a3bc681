import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from press.models import Quote, Release

pytestmark = pytest.mark.django_db

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
