"""Release cards and the home page's lead story: their pictures (srcset renditions, width and
height so nothing shifts, lazy below the fold) and the queries they cost."""

import datetime
import re

import pytest

from press.models import Release
from press.renditions import renditions_for
from tests.factories import make_image_file, make_release
from tests.markup import elements
from tests.pages import count_queries, get_page

CARD_SIZES = "(min-width: 72rem) 22rem, (min-width: 40rem) 50vw, 100vw"
LEAD_SIZES = "(min-width: 56rem) 44rem, 100vw"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads and renditions go to a fresh directory, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def on(day):
    return datetime.datetime(2021, 9, day, 9, tzinfo=datetime.UTC)


def pictured(day, **fields):
    return make_release(
        f"Release of September {day}",
        published_at=on(day),
        featured_image=make_image_file(f"street-{day}.jpg", size=(2000, 1000)),
        featured_image_alt=f"A street on September {day}",
        **fields,
    )


def cards(page):
    return re.findall(r'<article class="release-card">.*?</article>', page, re.S)


def lead(page):
    match = re.search(r'<article class="lead-story[^"]*".*?</article>', page, re.S)
    assert match, "The page has no lead story."
    return match.group()


def srcset(release, fmt):
    return ", ".join(
        f"/media/{r.file.name} {r.width}w"
        for r in renditions_for(release.featured_image)
        if r.format == fmt
    )


@pytest.mark.django_db
def test_a_card_offers_its_picture_in_every_rendition_with_its_size_and_alt_text(client):
    pictured(1)
    newest = pictured(2)
    release = Release.objects.get(title="Release of September 1")
    (card,) = cards(get_page(client, "/"))
    assert elements(card, "source") == [
        {"type": "image/webp", "srcset": srcset(release, "WEBP"), "sizes": CARD_SIZES}
    ]
    assert elements(card, "img") == [
        {
            "src": f"/media/{renditions_for(release.featured_image)[-1].file.name}",
            "srcset": srcset(release, "JPEG"),
            "sizes": CARD_SIZES,
            "width": "1600",
            "height": "800",
            "alt": "A street on September 1",
            "loading": "lazy",
            "decoding": "async",
        }
    ]
    assert newest.title not in card


@pytest.mark.django_db
def test_home_leads_with_the_newest_release_and_its_picture_loaded_at_once(client):
    pictured(1)
    newest = pictured(2)
    story = lead(get_page(client, "/"))
    assert re.findall(r'id="lead-title"[^>]*><a href="([^"]*)">([^<]*)</a>', story) == [
        (newest.get_absolute_url(), "Release of September 2")
    ]
    assert elements(story, "img") == [
        {
            "src": f"/media/{renditions_for(newest.featured_image)[-1].file.name}",
            "srcset": srcset(newest, "JPEG"),
            "sizes": LEAD_SIZES,
            "width": "1600",
            "height": "800",
            "alt": "A street on September 2",
            # Above the fold: fetched first, never lazily.
            "fetchpriority": "high",
            "decoding": "async",
        }
    ]
    assert "Featured" not in story  # not pinned: simply the newest


@pytest.mark.django_db
def test_a_pinned_release_leads_the_home_page_before_newer_ones(client):
    pinned = pictured(1, is_pinned=True)
    pictured(2)
    page = get_page(client, "/")
    assert re.findall(r'id="lead-title"[^>]*><a href="([^"]*)"', page) == [
        pinned.get_absolute_url()
    ]
    assert '<p class="kicker">Featured</p>' in lead(page)
    assert [re.search(r'alt="([^"]*)"', card).group(1) for card in cards(page)] == [
        "A street on September 2"
    ]


@pytest.mark.django_db
def test_the_release_list_loads_the_first_two_pictures_at_once_and_the_rest_lazily(client):
    for day in range(1, 5):
        pictured(day)
    loading = [
        (elements(card, "img")[0].get("loading"), elements(card, "img")[0].get("fetchpriority"))
        for card in cards(get_page(client, "/releases/"))
    ]
    assert loading == [(None, "high"), (None, "high"), ("lazy", None), ("lazy", None)]


@pytest.mark.django_db
def test_a_card_without_a_picture_keeps_its_place_in_the_grid_with_an_empty_panel(client):
    make_release("No picture", published_at=on(1))
    make_release("Newest", published_at=on(2))
    (card,) = cards(get_page(client, "/"))
    assert '<div class="card-media"></div>' in card
    assert "<img" not in card


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/releases/"])
def test_pictures_cost_one_query_for_the_whole_page_with_one_or_three_cards(client, settings, url):
    """Pages rendered from scratch: nothing kept in the shared cache (a warm page shows its
    cards from a kept part, with no query at all: tests/press/test_pages.py)."""
    settings.SHARED_CACHE = False
    make_release("Release without a picture", published_at=on(1))
    plain = count_queries(client, url)
    pictured(2)
    # The first request makes the renditions; they are read from then on.
    get_page(client, url)
    one = count_queries(client, url), count_queries(client, url)
    pictured(3)
    pictured(4)
    get_page(client, url)
    assert (count_queries(client, url), count_queries(client, url)) == one
    # Without pictures, plus one query for the renditions of every picture on the page.
    assert one == (plain + 1, plain + 1)
