import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from press import structured_data

register = template.Library()

# Characters that could end the <script> element early or open an HTML comment.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _json_ld(data):
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


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
