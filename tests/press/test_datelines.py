"""Datelines as archive releases have them. An override is printed exactly as the editor typed
it, brackets and all; place and date are printed in the house style of the reference page,
"(SINGAPORE, September 23, 2021)". The same on every surface that prints one: the release page,
the emails (alerts and distributions, HTML and text) and the structured data."""

import datetime
import json
import re

import pytest
from django.template.loader import render_to_string

from press.models import Release
from tests.factories import make_release
from tests.pages import get_page

NINE_IN_SINGAPORE = datetime.datetime(2021, 9, 23, 1, tzinfo=datetime.UTC)
URL = "/releases/2021/09/23/cities-join-forces-on-heat/"

CASES = {
    "place and date": ({"dateline_place": "SINGAPORE"}, "(SINGAPORE, September 23, 2021)"),
    "an organization in brackets": (
        {"dateline_override": "(WAM) – ABU DHABI."},
        "(WAM) – ABU DHABI.",
    ),
    "the date in brackets after the place": (
        {"dateline_override": "GENEVA, Switzerland (June 3, 2019)"},
        "GENEVA, Switzerland (June 3, 2019)",
    ),
    "no date": ({"dateline_override": "NAIROBI"}, "NAIROBI"),
    "a house-style override": (
        {"dateline_override": "(SINGAPORE, September 23, 2021)"},
        "(SINGAPORE, September 23, 2021)",
    ),
}


def make_singapore_release(**fields):
    return make_release(
        "Cities join forces on heat",
        published_at=NINE_IN_SINGAPORE,
        dateline_time_zone="Asia/Singapore",
        **fields,
    )


def emails(release):
    """The dateline lines of the four emails that print one."""
    context = {"release": release, "body_text": "Cities agreed.", "release_url": URL}
    return {
        name: render_to_string(f"contacts/emails/{name}", context)
        for name in ("alert.txt", "alert.html", "distribution.txt", "distribution.html")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_every_surface_prints_the_dateline_as_typed_or_in_the_house_style(client, case):
    fields, printed = CASES[case]
    make_singapore_release(**fields)
    page = get_page(client, URL)
    assert re.findall(r'<p class="dateline">(.*?)</p>', page) == [printed]
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert json.loads(ld)["dateline"] == printed
    release = Release.objects.get()
    mails = emails(release)
    assert f"\n{printed}\n{release.summary}\n" in mails["alert.txt"]
    assert f"<p><strong>{printed}</strong></p>" in mails["alert.html"]
    assert f"\n{printed}\nCities agreed." in mails["distribution.txt"]
    assert f"<p><strong>{printed}</strong></p>" in mails["distribution.html"]


@pytest.mark.django_db
def test_a_dateline_without_a_date_yet_keeps_the_house_brackets():
    release = make_release("A draft", status="draft", published_at=None, dateline_place="GENEVA")
    assert (release.dateline_date, release.dateline) == (None, "(GENEVA)")
