"""Images: what an upload must be, the renditions made from it, and how pages show them.

Every image is drawn by Pillow in the test; no binary fixtures.
"""

import datetime
import functools
import io
import re
import struct
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from PIL import ExifTags, Image, ImageCms

from press import images, renditions
from press.images import MAX_BYTES, validate_image_upload
from press.models import Release, ReleaseImage, Rendition
from press.renditions import renditions_for
from tests.factories import make_image_file, make_release, make_release_image
from tests.markup import elements, section, text
from tests.pages import get_page

NOT_AN_IMAGE = "This file is not a valid image, or it is damaged. Upload a JPEG, PNG, WebP or GIF."
UNREADABLE = (
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
)
BOMB = "This image is far too large to open safely; images may be at most 40 megapixels."
NOT_ACCEPTED = "{} images are not accepted; upload a JPEG, PNG, WebP or GIF."
TOO_MANY_PIXELS = (
    "This image is 8000 x 6000 pixels (48 megapixels); images may be at most 40 megapixels."
)
URL = "/releases/2021/09/23/cities-join-forces-on-heat/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads and renditions go to a fresh directory, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def refusal(upload):
    with pytest.raises(ValidationError) as raised:
        validate_image_upload(upload)
    return raised.value.messages


def png_claiming(width, height):
    """A one-pixel PNG whose header claims `width` x `height`, as a decompression bomb does."""
    data = make_image_file("bomb.png", size=(1, 1), format="PNG").read()
    header = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    return data[:12] + header + struct.pack(">I", zlib.crc32(header)) + data[33:]


def one_bit_png(size):
    """A black PNG of `size`: tens of megapixels in a few kilobytes."""
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG")
    return buffer.getvalue()


def drawn(kind):
    return make_image_file(format=kind).read()


photo = functools.partial(make_image_file, size=(2000, 1000))


def opened(rendition):
    with default_storage.open(rendition.file.name) as file, Image.open(file) as image:
        image.load()
        return image


# What an upload must be


@pytest.mark.parametrize(("name", "kind"), [
    ("photo.jpg", "JPEG"), ("photo.jpeg", "JPEG"), ("logo.png", "PNG"), ("photo.webp", "WEBP"),
    ("animation.gif", "GIF"),
])  # fmt: skip
def test_a_real_jpeg_png_webp_or_gif_is_accepted(name, kind):
    upload = make_image_file(name, format=kind)
    validate_image_upload(upload)
    assert upload.tell() == 0  # left ready for storage to read from the start


def test_a_phone_photo_with_a_second_picture_inside_is_accepted_as_the_jpeg_it_is():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48)).save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48))]
    )
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    validate_image_upload(SimpleUploadedFile("phone.jpg", buffer.getvalue()))


def test_a_file_over_20_mb_is_refused_and_one_of_exactly_20_mb_is_not():
    png = make_image_file("logo.png", size=(10, 10), format="PNG").read()
    # Bytes after a PNG's end are ignored by readers, so these are real 20 MB images.
    exactly = png + b"\0" * (MAX_BYTES - len(png))
    validate_image_upload(SimpleUploadedFile("logo.png", exactly))
    assert refusal(SimpleUploadedFile("logo.png", exactly + b"\0")) == [
        "This file is 20.1 MB; images may be at most 20 MB."
    ]


HTML = b"<!doctype html><title>Photo</title><script>alert(1)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
WRONG_NAME = "This file is a PNG image but its name ends in .jpg; rename it to end in .png."
# What each upload is, what the validator says, and what the form says where Django's own
# ImageField check (a file Pillow cannot open at all) speaks first.
BAD_UPLOADS = {
    "svg": ("chart.svg", lambda: SVG, NOT_AN_IMAGE, UNREADABLE),
    "svg-named-png": ("chart.png", lambda: SVG, NOT_AN_IMAGE, UNREADABLE),
    "html-named-jpg": ("photo.jpg", lambda: HTML, NOT_AN_IMAGE, UNREADABLE),
    "empty": ("photo.jpg", lambda: b"", NOT_AN_IMAGE, "The submitted file is empty."),
    "truncated-jpeg": ("photo.jpg", lambda: photo().read()[:5000], NOT_AN_IMAGE, None),
    "bomb": ("bomb.png", lambda: png_claiming(50_000, 50_000), BOMB, UNREADABLE),
    "48-megapixels": ("huge.png", lambda: one_bit_png((8000, 6000)), TOO_MANY_PIXELS, None),
    "bmp": ("scan.bmp", lambda: drawn("BMP"), NOT_ACCEPTED.format("BMP"), None),
    "tiff": ("scan.tiff", lambda: drawn("TIFF"), NOT_ACCEPTED.format("TIFF"), None),
    "png-named-jpg": ("logo.jpg", lambda: drawn("PNG"), WRONG_NAME, None),
}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "message", "_"), BAD_UPLOADS.values(), ids=list(BAD_UPLOADS)
)
def test_a_bad_upload_is_refused_with_a_message_an_editor_can_act_on(name, content, message, _):
    assert refusal(SimpleUploadedFile(name, content())) == [message]


# The same, as editors meet it in a form


ImageForm = forms.modelform_factory(
    ReleaseImage, fields=["release", "image", "alt_text", "caption", "credit", "licence"]
)


@pytest.mark.django_db
def test_the_gallery_form_saves_a_good_image_with_its_credits():
    release = make_release()
    form = ImageForm(
        {"release": release.pk, "alt_text": "Volunteers", "credit": "Photo: Jane Doe"},
        {"image": make_image_file("trees.jpg")},
    )
    assert form.is_valid(), form.errors
    image = form.save()
    assert (image.alt_text, image.credit) == ("Volunteers", "Photo: Jane Doe")
    assert image.image.name == "releases/gallery/trees.jpg"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message", "form_says"), BAD_UPLOADS.values(), ids=list(BAD_UPLOADS)
)
def test_the_gallery_form_refuses_a_bad_file_with_a_clear_error(name, content, message, form_says):
    upload = SimpleUploadedFile(name, content())
    form = ImageForm({"release": make_release().pk, "alt_text": "A picture"}, {"image": upload})
    assert form.errors == {"image": [form_says or message]}


@pytest.mark.django_db
def test_the_gallery_form_requires_alt_text():
    form = ImageForm({"release": make_release().pk}, {"image": make_image_file()})
    assert form.errors == {"alt_text": ["This field is required."]}


@pytest.mark.django_db
def test_a_featured_image_needs_alt_text_and_a_valid_file():
    release = make_release()
    release.featured_image = make_image_file("logo.jpg", format="PNG")
    with pytest.raises(ValidationError) as raised:
        release.full_clean()
    assert raised.value.message_dict == {
        "featured_image": [WRONG_NAME],
        "featured_image_alt": ["Describe the image for readers who cannot see it."],
    }


# Renditions


def stored(upload):
    """`upload` saved the way an ImageField saves it, as a FieldFile."""
    release = Release.objects.first() or make_release()
    return make_release_image(release, image=upload).image


def sizes(renditions):
    return [(r.format, r.width, r.height) for r in renditions]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("width", "widths"), [(2000, [480, 960, 1600]), (700, [480, 700]), (300, [300])]
)
def test_renditions_come_in_each_width_up_to_the_original_never_wider(width, widths):
    renditions = renditions_for(stored(photo(size=(width, width // 2))))
    assert sizes(renditions) == [(fmt, w, w // 2) for fmt in ("WEBP", "JPEG") for w in widths]
    for rendition in renditions:
        image = opened(rendition)
        assert (image.format, image.size) == (rendition.format, (rendition.width, rendition.height))
        assert re.fullmatch(r"renditions/[0-9a-f]{20}-\d+\.(webp|jpg)", rendition.file.name)


@pytest.mark.django_db
def test_renditions_are_made_once_then_read_in_one_query(media, django_assert_num_queries):
    image = stored(photo())
    first = renditions_for(image)
    files = sorted((media / "renditions").iterdir())
    with django_assert_num_queries(1):
        again = renditions_for(image)
    assert again == first
    assert Rendition.objects.count() == 6
    assert sorted((media / "renditions").iterdir()) == files


@pytest.mark.django_db
def test_a_rendition_someone_deleted_is_made_again_and_only_that_one():
    image = stored(photo())
    renditions_for(image)
    Rendition.objects.get(format="JPEG", width=960).delete()
    assert sizes(renditions_for(image)) == [
        (fmt, w, w // 2) for fmt in ("WEBP", "JPEG") for w in (480, 960, 1600)
    ]
    assert Rendition.objects.count() == 6


@pytest.mark.django_db
def test_when_another_server_made_them_first_theirs_are_kept_and_ours_dropped(media):
    image = stored(photo())
    theirs = renditions_for(image)
    files = sorted((media / "renditions").iterdir())
    # As a second server does: it read no renditions, then made its own while we made ours.
    ours = renditions._make_renditions(image, existing=[])
    assert sorted(ours, key=lambda r: r.pk) == sorted(theirs, key=lambda r: r.pk)
    assert sorted((media / "renditions").iterdir()) == files


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_servers_making_the_same_renditions_at_once_agree(media):
    image = stored(photo())
    both_have_read = threading.Barrier(2, timeout=10)
    prepare = images.upright_in_srgb

    def after_reading(original):
        both_have_read.wait()  # neither has inserted yet when both have looked
        return prepare(original)

    def server(_):
        try:
            return renditions_for(image)
        finally:
            connection.close()

    with mock.patch.object(images, "upright_in_srgb", after_reading), ThreadPoolExecutor() as pool:
        first, second = pool.map(server, range(2))
    assert first == second
    assert Rendition.objects.count() == 6
    assert len(list((media / "renditions").iterdir())) == 6  # the loser's copies are gone


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind", "mode", "formats"), [
    ("logo.png", "PNG", "RGBA", ["WEBP", "PNG"]),
    ("logo.gif", "GIF", "P", ["WEBP", "GIF"]),
    ("photo.webp", "WEBP", "RGB", ["WEBP"]),
])  # fmt: skip
def test_png_and_gif_keep_their_format_a_webp_original_gets_only_webp(name, kind, mode, formats):
    image = Image.new(mode, (600, 400))
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"transparency": 0} if kind == "GIF" else {}))
    renditions = renditions_for(stored(SimpleUploadedFile(name, buffer.getvalue())))
    assert [(r.format, r.width) for r in renditions] == [
        (fmt, width) for fmt in formats for width in (480, 600)
    ]
    if mode != "RGB":  # transparent in, transparent out, in both formats
        assert [opened(r).convert("RGBA").getpixel((0, 0))[3] for r in renditions] == [0] * 4


@pytest.mark.django_db
def test_a_photo_taken_sideways_is_turned_upright_by_its_exif_orientation():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: show it rotated 90 degrees
    renditions = renditions_for(stored(photo(size=(2000, 1000), exif=exif)))
    assert sizes(renditions)[:3] == [("WEBP", 480, 960), ("WEBP", 960, 1920), ("WEBP", 1000, 2000)]
    upright = opened(renditions[0])
    # The red left half of the sensor is the top once turned.
    assert upright.getpixel((240, 100))[0] > 200
    assert upright.getpixel((240, 860))[2] > 200


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind"), [("photo.jpg", "JPEG"), ("chart.png", "PNG")])
def test_renditions_carry_no_exif_gps_or_colour_profile(name, kind):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 0.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = make_image_file(name, size=(1000, 500), format=kind, exif=exif, icc_profile=srgb)
    source = Image.open(io.BytesIO(upload.read()))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo) and source.info["icc_profile"]
    upload.seek(0)
    renditions = renditions_for(stored(upload))
    assert {r.format for r in renditions} == {"WEBP", kind}
    for rendition in renditions:
        image = opened(rendition)
        assert dict(image.getexif()) == {}
        assert "icc_profile" not in image.info and "exif" not in image.info


@pytest.mark.django_db
def test_a_cmyk_photo_is_made_rgb_for_the_web():
    buffer = io.BytesIO()
    Image.new("CMYK", (800, 600), (0, 255, 255, 0)).save(buffer, "JPEG")
    for rendition in renditions_for(stored(SimpleUploadedFile("print.jpg", buffer.getvalue()))):
        assert opened(rendition).mode == "RGB"


# How pages show them


def live_release(**fields):
    """The release at URL: published on 23 September 2021."""
    published_at = datetime.datetime(2021, 9, 23, 9, tzinfo=datetime.UTC)
    return make_release("Cities join forces on heat", published_at=published_at, **fields)


def featured(page):
    match = re.search(r'<figure class="featured-image">(.*?)</figure>', page, re.S)
    assert match, "The page has no featured image."
    return match.group(1)


def srcset(renditions, fmt):
    return ", ".join(f"/media/{r.file.name} {r.width}w" for r in renditions if r.format == fmt)


SIZES = "(min-width: 56rem) 45rem, 100vw"


@pytest.mark.django_db
def test_the_featured_image_has_srcset_sizes_width_height_and_alt_text(client):
    release = live_release(
        featured_image=photo(size=(2000, 1000)), featured_image_alt="Mayors on a hot street"
    )
    figure = featured(get_page(client, URL))
    renditions = renditions_for(release.featured_image)
    assert elements(figure, "source") == [
        {"type": "image/webp", "srcset": srcset(renditions, "WEBP"), "sizes": SIZES}
    ]
    assert elements(figure, "img") == [
        {
            "src": f"/media/{renditions[-1].file.name}",
            "srcset": srcset(renditions, "JPEG"),
            "sizes": SIZES,
            "width": "1600",
            "height": "800",
            "alt": "Mayors on a hot street",
            "loading": "lazy",
            "decoding": "async",
        }
    ]
    assert "<figcaption" not in figure  # nothing to say, so no empty caption


@pytest.mark.django_db
def test_the_featured_image_caption_gives_credit_and_licence(client):
    live_release(
        featured_image=photo(),
        featured_image_alt="Mayors",
        featured_image_caption="Mayors at the summit.",
        featured_image_credit="Photo: Jane Doe / R-Cities",
        featured_image_licence="CC BY 4.0",
    )
    caption = re.search(r"<figcaption>(.*?)</figcaption>", featured(get_page(client, URL))).group(1)
    assert text(caption) == "Mayors at the summit. Photo: Jane Doe / R-Cities Licence: CC BY 4.0"


@pytest.mark.django_db
def test_a_webp_original_is_offered_as_webp_alone():
    upload = make_image_file("photo.webp", size=(1000, 500), format="WEBP")
    image = stored(upload)
    html = Template('{% load press_images %}{% responsive_image image "A street" %}').render(
        Context({"image": image})
    )
    assert elements(html, "source") == []
    assert elements(html, "img")[0]["srcset"] == srcset(renditions_for(image), "WEBP")


@pytest.mark.django_db
def test_a_missing_original_shows_the_plain_file_rather_than_breaking_the_page(client):
    release = live_release(featured_image=photo(), featured_image_alt="Mayors")
    default_storage.delete(release.featured_image.name)
    assert elements(featured(get_page(client, URL)), "img") == [
        {"src": release.featured_image.url, "alt": "Mayors", "loading": "lazy", "decoding": "async"}
    ]


@pytest.mark.django_db
def test_the_gallery_shows_each_image_in_order_with_its_alt_text_and_credits(client):
    release = live_release()
    make_release_image(release, photo(name="b.jpg"), alt_text="Second", order=2)
    make_release_image(
        release, photo(name="a.jpg"), alt_text="First", caption="Tree planting.",
        credit="Photo: Jane Doe", licence="All rights reserved", order=1,
    )  # fmt: skip
    gallery = section(get_page(client, URL), "gallery-heading")
    assert [img["alt"] for img in elements(gallery, "img")] == ["First", "Second"]
    assert [img["width"] for img in elements(gallery, "img")] == ["1600", "1600"]
    assert re.findall(r"<figcaption>(.*?)</figcaption>", gallery) == [
        '<span class="caption">Tree planting.</span> <span class="credit">Photo: Jane Doe</span>'
        ' <span class="licence">Licence: All rights reserved</span>'
    ]


@pytest.mark.django_db
def test_a_release_without_images_shows_no_one_elses(client):
    other = live_release(
        slug="another-release", featured_image=photo(), featured_image_alt="Another release"
    )
    make_release_image(other, photo(name="other.jpg"), alt_text="Another gallery")
    live_release()
    page = get_page(client, URL)
    assert 'class="featured-image"' not in page
    assert 'id="gallery-heading"' not in page
    assert "Another gallery" not in page
    # The other release may appear as a card under Related Articles, with its own picture;
    # nowhere else.
    assert page.count('alt="Another release"') == page.count('class="release-card"') == 1


@pytest.mark.django_db
def test_the_gallery_costs_the_same_queries_with_one_or_three_images(client):
    release = live_release(featured_image=photo(), featured_image_alt="Mayors")
    make_release_image(release, photo(name="one.jpg"))

    def count():
        get_page(client, URL)  # the first visit makes the renditions
        with CaptureQueriesContext(connection) as queries:
            get_page(client, URL)
        return len(queries)

    one = count()
    make_release_image(release, photo(name="two.jpg"))
    make_release_image(release, photo(name="three.jpg"))
    assert count() == one
