"""Responsive pictures: `{% responsive_image %}` for one image, `{% renditions_of %}` for many."""

import logging

from django import template

from press.renditions import renditions_for, renditions_for_each, share_rendition

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def renditions_of(images):
    """The renditions of each `image` field of `images` (gallery images), in one query, keyed by
    storage name for `{% responsive_image ... renditions=... %}`. Makes missing ones, as
    renditions_for does."""
    files = [image.image for image in images]
    try:
        return dict(zip([file.name for file in files], renditions_for_each(files), strict=True))
    except OSError:
        logger.warning("Could not make renditions for a gallery.", exc_info=True)
        return {}


@register.simple_tag
def share_image(image_field):
    """The 1200 x 630 rendition of `image_field` for og:image, or None (no image, or an
    original that cannot be read: the page then falls back to the site's share image)."""
    if not image_field:
        return None
    try:
        return share_rendition(image_field)
    except OSError:
        logger.warning("Could not make the share image of %s.", image_field.name, exc_info=True)
        return None


@register.simple_tag
def renditions_of_field(objects, field):
    """The renditions of the image in `field` of each of `objects` (releases' featured images,
    people's photos; a dotted path such as "person.photo" follows relations), in one query
    (none when no object has an image), keyed by storage name as renditions_of is."""
    files = [file for file in (_field(obj, field) for obj in objects) if file]
    if not files:
        return {}
    try:
        return dict(zip([file.name for file in files], renditions_for_each(files), strict=True))
    except OSError:
        logger.warning("Could not make renditions of %s images.", field, exc_info=True)
        return {}


@register.inclusion_tag("press/includes/picture.html")
def responsive_image(image_field, alt, sizes="100vw", renditions=None, loading="lazy"):
    """A <picture> of `image_field` (an ImageField's file): WebP and original-format srcsets,
    with the width and height of the widest rendition so the page does not shift as it loads.

    `loading="eager"` for a picture above the fold (the lead story's, the first cards'): the
    browser then fetches it at once, with high priority. Without `renditions` (from
    `{% renditions_of %}` or `{% renditions_of_field %}`), costs one query when the renditions
    exist; the first call for an image makes them, which opens and resizes the original.
    """
    if not image_field:
        return {}
    if renditions is not None and image_field.name in renditions:
        found = renditions[image_field.name]
    else:
        try:
            found = renditions_for(image_field)
        except OSError:
            # The original is missing or unreadable: show the plain file rather than fail the page.
            logger.warning("Could not make renditions of %s.", image_field.name, exc_info=True)
            return {"src": image_field.url, "alt": alt, "loading": loading}
    webp = [r for r in found if r.format == "WEBP"]
    own = [r for r in found if r.format != "WEBP"]
    # A WebP original has only WebP renditions; then the <img> alone carries them.
    fallback = own or webp
    widest = fallback[-1]
    return {
        "webp_srcset": _srcset(webp) if own else "",
        "srcset": _srcset(fallback),
        "src": widest.file.url,
        "width": widest.width,
        "height": widest.height,
        "sizes": sizes,
        "alt": alt,
        "loading": loading,
    }


def _srcset(renditions):
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions)


def _field(obj, path):
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj
