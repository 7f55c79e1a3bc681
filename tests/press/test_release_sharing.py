"""Sharing a release: plain share links (no third-party script), a copy-link, and link previews
(og:image and Twitter's card) from a 1200 x 630 rendition of the featured image, or the site's
share image."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from core.models import SiteSettings
from press.models import Release, Rendition
from tests.factories import make_image_file, make_release
from tests.markup import elements, section
from tests.pages import get_page

URL = "/releases/2021/09/23/cities-join-forces-on-heat/"
ADDRESS = "http://testserver" + URL


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads and renditions go to a fresh directory, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_heat_release(**fields):
    return make_release(
        "Cities join forces on heat",
        dateline_date=datetime.date(2021, 9, 23),
        published_at=datetime.datetime(2021, 9, 23, 9, tzinfo=datetime.UTC),
        **fields,
    )


def meta(page, key):
    """The content of the <meta> with property or name `key`, or None."""
    for attrs in elements(page, "meta"):
        if key in (attrs.get("property"), attrs.get("name")):
            return attrs["content"]
    return None


@pytest.mark.django_db
def test_share_links_are_plain_links_to_each_services_share_page(client):
    make_heat_release()
    share = section(get_page(client, URL), "share-heading")
    hrefs = [html.unescape(attrs["href"]) for attrs in elements(share, "a")]
    assert [urlsplit(href)[:3] for href in hrefs] == [
        ("https", "www.linkedin.com", "/sharing/share-offsite/"),
        ("https", "bsky.app", "/intent/compose"),
        ("https", "x.com", "/intent/tweet"),
        ("https", "www.facebook.com", "/sharer/sharer.php"),
        ("mailto", "", ""),
    ]
    queries = [parse_qs(urlsplit(href).query) for href in hrefs]
    assert queries == [
        {"url": [ADDRESS]},
        {"text": [f"Cities join forces on heat {ADDRESS}"]},
        {"url": [ADDRESS], "text": ["Cities join forces on heat"]},
        {"u": [ADDRESS]},
        {"subject": ["Cities join forces on heat"], "body": [ADDRESS]},
    ]
    [field] = elements(share, "input")
    assert (field["id"], field["value"], "readonly" in field) == ("release-link", ADDRESS, True)


@pytest.mark.django_db
def test_the_page_loads_no_script_frame_or_image_from_another_site(client):
    make_heat_release()
    page = get_page(client, URL)
    scripts = [attrs.get("src") for attrs in elements(page, "script")]
    assert [src for src in scripts if src] == ["/static/js/copy_link.js"]
    assert elements(page, "iframe") == []
    for tag, attribute in [("img", "src"), ("link", "href"), ("source", "srcset")]:
        for attrs in elements(page, tag):
            host = urlsplit(attrs.get(attribute, "")).netloc
            assert host in ("", "testserver"), attrs


@pytest.mark.django_db
def test_link_previews_use_a_1200_by_630_rendition_of_the_featured_image(client):
    make_heat_release(
        featured_image=make_image_file("heat.jpg", size=(2000, 1500)),
        featured_image_alt="A cooling centre",
    )
    page = get_page(client, URL)
    image_url = meta(page, "og:image")
    assert image_url.startswith("http://testserver/media/renditions/")
    assert meta(page, "twitter:image") == image_url
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:image:alt") == "A cooling centre"
    name = urlsplit(image_url).path.removeprefix("/media/")
    with default_storage.open(name) as file, Image.open(file) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 630))
        # The middle of the picture: red on the left half, blue on the right.
        assert image.getpixel((10, 315))[0] > 150 and image.getpixel((1190, 315))[2] > 150


@pytest.mark.django_db
def test_the_share_rendition_is_made_once_and_kept_apart_from_the_pages_renditions(client):
    make_heat_release(featured_image=make_image_file("heat.jpg"))
    first = get_page(client, URL + "?a=1")
    second = get_page(client, URL + "?a=2")
    assert meta(second, "og:image") == meta(first, "og:image")
    assert Rendition.objects.filter(format="SHARE").count() == 1
    # The featured picture's srcset lists the width renditions only, the same on each visit.
    sources = [attrs["srcset"] for attrs in elements(second, "source")]
    assert "-share" not in str(sources) and sources == [
        attrs["srcset"] for attrs in elements(first, "source")
    ]


@pytest.mark.django_db
def test_without_a_featured_image_previews_use_the_sites_share_image(client):
    settings = SiteSettings.objects.current()
    settings.share_image = make_image_file("share.png", size=(1200, 630), format="PNG")
    settings.save()
    make_heat_release()
    page = get_page(client, URL)
    assert re.fullmatch(r"http://testserver/media/brand/share\w*\.png", meta(page, "og:image"))
    assert meta(page, "twitter:card") == "summary_large_image"


@pytest.mark.django_db
def test_without_any_image_the_card_is_the_small_summary(client):
    make_heat_release()
    page = get_page(client, URL)
    assert meta(page, "og:image") is None
    assert meta(page, "twitter:card") == "summary"


@pytest.mark.django_db
def test_the_share_image_costs_one_query_on_a_page_with_a_featured_image(client, settings):
    """Measured on pages rendered from scratch: nothing kept in the shared cache (a warm page
    renders its release from a kept part, with no query at all)."""
    settings.SHARED_CACHE = False
    make_heat_release()
    get_page(client, URL + "?warm=1")
    with CaptureQueriesContext(connection) as plain:
        get_page(client, URL + "?plain=1")
    release = Release.objects.get()
    release.featured_image = make_image_file("heat.jpg")
    release.featured_image_alt = "A cooling centre"
    release.save()
    get_page(client, URL + "?warm=2")  # makes the renditions
    with CaptureQueriesContext(connection) as pictured:
        get_page(client, URL + "?pictured=1")
    # + the featured image's renditions (its <picture>)
    # + its 1200 x 630 share rendition (og:image)
    assert len(pictured) == len(plain) + 2
