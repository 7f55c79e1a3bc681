import functools
import json
from urllib.parse import quote, urlencode

from django import template
from django.template.defaultfilters import stringfilter
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from press import structured_data

register = template.Library()

# Characters that could end the <script> element early or open an HTML comment.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _json_ld(data):
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter(is_safe=True)
@stringfilter
def description(text, length):
    """`text` cut to `length` characters as truncatechars cuts it, for a page's description:
    the same few texts are cut on every page view, and cutting walks the text character by
    character, so each cut is remembered (a pure function of its arguments and of
    the language, whose translation may write the ellipsis otherwise)."""
    return _cut(text, int(length), get_language())


@functools.lru_cache(maxsize=512)
def _cut(text, length, language):
    return Truncator(text).chars(length)


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, release):
    return _json_ld(structured_data.news_article(context["request"], release))


@register.simple_tag(takes_context=True)
def person_json_ld(context, person, roles):
    return _json_ld(structured_data.person(context["request"], person, roles))


@register.simple_tag(takes_context=True)
def organization_json_ld(context, organization):
    return _json_ld(structured_data.organization(context["request"], organization))


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, current, *trail):
    """Visible breadcrumbs and their BreadcrumbList JSON-LD. `trail` alternates names and
    URLs of the pages between home and this one."""
    request = context["request"]
    pairs = [("Home", reverse("press:home"))]
    pairs += list(zip(trail[::2], trail[1::2], strict=True))
    pairs.append((current, request.path))
    return {
        "crumbs": pairs[1:-1],
        "current": current,
        "json_ld": _json_ld(structured_data.breadcrumb_list(request, pairs)),
    }


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """`url` made absolute for this site; an absolute one (an object store's) is kept."""
    return context["request"].build_absolute_uri(url)


# Share endpoints: plain links that open each service's own share page. No script, widget or
# image of theirs is loaded, so reading the release tells them nothing.
SHARE_SERVICES = [
    ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?{}", {"url": "{url}"}),
    ("Bluesky", "https://bsky.app/intent/compose?{}", {"text": "{title} {url}"}),
    ("X", "https://x.com/intent/tweet?{}", {"url": "{url}", "text": "{title}"}),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?{}", {"u": "{url}"}),
]


@register.inclusion_tag("press/includes/share_links.html", takes_context=True)
def share_links(context, release):
    """Share links for a release, an email link, and its address to copy."""
    url = context["request"].build_absolute_uri(release.get_absolute_url())

    def query(params):
        return urlencode({k: v.format(url=url, title=release.title) for k, v in params.items()})

    links = [(name, address.format(query(params))) for name, address, params in SHARE_SERVICES]
    email = "mailto:?" + urlencode({"subject": release.title, "body": url}, quote_via=quote)
    return {"links": links, "email": email, "url": url}
