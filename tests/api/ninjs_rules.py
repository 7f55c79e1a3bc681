"""The field rules of IPTC ninjs 2.2 (https://iptc.org/std/ninjs/ninjs-schema_2.2.json, read
from the specification) for the properties the newsroom writes, as a JSON Schema: the names
allowed at the top and in each object (ninjs allows no others), their types, the required
ones, and the values a closed list allows. Set NINJS_SCHEMA to a copy of IPTC's own schema
file and tests/api/test_ninjs.py validates against that too."""

TEXT = {"type": "string"}
URI = {"type": "string", "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}


def closed(required=(), **properties):
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required),
        "properties": properties,
    }


def array_of(item):
    return {"type": "array", "items": item}


ROLED_TEXT = closed(["value"], role=TEXT, contenttype=TEXT, value=TEXT)
BODY = closed(
    ["value"], role=TEXT, contenttype=TEXT, value=TEXT, charcount={"type": "number"},
    wordcount={"type": "number"},
)  # fmt: skip
ENTITY = closed(name=TEXT, rel=TEXT, uri=URI, literal=TEXT)
RENDITION = closed(
    ["name"], name=TEXT, href=URI, contenttype=TEXT, title=TEXT, height={"type": "number"},
    width={"type": "number"}, sizeinbytes={"type": "number"}, duration={"type": "number"},
    format=TEXT,
)  # fmt: skip
TYPES = ["text", "audio", "video", "picture", "graphic", "composite", "component"]

NEWS_ITEM = {
    "uri": URI,
    "type": {"enum": TYPES},
    "representationtype": {"enum": ["full", "partial"]},
    "profile": TEXT,
    "version": TEXT,
    "firstcreated": DATE_TIME,
    "versioncreated": DATE_TIME,
    "pubstatus": {"enum": ["usable", "withheld", "canceled"]},
    "usageterms": TEXT,
    "language": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Z]{2})?$"},
    "descriptions": array_of(ROLED_TEXT),
    "bodies": array_of(BODY),
    "headlines": array_of(ROLED_TEXT),
    "people": array_of(ENTITY),
    "organisations": array_of(ENTITY),
    "subjects": array_of(ENTITY),
    "title": TEXT,
    "by": TEXT,
    "slugline": TEXT,
    "located": TEXT,
    "renditions": array_of(RENDITION),
    "altids": array_of(closed(role=TEXT, value=TEXT)),
    "standard": closed(name=TEXT, version=TEXT, schema=URI),
    "expires": DATE_TIME,
}
ASSOCIATION = closed(["name", "uri"], name=TEXT, **NEWS_ITEM)
NINJS_2_2 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    **closed(["uri"], **NEWS_ITEM, associations=array_of(ASSOCIATION)),
}
