"""Reading rendered pages the way a reader does: a section by its heading, its words, its links.

Plain `re` and `html.parser`, so a test says exactly what a block shows without a new dependency.
"""

import html
import re
from html.parser import HTMLParser


def section(page, heading_id):
    """The inner HTML of the <section> labelled by the heading with id `heading_id`."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', page, re.S
    )
    assert match, f"The page has no section labelled by #{heading_id}."
    return match.group(1)


def text(fragment):
    """The words a reader sees in `fragment`: tags dropped, whitespace collapsed."""
    fragment = re.sub(r"<(br|/p|/li|/h\d|/div|/figcaption|/blockquote)\b[^>]*>", " ", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def card_titles(fragment):
    """The titles of the release cards in `fragment`, in order."""
    found = re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', fragment)
    return [html.unescape(title) for title in found]


class _Collector(HTMLParser):
    def __init__(self, tag):
        super().__init__()
        self.tag = tag
        self.elements = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            self._open = {"attrs": dict(attrs), "text": []}
            self.elements.append(self._open)

    def handle_startendtag(self, tag, attrs):
        if tag == self.tag:
            self.elements.append({"attrs": dict(attrs), "text": []})

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"].append(data)

    def handle_endtag(self, tag):
        if tag == self.tag:
            self._open = None


def elements(fragment, tag):
    """The attributes of each `tag` element in `fragment`, in order."""
    collector = _Collector(tag)
    collector.feed(fragment)
    return [element["attrs"] for element in collector.elements]


def links(fragment):
    """Each link in `fragment` as (text, href), in order."""
    collector = _Collector("a")
    collector.feed(fragment)
    return [
        (" ".join("".join(link["text"]).split()), link["attrs"].get("href"))
        for link in collector.elements
    ]
