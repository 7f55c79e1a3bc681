"""The organization's brand on every page: WCAG contrast of its colours, the checks on its logo
and share image, the typefaces it may choose, and the few CSS custom properties that carry it
(the rest of the look is static/css/site.css). The record itself: core.models.SiteSettings."""

import re

from django.core.exceptions import ValidationError
from django.templatetags.static import static
from PIL import Image, UnidentifiedImageError

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# WCAG 2.x AA for body text.
TEXT_CONTRAST = 4.5
# Where brand colours are used as text (links, the kicker) or behind white or dark text
# (buttons): the page and the soft panels, in the light theme and in the dark one. These must
# match the --paper and --soft values in static/css/site.css.
LIGHT_BACKGROUNDS = ("#ffffff", "#f3f5f8")
DARK_BACKGROUNDS = ("#15161c", "#1f2029")

LOGO_FORMATS = {"PNG", "WEBP"}
SHARE_IMAGE_FORMATS = {"PNG", "WEBP", "JPEG"}
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_SHARE_IMAGE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000

SYSTEM_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'
# Typefaces served from static/fonts/ (Fontsource's latin files, SIL Open Font License): no
# request ever goes to a third party for a font. name: (CSS family, fallback stack).
TYPEFACES = {
    "source-sans-3": ("Source Sans 3", SYSTEM_STACK),
    "inter": ("Inter", SYSTEM_STACK),
    "merriweather": ("Merriweather", 'Georgia, "Times New Roman", serif'),
}


def luminance(colour):
    """WCAG relative luminance of "#rrggbb"."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one, other):
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def lowest_contrast(colour, backgrounds):
    """(ratio, background): the background `colour` stands out least against."""
    return min((contrast_ratio(colour, background), background) for background in backgrounds)


def contrast_error(colour, backgrounds, theme):
    """A message for an editor when `colour` is too faint as text on `backgrounds`, else None.
    The ratio is rounded down, so 4.499 never reads as a passing 4.50."""
    ratio, background = lowest_contrast(colour, backgrounds)
    if ratio >= TEXT_CONTRAST:
        return None
    shown = int(ratio * 100) / 100
    return (
        f"{colour} has a contrast ratio of {shown:.2f}:1 against the {theme} background "
        f"{background}; text needs at least {TEXT_CONTRAST}:1 (WCAG AA). Choose a "
        f"{'darker' if theme == 'light' else 'lighter'} colour."
    )


def lightened_for_dark(colour):
    """`colour` mixed with white, in 5% steps, until it passes as text on the dark theme's
    backgrounds: the dark theme's version of a brand colour the organization did not set."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        share = step / 20
        mixed = "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in channels)
        if lowest_contrast(mixed, DARK_BACKGROUNDS)[0] >= TEXT_CONTRAST:
            return mixed
    return "#ffffff"


def _validate_picture(file, formats, max_bytes, what):
    if getattr(file, "_committed", False):
        return  # stored earlier, checked when it came in
    file.seek(0)
    head = file.read(512).lstrip().lower()
    file.seek(0)
    if file.name.lower().endswith((".svg", ".svgz")) or head.startswith((b"<?xml", b"<svg")):
        raise ValidationError(
            f"SVG files are not accepted as the {what}: an SVG can carry scripts, and this "
            "site does not clean them. Export it as a PNG or WebP and upload that."
        )
    if file.size > max_bytes:
        raise ValidationError(
            f"This file is {file.size / 1024 / 1024:.1f} MB; the {what} may be at most "
            f"{max_bytes // 1024 // 1024} MB."
        )
    names = " or ".join(sorted(formats)).replace("WEBP", "WebP")
    try:
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(f"This image is {width} x {height} pixels: far too large.")
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            f"This file is not an image Pillow can read. Upload a {names} image."
        ) from None
    finally:
        file.seek(0)
    if kind not in formats:
        raise ValidationError(f"This is a {kind} image; the {what} must be a {names} image.")


def validate_logo(file):
    """Only a whole PNG or WebP (transparent backgrounds, sharp edges), never an SVG."""
    _validate_picture(file, LOGO_FORMATS, MAX_LOGO_BYTES, "logo")


def validate_share_image(file):
    _validate_picture(file, SHARE_IMAGE_FORMATS, MAX_SHARE_IMAGE_BYTES, "share image")


def picture_size(file):
    """(width, height) of an image file, or (None, None) when it cannot be read."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None, None
    finally:
        file.seek(0)


def _colour(value, default):
    """A colour safe to write into CSS: validated on save, checked again here all the same."""
    return value if value and HEX_COLOUR.fullmatch(value) else default


def stylesheet(primary, accent, primary_dark, accent_dark, typeface):
    """The CSS custom properties (and @font-face rules) for these brand choices: a few hundred
    bytes set in a <style> element by base.html. Colours and the typeface were validated on
    save, and are checked again so nothing else can reach the page."""
    primary = _colour(primary, "#083f77")
    accent = _colour(accent, "#0b5cad")
    primary_dark = _colour(primary_dark, lightened_for_dark(primary))
    accent_dark = _colour(accent_dark, lightened_for_dark(accent))
    rules = []
    family = SYSTEM_STACK
    if typeface in TYPEFACES:
        name, fallback = TYPEFACES[typeface]
        family = f'"{name}", {fallback}'
        for weight in (400, 700):
            url = static(f"fonts/{typeface}/{typeface}-{weight}.woff2")
            rules.append(
                f'@font-face{{font-family:"{name}";font-style:normal;font-weight:{weight};'
                f'font-display:swap;src:url("{url}") format("woff2")}}'
            )
    rules.append(f":root{{--brand:{primary};--accent:{accent};--font:{family}}}")
    rules.append(
        "@media (prefers-color-scheme: dark){"
        f":root{{--brand:{primary_dark};--accent:{accent_dark}}}}}"
    )
    return "\n".join(rules)
