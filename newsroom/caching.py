"""Whole-page caching of public pages for anonymous readers, in the shared cache (Redis).

Always right, never stale:
- Every cache key carries a content version; any change to content (a release, quote, person,
  role, organization, topic, press contact) bumps it, so all pages are re-rendered. The
  version lives in the shared cache, so a change made on one app server is seen by all.
- An entry never outlives the next scheduled change: a release scheduled for 09:00 (or one
  expiring then) makes every entry stored before 09:00 expire at 09:00, and the
  Cache-Control max-age sent to browsers and CDNs stops there too.
- Readers with a session or pending messages (editors, anyone just signed up) are never
  served from, nor stored in, the cache.

The same version and moment also key values derived from the content that are costly to work
out at 100,000 releases and the same for every reader: counts for pagination, the archive's
years, the popular topics (`cached_until_changed`). These are kept whether or not whole pages
are (PAGE_CACHE_SECONDS), since they cannot go stale either.
"""

import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Min, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)

VERSION_KEY = "pages:version"
# Cookies that make a page personal: a logged-in session, or messages waiting to be shown.
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def content_changed(**kwargs):
    """Make every cached page stale. Connected to saves and deletes of public content."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version stored yet: nothing is cached under one either
        cache.add(VERSION_KEY, 1, timeout=None)
    except Exception:  # the cache is down: nothing can be served from it either
        logger.warning("Could not mark cached pages stale", exc_info=True)


def current_state():
    """The content version and the next scheduled moment (a timestamp, 0 for none): when a
    scheduled release goes live or a live one expires.

    The moment is cached per version, so it costs one query per content change and one more
    each time a scheduled moment passes."""
    version = content_version()
    key = f"pages:next-change:{version}"
    moment = cache.get(key)
    if moment is None or (moment and moment <= timezone.now().timestamp()):
        moment = _next_change_timestamp()
        cache.set(key, moment, timeout=None)
    return version, moment


def _next_change_timestamp():
    from press.models import Release

    now = timezone.now()
    times = Release.objects.filter(status=Release.Status.PUBLISHED).aggregate(
        publish=Min("published_at", filter=Q(published_at__gt=now)),
        expire=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    upcoming = [value for value in times.values() if value]
    return min(upcoming).timestamp() if upcoming else 0


# How long a derived value is kept at most; content changes make it unreachable sooner.
DERIVED_SECONDS = 24 * 3600


def cached_until_changed(name, compute, timeout=DERIVED_SECONDS):
    """compute()'s value, kept in the shared cache until content changes (any app server's
    save bumps the version), the next scheduled moment passes, or `timeout` seconds (for values
    that also follow something else, like read counts). `name` says what the value is and must
    tell apart every variant (filters, object). Computed afresh, uncached, when the cache is
    down, or not shared by every process (settings.SHARED_CACHE): slower, never wrong."""
    if not settings.SHARED_CACHE:
        return compute()
    try:
        version, moment = current_state()
        name_hash = hashlib.sha256(name.encode()).hexdigest()
        key = f"derived:{version}:{int(moment)}:{name_hash}"
        value = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except Exception:
            logger.warning("Could not cache %s", name, exc_info=True)
    return value


class CountedPaginator(Paginator):
    """A Paginator whose count (a COUNT over tens of thousands of live releases) is kept with
    cached_until_changed(); `name` tells the lists apart."""

    def __init__(self, object_list, per_page, name, keys_first=False):
        super().__init__(object_list, per_page)
        self.name = name
        self.keys_first = keys_first

    @cached_property
    def count(self):
        return cached_until_changed(f"count:{self.name}", lambda: Paginator.count.func(self))

    def page(self, number):
        """With `keys_first`, a page's rows are found by their keys, skipped through an index
        alone (one query with a subquery), so that page 2,000 reads 20 rows, not 40,000. For
        querysets whose keys are unique without DISTINCT."""
        if not self.keys_first:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)


def page_lifetime(moment):
    """How long a page rendered now may be kept: the configured time, cut short by the next
    scheduled change. 0 means do not keep it."""
    lifetime = settings.PAGE_CACHE_SECONDS
    if moment:
        lifetime = min(lifetime, int(moment - timezone.now().timestamp()))
    return max(lifetime, 0)


def is_cacheable(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and settings.SHARED_CACHE
        and request.method in ("GET", "HEAD")
        and not PERSONAL_COOKIES.intersection(request.COOKIES)
    )


def cache_public_page(view):
    """Serve the view from the shared cache for anonymous readers; see the module docstring.
    A cached response keeps the view's `release_id` so reads are still counted."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_cacheable(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        try:
            version, moment = current_state()
            key = _key(request, version, moment)
            stored = cache.get(key)
        except Exception:  # a cache outage must not take the site down
            logger.warning("Page cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        lifetime = page_lifetime(moment)
        if stored is not None:
            response = HttpResponse(stored["content"], content_type=stored["content_type"])
            response.release_id = stored.get("release_id")
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies and lifetime:
                _store(key, response, lifetime)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=lifetime)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def _key(request, version, moment):
    """The content version and the next scheduled moment are part of the key: a change, or a
    scheduled release going live, makes every earlier entry unreachable at once, whatever
    the cache's own clock says."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pages:{version}:{int(moment)}:{request.get_host()}:{path}"


def _store(key, response, lifetime):
    entry = {
        "content": response.content,
        "content_type": response["Content-Type"],
        "release_id": getattr(response, "release_id", None),
    }
    try:
        cache.set(key, entry, timeout=lifetime)
    except Exception:
        logger.warning("Could not store a page in the cache", exc_info=True)
