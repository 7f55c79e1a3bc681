"""Whole-page caching of public pages for anonymous readers, in the shared cache (Redis).

Views marked with @cache_public_page are stored by PageCacheMiddleware, which serves them
again before sessions, CSRF, authentication and URL routing run: a hit is one Redis round
trip (the entry and the content version together), or none for a page this process keeps a
copy of (core/page_copies.py).

Always right, never stale (core/caching.py keeps the version and the schedule):
- Every entry records the content version it was rendered under; any change to public content
  bumps the version, so no earlier entry is served again, on any app server.
- An entry never outlives the next scheduled change: a release scheduled for 09:00 (or one
  expiring then) makes every entry stored before 09:00 expire at 09:00, and the
  Cache-Control max-age sent to browsers and CDNs stops there too.
- Readers with a session or pending messages (editors, anyone just signed up) are never
  served from, nor stored in, the cache.

No stampede: when a stored page has just gone stale (a publish, the end of its time), the
readers arriving together let one of them render it, on any app server, and are served its
entry (core.caching.worked_out_once): the database sees the page's queries once.

Never filled by strangers: a page is keyed on its path and query parameters in a canonical
order, and stored only when each parameter is one the view declares it reads
(@cache_public_page(params=...)), given once, with a plain value (a whole number without
leading zeros, or a lower-case slug), and the view found it meaningful (see page_not_kept()).
`?x=1`, `?x=2`, ..., `?page=007` or `?topic=no-such-topic` are served fresh and stored under
no key, so the cache holds at most one entry per page the site really has.
"""

import contextvars
import functools
import hashlib
import logging
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from core import redis_cache
from core.caching import (
    VERSION_KEY,
    content_version,
    derived_key,
    next_change,
    read_ahead,
    stored,
    worked_out_once,
)
from core.page_copies import copy_of, keep_copy

logger = logging.getLogger(__name__)

# Cookies that make a page personal: a logged-in session, or messages waiting to be shown.
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
# The query values a stored page may be keyed on: a whole number without leading zeros, or a
# lower-case slug with a letter. "007", "+7", " 7", "Heat " read the same as a plain value (or
# as nothing) and would each make another copy of the page.
PLAIN_VALUE = re.compile(r"[1-9][0-9]{0,9}|(?=[0-9-]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*")
PLAIN_LENGTH = 100
# Seconds a page's entry stays in Redis after it ends (see store()): a page read often enough to
# be rendered by many readers at once is asked for again well within it.
STALE_KEPT_SECONDS = 60
# Whether the page a @cache_public_page view renders now may be kept under its address (see
# page_is_kept()); False outside such a view.
_page_kept = contextvars.ContextVar("page_kept", default=False)
# What to do each time a stored page is served again, by name (see on_hit()).
_hit_hooks = {}
_hit_counters = {}


def on_hit(name, hook, counter=None):
    """Call `hook(argument, request)` each time a stored page that a view marked with
    `mark_for_hits(response, name, argument)` is served again: a release page's read is counted
    whether the page was rendered or came from the cache. For apps' AppConfig.ready().

    With Redis, a `counter(request, now)` returning (a hash's key in the cache's Redis, its
    fields, "{}" standing for the argument) has the hit counted there in the page's look-up,
    one round trip for both, and `hook` is not called; it returns None to leave it to `hook`.
    Names and arguments are single words (a release's key): they are noted in plain text."""
    _hit_hooks[name] = hook
    if counter is not None:
        _hit_counters[name] = counter


def mark_for_hits(response, name, argument):
    """Keep `(name, argument)` with the stored page, for the hook registered with on_hit()."""
    response.hit_hook = (name, argument)


def page_lifetime(moment):
    """How long a page rendered now may be kept: the configured time, cut short by the next
    scheduled change. 0 means do not keep it."""
    lifetime = settings.PAGE_CACHE_SECONDS
    if moment:
        lifetime = min(lifetime, int(moment - timezone.now().timestamp()))
    return max(lifetime, 0)


def is_cacheable(request):
    """Anonymous GETs of pages, when page caching is on. Static and media files (whitenoise,
    storage) are never pages: they skip the cache's round trip."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and settings.SHARED_CACHE
        and request.method in ("GET", "HEAD")
        and not request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL))
        and not PERSONAL_COOKIES.intersection(request.COOKIES)
        and has_plain_query(request)
    )


def has_plain_query(request):
    """Whether each of the request's query parameters is given once, with a plain value."""
    return all(is_plain(values) for _, values in request.GET.lists())


def is_plain(values):
    """Whether a query parameter's `values` may key a stored page: one plain value."""
    return (
        len(values) == 1
        and len(values[0]) <= PLAIN_LENGTH
        and PLAIN_VALUE.fullmatch(values[0]) is not None
    )


def cache_public_page(view=None, *, params=()):
    """Mark the view's pages as the same for every anonymous reader, for PageCacheMiddleware
    to keep. `params` names every query parameter the page depends on, the view's and its
    template's (`page` for the pages of a list): a request with any other is answered, never
    stored, as it may change the page (pagination links keep the whole query string).

    As @cache_public_page, or @cache_public_page(params=("page",))."""
    if view is None:
        return functools.partial(cache_public_page, params=params)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        # Decided before the view runs, so that the parts of the page it keeps ({% kept %})
        # follow the same rule: a part showing links with `?utm_source=...` is never kept.
        token = _page_kept.set(has_only_plain(request, params))
        try:
            response = view(request, *args, **kwargs)
            kept = _page_kept.get()
        finally:
            _page_kept.reset(token)
        response.kept_in_page_cache = kept
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def has_only_plain(request, params):
    """Whether each of the request's query parameters is one of `params`, given once with a
    plain value: a page (or a part of it) rendered for it may be kept under its address."""
    return set(request.GET).issubset(params) and has_plain_query(request)


def page_is_kept():
    """False when the page being rendered may not be kept under its address: its query has
    a parameter the view does not declare or a value that is not plain, or the view called
    page_not_kept(). Outside a @cache_public_page view, False: nothing is kept."""
    return _page_kept.get()


def page_not_kept():
    """Called by code a cached view runs, when the page it renders is not worth keeping under
    its address: a filter matching nothing, a page number that is no page. The page is shown as
    usual, and stored under no key: addresses of this kind have no end."""
    _page_kept.set(False)


class PageCacheMiddleware:
    """Serves and stores the pages of @cache_public_page views. First in MIDDLEWARE: a page is
    stored with every header the rest of the stack gave it (security headers, ETag,
    X-Frame-Options, Vary) and served again with them, before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable(request):
            return self.get_response(request)
        key = page_key(request)
        now = timezone.now().timestamp()
        copy = copy_of(key, now)
        if copy is not None:
            return served(request, copy, now, counted_unanswered(request, copy, now))
        try:
            version, entry, counted = page_found(request, key, now)
        except Exception:  # a cache outage must not take the site down
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        if is_usable(version, entry, now):
            keep_copy(key, version, entry)
            return served(request, entry, now, counted)
        if entry is None:
            return self.rendered(request, key, version)
        # A stale entry: the page was just made stale (a publish) or expired, and every reader
        # arriving now would render it. One does, on any app server; the others wait for it.
        with worked_out_once(key, is_usable) as entry:
            if entry is not None:
                return served(request, entry, timezone.now().timestamp())
            return self.rendered(request, key, version)

    def rendered(self, request, key, version):
        now = timezone.now().timestamp()
        response = self.get_response(request)
        if getattr(response, "kept_in_page_cache", False) and response.status_code == 200:
            store(key, version, response, now)
        return response


def page_found(request, key, now):
    """The content version, the page's entry under `key` (None when missing), and whether the
    hit was counted with them (on_hit(): the counters the request gives, with Redis, when the
    note stored with the entry says it is usable at `now`): one round trip."""
    counters = [
        (name, *counter)
        for name, counter_of in _hit_counters.items()
        if (counter := counter_of(request, now))
    ]
    if counters and redis_cache.is_in_use():
        return cache.look_up_page(VERSION_KEY, key, note_key(key), now, counters)
    found = cache.get_many([VERSION_KEY, key])
    return found.get(VERSION_KEY), found.get(key), False


def counted_unanswered(request, entry, now):
    """Count a hit of a copy of a stored page (core.page_copies) as its look-up in Redis would
    (page_found()), on the connection whose replies Redis turns off: no round trip. False when
    it was not counted so (no counter for the request, no Redis, a failed connection): served()
    then calls the page's hook."""
    if not entry.get("hit_hook") or not redis_cache.is_in_use():
        return False
    name, argument = entry["hit_hook"]
    counter = _hit_counters.get(name)
    found = counter(request, now) if counter else None
    if not found:
        return False
    hash_key, fields = found
    increments = [("HINCRBY", hash_key, field.replace("{}", str(argument)), 1) for field in fields]
    try:
        cache.send_unanswered(increments)
    except Exception:
        logger.warning("Could not count a hit without an answer", exc_info=True)
        return False
    return True


def is_usable(version, entry, now=None):
    """Whether a stored `entry` may be served under the content `version` at the timestamp
    `now` (the present by default)."""
    return (
        entry is not None
        and entry["version"] == version
        and (timezone.now().timestamp() if now is None else now) < entry["expires"]
    )


def note_key(key):
    """Where the note a script reads about the page entry under `key` is kept: the version and
    end it was stored with and what a hit counts ("<version> <end> <name> <argument>")."""
    return f"{key}:note"


def page_key(request):
    """Per scheme too: a plain-HTTP request must meet the HTTPS redirect, never a stored page.
    The query in a canonical order (canonical_query())."""
    path = hashlib.sha256(f"{request.path}?{canonical_query(request)}".encode()).hexdigest()
    return f"pages:{':'.join(site_of(request))}:{path}"


def site_of(request):
    """The request's scheme and host, worked out once a request: get_host() checks the host
    against ALLOWED_HOSTS at each call, and a page names its kept parts by it several times."""
    try:
        return request.kept_site
    except AttributeError:
        request.kept_site = (request.scheme, request.get_host())
        return request.kept_site


def part_name(request, name, values, only=False):
    """The name a part of a page ({% kept "name" values... %}) is kept under: its name and
    values, the language, the site's host and, unless the part is kept by its values `only`,
    the page's query (the links in the part keep it)."""
    query = "" if only else canonical_query(request)
    parts = ("fragment", name, get_language(), *site_of(request), query, *values)
    return ":".join(str(part) for part in parts)


def read_part_ahead(request, name, *values, only=False):
    """Read the part of this page that its template keeps as {% kept "name" values... %}
    (with `only`: {% kept "name" values... only %}) with the request's next look-up of a kept
    value (core.caching.read_ahead): for a view that knows what its template keeps, one round
    trip for the part and what the view reads."""
    if only or page_is_kept():
        read_ahead(derived_key(part_name(request, name, values, only=only)))


def canonical_query(request):
    """The request's query in a canonical order: ?b=2&a=1 is the page of ?a=1&b=2."""
    return urlencode(sorted(request.GET.items()))


def store(key, version, response, now):
    """Keep the page until the content changes, the next scheduled moment or its lifetime,
    whichever comes first. `version` is the one read before the page was rendered: a change
    made while it rendered leaves the entry stale, never a stale page under the new version."""
    try:
        if version is None:
            version = content_version()
        lifetime = page_lifetime(next_change(version))
        if lifetime and not response.cookies:
            entry = {
                "version": version,
                "expires": now + lifetime,
                "content": response.content,
                "headers": list(response.items()),
                "hit_hook": getattr(response, "hit_hook", None),
            }
            # Left in Redis a while after it ends, so the readers who find it stale know the
            # page is kept and let one of them render it (PageCacheMiddleware).
            stored(key, entry, lifetime + STALE_KEPT_SECONDS, hit_note(key, entry))
    except Exception:
        logger.warning("Could not store a page in the cache", exc_info=True)
        return
    patch_cache_control(response, public=True, max_age=lifetime)


def hit_note(key, entry):
    """The note stored beside a page's entry whose hits are counted (mark_for_hits()), for the
    look-up to count them (page_found()); None for other pages."""
    if not entry["hit_hook"]:
        return None
    name, argument = entry["hit_hook"]
    return {note_key(key): f"{entry['version']} {entry['expires']!r} {name} {argument}"}


def served(request, entry, now, counted=False):
    """The stored page as a response; its hit counted by its hook unless `counted` already."""
    response = HttpResponse(entry["content"])
    for header, value in entry["headers"]:
        response[header] = value
    # Browsers and CDNs may keep it as long as the entry has left, not a whole lifetime more.
    patch_cache_control(response, public=True, max_age=max(int(entry["expires"] - now), 0))
    if entry.get("hit_hook") and not counted:
        name, argument = entry["hit_hook"]
        _hit_hooks[name](argument, request)
    # If-None-Match with the stored ETag: 304, as ConditionalGetMiddleware answers the rest.
    return get_conditional_response(request, etag=response.get("ETag"), response=response)
