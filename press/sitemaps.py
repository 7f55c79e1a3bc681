"""Sitemaps for search engines: every public page, and a Google News sitemap of the last two days.

/sitemap.xml is an index of the SITEMAPS sections (/sitemap-releases.xml, ...), so each section
paginates on its own once it passes the 50,000 addresses one sitemap may hold.
"""

import datetime
from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.caching import cached_until_changed, once_per_request
from core.paginators import KnownCountPaginator
from press.models import Organization, Person, Release, Topic

# Pages with no object behind them, by URL name. A name that does not reverse (a page not built
# yet, or removed) is left out rather than breaking the whole sitemap.
STATIC_PAGES = [
    "press:home",
    "press:release-list",
    "press:topic-list",
    "press:leadership",
    "contacts:press-contacts",
    "contacts:subscribe",
]

# Google News reads articles published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_LIMIT = 1000
# Addresses per sitemap page: fewer than the 50,000 allowed, so that no page is slow to render
# (the release sitemap's pages are 20 at 100,000 releases).
SECTION_LIMIT = 5000


class CountedSitemap(Sitemap):
    """A section whose count (for the index and its pages) is kept with the others' until
    content changes (sections_seen()). Its items are asked for only by its own pages: the
    index needs the count alone."""

    limit = SECTION_LIMIT

    @property
    def paginator(self):
        return KnownCountPaginator(
            self._items, self.limit, count=sections_seen()[type(self).__name__]
        )


def sections_seen():
    """What the index shows of the counted sections: each one's count, and the releases'
    latest change. Worked out together, kept until content changes and read once a request:
    the index is one round trip to Redis, not one per section."""
    return once_per_request(
        "sitemap-sections", lambda: cached_until_changed("sitemap:sections", _sections_seen)
    )


def _sections_seen():
    seen = {section.__name__: section().items().count() for section in COUNTED_SECTIONS}
    seen["releases_lastmod"] = Release.objects.live().aggregate(
        latest=Max(Coalesce(F("corrected_at"), F("published_at")))
    )["latest"]
    return seen


class StaticSitemap(Sitemap):
    def items(self):
        names = []
        for name in STATIC_PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, name):
        return reverse(name)


class ReleaseSitemap(CountedSitemap):
    def items(self):
        # Only what the address and lastmod need: no bodies for thousands of releases.
        return Release.objects.live().only(
            "slug", "dateline_date", "published_at", "corrected_at", "language", "translation_key"
        )

    def get_urls(self, page=1, site=None, protocol=None):
        """Each release with its live translations as alternates (xhtml:link hreflang, and
        x-default), read for the whole page in one query."""
        urls = super().get_urls(page, site, protocol)
        keys = {url["item"].translation_key for url in urls}
        groups = defaultdict(list)
        for release in (
            Release.objects.live()
            .filter(translation_key__in=keys)
            .only("slug", "dateline_date", "language", "translation_key")
        ):
            groups[release.translation_key].append(release)
        root = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            release = url["item"]
            others = [other for other in groups[release.translation_key] if other.pk != release.pk]
            if others:
                versions, x_default = release.versions(others)
                url["alternates"] = [
                    *({"lang_code": version.language_tag,
                       "location": root + version.get_absolute_url()} for version in versions),
                    {"lang_code": "x-default", "location": root + x_default.get_absolute_url()},
                ]  # fmt: skip
        return urls

    def lastmod(self, release):
        return release.modified_at

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of Django's default of loading every release.
        return sections_seen()["releases_lastmod"]


class TopicSitemap(CountedSitemap):
    def items(self):
        # Only topics with a live release: the topic page of any other is a 404.
        return Topic.objects.live()


class PersonSitemap(CountedSitemap):
    def items(self):
        return Person.objects.all()


class OrganizationSitemap(CountedSitemap):
    def items(self):
        return Organization.objects.all()


COUNTED_SECTIONS = (ReleaseSitemap, TopicSitemap, PersonSitemap, OrganizationSitemap)
SITEMAPS = {
    "pages": StaticSitemap,
    "releases": ReleaseSitemap,
    "topics": TopicSitemap,
    "people": PersonSitemap,
    "organizations": OrganizationSitemap,
}


class NewsSitemap(Sitemap):
    """Live releases published in the last 48 hours, for Google News. Rendered with
    press/news_sitemap.xml, which reads each release as `url.item` and the publication name
    (the site settings' organization name) from the `newsroom_name` context processor."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Release.objects.live()
            .filter(published_at__gte=since)
            .only("title", "slug", "dateline_date", "published_at", "language")
        )
