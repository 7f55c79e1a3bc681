"""The language switcher and hreflang alternates: the page in each language it exists in."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import get_language

from press.models.languages import format_day, language_tag

register = template.Library()


@dataclass(frozen=True)
class Version:
    code: str
    name: str
    url: str
    current: bool

    @property
    def tag(self):
        return language_tag(self.code)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in the other languages it exists in: for a release, its group's
    live translations (the view's `versions`); for any other page, every language."""
    names, current = dict(settings.LANGUAGES), get_language()
    if "versions" in context:
        versions = [
            Version(release.language, names[release.language], release.get_absolute_url(),
                    release.language == current)
            for release in context["versions"]
        ]  # fmt: skip
    else:
        versions = [
            Version(code, names[code], url, code == current)
            for code, url in addresses_in_each_language(context["request"])
        ]
    return {"versions": versions if len(versions) > 1 else []}


@register.inclusion_tag("includes/page_alternates.html", takes_context=True)
def page_alternates(context):
    """hreflang alternates of a page other than a release (a release names its group's live
    translations itself): the same address under each language's prefix, English as the
    x-default. None on a page that answered no route (a 404)."""
    request = context.get("request")
    if "versions" in context or request is None or request.resolver_match is None:
        return {"alternates": []}
    absolute, addresses = request.build_absolute_uri, addresses_in_each_language(request)
    alternates = [(language_tag(code), absolute(url)) for code, url in addresses]
    default = absolute(dict(addresses)[settings.LANGUAGE_CODE])
    return {"alternates": [*alternates, ("x-default", default)]}


def addresses_in_each_language(request):
    """[(code, this page's address in that language)] for every language, worked out once per
    request: the switcher and the alternates both read them. Django's translate_url() without
    its resolve() per language: the request's own route, reversed in each (a third of a page's
    URL work)."""
    if not hasattr(request, "addresses_in_each_language"):
        path, match = request.get_full_path(), request.resolver_match
        request.addresses_in_each_language = [
            (code, address_in(path, match, code)) for code, _ in settings.LANGUAGES
        ]
    return request.addresses_in_each_language


def address_in(path, match, language):
    """The address `path` (its route `match`) has in `language`: as translate_url() finds it,
    `path` itself where the route has none there."""
    if match is None:
        return path
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(language):
        try:
            address = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return path
    query = path.partition("?")[2]
    return f"{address}?{query}" if query else address


@register.filter
def local_date(day, english_format):
    """{{ day|local_date:"j F Y" }}: the house style in English, the language's own date
    format in the others (press.models.languages.format_day)."""
    return format_day(day, english_format) if day else ""
