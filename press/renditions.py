"""The resized copies of uploaded images that pages use: found in one query, made by whichever
app server first shows an image, and recorded so that every server reuses them."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps

from press import images
from press.images import EXTENSIONS, image_format, planned_renditions
from press.models import Rendition

# Link previews (og:image, Twitter's large card): 1200 x 630, the size Facebook, LinkedIn and X
# show without cropping again. Kept apart from the width renditions by its format label.
SHARE_SIZE = (1200, 630)
SHARE_FORMAT = "SHARE"


def renditions_for(image_field_file):
    """The renditions of one stored image, WebP first, narrowest first; see renditions_for_each."""
    return renditions_for_each([image_field_file])[0]


def renditions_for_each(image_field_files):
    """The renditions of each stored image, as a list per image, WebP first, narrowest first.

    One query when they all exist, however many images. The first call for an image opens it
    and makes its renditions; two servers doing so at once both end up with the same rows.
    An animated GIF or WebP gives renditions of its first frame only.
    """
    names = [file.name for file in image_field_files]
    found = {name: [] for name in names}
    for rendition in Rendition.objects.filter(source__in=names).exclude(format=SHARE_FORMAT):
        found[rendition.source].append(rendition)
    for file in image_field_files:
        if not _looks_complete(found[file.name]):
            found[file.name] = _make_renditions(file, found[file.name])
    return [
        sorted(found[name], key=lambda r: (r.format != "WEBP", r.format, r.width)) for name in names
    ]


def _looks_complete(renditions):
    """Whether these are all the renditions their original should have, judged without opening
    it: an image's renditions are created together in one transaction, and the widest is as wide
    as the original or as RENDITION_WIDTHS allow, so the rows themselves tell the plan."""
    if not renditions:
        return False
    kind = next((r.format for r in renditions if r.format != "WEBP"), "WEBP")
    widest = max(r.width for r in renditions)
    return planned_renditions(widest, kind) <= {(r.width, r.format) for r in renditions}


def _make_renditions(image_field_file, existing):
    with image_field_file.open("rb") as file, Image.open(file) as original:
        kind = image_format(original)
        picture = images.upright_in_srgb(original)
    have = {(r.width, r.format): r for r in existing}
    digest = hashlib.sha256(image_field_file.name.encode()).hexdigest()[:20]
    planned = planned_renditions(picture.width, kind)
    made = []
    with transaction.atomic():
        # Widest first, each resized from the last: much cheaper than from a large original.
        for width in sorted({width for width, _ in planned}, reverse=True):
            picture = images.resized(picture, width)
            for fmt in sorted(fmt for w, fmt in planned if w == width):
                if (width, fmt) in have:
                    made.append(have[(width, fmt)])
                    continue
                name = default_storage.save(
                    f"renditions/{digest}-{width}.{EXTENSIONS[fmt]}",
                    ContentFile(images.encoded(picture, fmt)),
                )
                rendition, created = Rendition.objects.get_or_create(
                    source=image_field_file.name,
                    width=width,
                    format=fmt,
                    defaults={"height": picture.height, "file": name},
                )
                if not created and rendition.file.name != name:
                    # Another server made this one first; keep theirs, drop our copy.
                    default_storage.delete(name)
                made.append(rendition)
    return made


def share_rendition(image_field_file):
    """The 1200 x 630 JPEG of an image for link previews: the middle of the picture, cut to that
    shape and scaled to fill it. One query once made; the first call opens the original."""
    found = Rendition.objects.filter(source=image_field_file.name, format=SHARE_FORMAT).first()
    if found:
        return found
    with image_field_file.open("rb") as file, Image.open(file) as original:
        picture = images.upright_in_srgb(original)
    if picture.mode not in ("L", "RGB"):  # transparency over white, not JPEG's black
        background = Image.new("RGB", picture.size, "white")
        background.paste(picture, mask=picture.convert("RGBA").getchannel("A"))
        picture = background
    cropped = ImageOps.fit(picture, SHARE_SIZE, Image.Resampling.LANCZOS)
    digest = hashlib.sha256(image_field_file.name.encode()).hexdigest()[:20]
    name = default_storage.save(
        f"renditions/{digest}-share.jpg", ContentFile(images.encoded(cropped, "JPEG"))
    )
    rendition, created = Rendition.objects.get_or_create(
        source=image_field_file.name,
        width=SHARE_SIZE[0],
        format=SHARE_FORMAT,
        defaults={"height": SHARE_SIZE[1], "file": name},
    )
    if not created and rendition.file.name != name:
        default_storage.delete(name)
    return rendition
