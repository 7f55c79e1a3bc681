"""Rate limits counted in the shared cache (Redis in production), so that every app server
sees the same counts: sign-ups (contacts), searches (press) and API calls (api)."""

import logging

from django.core.cache import cache
from ninja.throttling import BaseThrottle

logger = logging.getLogger(__name__)


def too_many(key, limit, window, what):
    """Count one more attempt under `key`; True when that makes more than `limit` attempts in
    the window of `window` seconds. cache.add writes only a missing key and incr is atomic in
    Redis, so app servers never overwrite each other's counts.

    When the cache is down the attempt goes through and a warning names `what` was not checked:
    fail safe, since a form or an API that breaks whenever the cache does is worse than one
    unthrottled for a while."""
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.add(key, 1, timeout=window)
            count = 1
    except Exception:
        logger.warning("%s not checked: the cache is unavailable", what, exc_info=True)
        return False
    return count > limit


def client_address(request):
    """The address a request came from, read as the API's limits read it (django-ninja's
    throttles): REMOTE_ADDR, or behind NUM_PROXIES proxies of ours the address that many from
    the end of X-Forwarded-For, the one our outermost proxy saw. The addresses before it are
    the caller's to write, so a caller cannot pick its own limit."""
    return BaseThrottle().get_ident(request) or ""
