"""A live release as an IPTC ninjs 2.2 news item (https://iptc.org/standards/ninjs/).

Mapping: the title is the "main" headline and the subtitle the "subheadline"; the body (quotes
printed in place, as feeds print it) is the "main" body, text/html, and the organization's About
text a "boilerplate" body; `by` is the byline as printed, `located` the dateline place;
topics are `subjects`; the byline, and the organizations mentioned, are `organisations`
(rel "byline", "mentioned"); the people quoted and mentioned are `people` (rel "quoted",
"mentioned"). ninjs 2.x has no role property on a person and allows no other: the role a
quoted person was printed with at publication (press/models/printed.py) is their `literal`.
The featured image's renditions are `renditions`; gallery pictures and the live translations
are `associations` (type "picture" and "text"). `version` counts the corrections readers see.
"""

from django.db.models import Prefetch

from api.schemas import bcp47
from press.models import Correction, Quote, Release, Rendition, TaggedRelease
from press.renditions import SHARE_FORMAT

STANDARD = {
    "name": "ninjs",
    "version": "2.2",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json",
}
CONTENT_TYPES = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}


def for_ninjs(releases):
    """What ninjs() reads, fetched with the release: a constant number of queries."""
    return releases.select_related("byline").prefetch_related(
        Prefetch("tagged_items", TaggedRelease.objects.select_related("tag")),
        "people",
        "organizations",
        "images",
        Prefetch("quotes", Quote.objects.select_related("person")),
        Prefetch("corrections", Correction.objects.public(), to_attr="public_corrections"),
    )


def ninjs(release, absolute):
    """The ninjs object of `release` (loaded with for_ninjs()); `absolute(path)` makes a full
    URL. Reads the images' renditions and the live translations: two queries."""
    images = list(release.images.all())
    renditions = _renditions([release.featured_image, *(image.image for image in images)])
    item = {
        "uri": absolute(f"/api/v1/releases/{release.pk}/"),
        "type": "text",
        "representationtype": "full",
        "profile": "press-release",
        "version": str(1 + len(release.public_corrections)),
        "firstcreated": release.published_at.isoformat(),
        "versioncreated": release.modified_at.isoformat(),
        "pubstatus": "usable",
        "language": bcp47(release.language),
        "title": release.title,
        "slugline": release.slug,
        "headlines": _headlines(release),
        "bodies": _bodies(release),
        "by": release.printed_byline,
        "subjects": [
            {
                "name": tagged.tag.name,
                "uri": absolute(tagged.tag.get_absolute_url()),
                "rel": "about",
            }
            for tagged in release.tagged_items.all()
        ],
        "people": _people(release, absolute),
        "organisations": _organisations(release, absolute),
        "altids": [{"role": "url", "value": absolute(release.get_absolute_url())}],
        "standard": STANDARD,
    }
    if release.summary:
        item["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": release.summary}
        ]
    if release.dateline_place:
        item["located"] = release.dateline_place
    if release.expires_at:
        item["expires"] = release.expires_at.isoformat()
    if release.featured_image:
        item["renditions"] = _image_renditions(
            release.featured_image, renditions, absolute, release.featured_image_alt
        )
    associations = [
        {
            "name": f"picture-{number}",
            "uri": absolute(image.image.url),
            "type": "picture",
            "headlines": [{"role": "main", "value": image.alt_text}],
            "descriptions": [{"role": "caption", "value": image.caption}] if image.caption else [],
            "by": image.credit,
            "usageterms": image.licence,
            "renditions": _image_renditions(image.image, renditions, absolute, image.alt_text),
        }
        for number, image in enumerate(images, start=1)
    ]
    associations += [
        {
            "name": f"translation-{bcp47(translation.language)}",
            "uri": absolute(f"/api/v1/releases/{translation.pk}/"),
            "type": "text",
            "language": bcp47(translation.language),
            "headlines": [{"role": "main", "value": translation.title}],
        }
        for translation in Release.objects.live()
        .filter(translation_key=release.translation_key)
        .exclude(pk=release.pk)
        .only("pk", "language", "title")
        .order_by("language")
    ]
    if associations:
        item["associations"] = associations
    return item


def _headlines(release):
    headlines = [{"role": "main", "value": release.title}]
    if release.subtitle:
        headlines.append({"role": "subheadline", "value": release.subtitle})
    return headlines


def _bodies(release):
    body = str(release.body_with_quotes())
    bodies = [{"role": "main", "contenttype": "text/html", "value": body}]
    if release.printed_boilerplate:
        bodies.append(
            {
                "role": "boilerplate",
                "contenttype": "text/plain",
                "value": release.printed_boilerplate,
            }
        )
    return bodies


def _people(release, absolute):
    people, seen = [], set()
    for quote in release.quotes.all():
        if quote.person_id in seen:
            continue
        seen.add(quote.person_id)
        person = {
            "name": quote.person.name,
            "uri": absolute(quote.person.get_absolute_url()),
            "rel": "quoted",
        }
        if quote.printed_attribution:
            person["literal"] = quote.printed_attribution
        people.append(person)
    people += [
        {"name": person.name, "uri": absolute(person.get_absolute_url()), "rel": "mentioned"}
        for person in release.people.all()
        if person.pk not in seen
    ]
    return people


def _organisations(release, absolute):
    byline = release.byline
    organisations = [
        {
            "name": release.printed_byline,
            "uri": absolute(byline.get_absolute_url()),
            "rel": "byline",
        }
    ]
    organisations += [
        {"name": other.name, "uri": absolute(other.get_absolute_url()), "rel": "mentioned"}
        for other in release.organizations.all()
        if other.pk != byline.pk
    ]
    return organisations


def _renditions(files):
    """The stored renditions of these images, by original: one query. Renditions are made
    when a page first shows the image; an image no page has shown yet has only its original."""
    names = [file.name for file in files if file]
    found = {}
    for rendition in (
        Rendition.objects.filter(source__in=names)
        .exclude(format=SHARE_FORMAT)
        .order_by("format", "width")
    ):
        found.setdefault(rendition.source, []).append(rendition)
    return found


def _image_renditions(file, renditions, absolute, title):
    items = [{"name": "original", "href": absolute(file.url), "title": title}]
    items += [
        {
            "name": f"{rendition.width}w-{rendition.format.lower()}",
            "href": absolute(rendition.file.url),
            "contenttype": CONTENT_TYPES.get(rendition.format, "application/octet-stream"),
            "width": rendition.width,
            "height": rendition.height,
            "title": title,
        }
        for rendition in renditions.get(file.name, [])
    ]
    return items
