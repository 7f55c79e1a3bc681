"""Rate limits counted in the shared cache (Redis in production), so that every app server
sees the same counts: sign-ups (contacts), searches (press) and API calls (api, which reads the
client's address as client_address() does, through django-ninja)."""

import logging

from django.conf import settings
from django.core.cache import cache

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
    """The address a request came from: REMOTE_ADDR, or behind NUM_PROXIES proxies of ours the
    address that many from the end of X-Forwarded-For, the one our outermost proxy saw. The
    addresses before it are the caller's to write, so a caller cannot pick its own limit."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.NINJA_NUM_PROXIES
    if not (proxies and forwarded):
        return request.META.get("REMOTE_ADDR", "")
    addresses = forwarded.split(",")
    return addresses[-min(proxies, len(addresses))].strip()
