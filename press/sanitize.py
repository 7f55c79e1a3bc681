"""The allow-list for release bodies: what an editor's rich text may contain."""

import nh3

# Exactly what the toolbar below can make. The editor discards other markup the moment a release
# is opened, so allowing more here would only keep markup nobody can see or edit. <b> and <i> are
# left out on purpose: Google Docs wraps a whole paste in <b style="font-weight:normal">, and
# keeping that tag would turn the release bold. They are unwrapped, like any unknown tag.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "a", "ul", "ol", "li", "blockquote",
    "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped with everything inside. Unwrapping these would print their contents: code for script
# and style, Word's document settings for <xml>, and for the raw-text elements their inner markup
# as literal "<script>..." text.
DROPPED_WITH_CONTENT = {
    "script", "style", "xml", "title", "textarea", "iframe", "noembed", "noframes", "noscript",
    "xmp",
}  # fmt: skip


def clean_html(html):
    """Sanitize editor HTML: unknown tags are unwrapped, scripts, styles and Word's <xml> dropped
    with their content, comments removed, links get rel="noopener noreferrer". The newlines a
    pasted document leaves around its fragment are trimmed, so a paste of nothing saves as ""."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


# What the editor's toolbar offers; the sanitizer above allows the same tags.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
}
