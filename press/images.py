"""Uploaded images: what we accept, and the pixel work of making renditions (turned upright,
in sRGB, resized, encoded). Which renditions exist, and where: press/renditions.py."""

import io
import math
import os

from django.core.exceptions import ValidationError
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}, "GIF": {".gif"}}
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000

RENDITION_WIDTHS = (480, 960, 1600)
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "progressive": True, "optimize": True},
    "WEBP": {"quality": 80},
    # Only browsers without WebP fetch PNG renditions; optimize=True would triple the time.
    "PNG": {},
    "GIF": {"optimize": True},
}


def download_kind(name):
    """The format's name for readers ("JPEG", "PNG", "WebP", "GIF"), from the file's extension,
    which validate_image_upload matched to its content."""
    extension = os.path.splitext(name)[1].lower()
    for kind, extensions in ALLOWED_FORMATS.items():
        if extension in extensions:
            return "WebP" if kind == "WEBP" else kind
    return ""


def stored_bytes(file, known):
    """The size in bytes of an image field's file, kept on the row so that a page listing
    downloads asks the storage nothing: read from a new upload, else the size `known`, else
    from the storage (once); None without a file or when the file is gone."""
    if not file:
        return None
    if known is not None and file._committed:
        return known
    try:
        return file.size
    except OSError:
        return None


def image_format(image):
    """Pillow's name for the format, with MPO (what many cameras and phones write: a JPEG
    with a second picture after it) counted as the JPEG it is."""
    return "JPEG" if image.format == "MPO" else image.format


def validate_image_upload(file):
    """Refuse anything but a whole JPEG, PNG, WebP or GIF within our size limits, with a message
    an editor can act on. Files already stored were checked when they came in."""
    if getattr(file, "_committed", False):
        return
    if file.size > MAX_BYTES:
        # Rounded up, so a file just over the limit never reads "20.0 MB".
        megabytes = math.ceil(file.size / 1024 / 1024 * 10) / 10
        raise ValidationError(f"This file is {megabytes:.1f} MB; images may be at most 20 MB.")
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind, (width, height) = image_format(image), image.size
            if kind not in ALLOWED_FORMATS:
                raise ValidationError(
                    f"{kind} images are not accepted; upload a JPEG, PNG, WebP or GIF."
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    f"This image is {width} x {height} pixels ({width * height / 1e6:.0f} "
                    "megapixels); images may be at most 40 megapixels."
                )
            image.verify()
        file.seek(0)
        with Image.open(file) as image:
            image.load()  # verify() does not decode the pixels; a truncated file fails here
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # Pillow refuses to open it at all: the header claims billions of pixels.
        raise ValidationError(
            "This image is far too large to open safely; images may be at most 40 megapixels."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This file is not a valid image, or it is damaged. Upload a JPEG, PNG, WebP or GIF."
        ) from None
    finally:
        file.seek(0)
    extension = os.path.splitext(file.name)[1].lower()
    if extension not in ALLOWED_FORMATS[kind]:
        raise ValidationError(
            f"This file is a {kind} image but its name ends in {extension or 'nothing'}; "
            f"rename it to end in {sorted(ALLOWED_FORMATS[kind])[0]}."
        )


def planned_renditions(width, kind):
    """The (width, format) pairs made for an original `width` pixels wide in format `kind`:
    each of RENDITION_WIDTHS narrower than the original, then one as wide as the original
    allows (never upscaled), each in WebP and in the original's own format."""
    widths = [w for w in RENDITION_WIDTHS if w < width] + [min(width, RENDITION_WIDTHS[-1])]
    formats = ["WEBP"] if kind == "WEBP" else ["WEBP", kind]
    return {(w, f) for w in widths for f in formats}


def upright_in_srgb(original):
    """The pixels as a reader should see them: turned by the EXIF orientation, converted to
    sRGB (renditions carry no colour profile), in L, RGB or RGBA, and with no metadata."""
    if original.format in ("JPEG", "MPO"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when even that is wider than we need;
        # a 40-megapixel photo then costs a few megabytes instead of over a hundred.
        upright_width = original.height if _turned_sideways(original) else original.width
        scale = RENDITION_WIDTHS[-1] / upright_width
        if scale < 1:
            size = (math.ceil(original.width * scale), math.ceil(original.height * scale))
            original.draft(original.mode, size)
    picture = ImageOps.exif_transpose(original)
    icc = original.info.get("icc_profile")
    if icc and picture.mode in ("RGB", "RGBA", "CMYK"):
        try:
            picture = ImageCms.profileToProfile(
                picture,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGBA" if picture.mode == "RGBA" else "RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are beat no image at all
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    if has_alpha:
        picture = picture.convert("RGBA")
    elif picture.mode not in ("L", "RGB"):
        picture = picture.convert("L" if picture.mode == "1" else "RGB")
    # Exif, GPS, XMP, the colour profile and comments all live in .info; savers copy some of it.
    picture.info = {}
    return picture


def _turned_sideways(image):
    return image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8)


def resized(picture, width):
    if width == picture.width:
        return picture
    height = max(1, round(picture.height * width / picture.width))
    resized = picture.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    resized.info = {}
    return resized


def encoded(picture, fmt):
    if fmt == "JPEG" and picture.mode not in ("L", "RGB"):
        picture = picture.convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **SAVE_OPTIONS[fmt])
    return buffer.getvalue()
