"""The release page's downloads: each picture with its file type and size, as a journalist
decides what to fetch on a slow connection."""

import pytest

from press.models import Release
from tests.factories import make_image_file, make_release, make_release_image
from tests.markup import section, text
from tests.pages import count_queries, get_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def release_with_pictures(gallery=1):
    photo = make_image_file("lead.jpg")
    release = make_release(
        featured_image=photo, featured_image_alt="Roofs painted white", featured_image_credit="Jo"
    )
    for number in range(gallery):
        make_release_image(
            release, make_image_file(f"g{number}.png", format="PNG"), alt_text=f"Map {number}"
        )
    return release, photo.size


def test_each_download_says_its_file_type_and_size(client):
    release, lead_bytes = release_with_pictures()
    gallery_bytes = release.images.get().image.size

    downloads = text(section(get_page(client, release.get_absolute_url()), "downloads-heading"))

    assert lead_bytes < 1024 * 1024 and gallery_bytes < 1024 * 1024
    assert downloads == (
        f"Downloads Roofs painted white JPEG, {lead_bytes / 1024:.1f} KB Jo "
        f"Map 0 PNG, {gallery_bytes / 1024:.1f} KB"
    )


def test_the_sizes_are_kept_on_the_rows_and_follow_a_new_upload():
    release, lead_bytes = release_with_pictures()
    assert Release.objects.get().featured_image_bytes == lead_bytes
    assert release.images.get().bytes == release.images.get().image.size

    bigger = make_image_file("lead.webp", size=(2400, 1600), format="WEBP")
    release.featured_image = bigger
    release.save()

    release = Release.objects.get()
    assert (release.featured_image_kind, release.featured_image_bytes) == ("WebP", bigger.size)


def test_the_page_asks_the_same_queries_with_one_or_three_downloads(client):
    release_with_pictures(gallery=1)
    Release.objects.update(slug="one-map")
    release_with_pictures(gallery=3)
    urls = [release.get_absolute_url() for release in Release.objects.all()]
    for url in urls:
        get_page(client, url)  # the first visit makes the renditions

    assert count_queries(client, urls[0]) == count_queries(client, urls[1])
