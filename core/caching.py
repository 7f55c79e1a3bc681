"""Values worked out from the public content, kept in the shared cache (Redis) until the
content changes: the content version, the next moment content changes by itself, and values
costly to work out at 100,000 releases and the same for every reader (counts for pagination,
the archive's years, Popular Topics: `cached_until_changed`). Whole pages are kept under the
same version and moment (core/page_cache.py).

Always right, never stale:
- Any change to public content bumps the version, so nothing kept under an earlier one is
  used again. The version lives in the shared cache, so a change made on one app server is
  seen by all. Apps name their public models with `changes_with()` from AppConfig.ready().
- Nothing is kept past the next scheduled change (a release going live or expiring at 09:00):
  apps say when that is with `follows_schedule()`.
- Values are kept only in a cache every process shares (settings.SHARED_CACHE); otherwise they
  are worked out afresh, slower and never wrong.

One round trip for a warm page: what a page will need (the site settings, the parts its
template keeps) is read ahead with its first look-up of a kept value (read_ahead(),
looked_up()), and served from what that look-up brought back.
"""

import contextlib
import contextvars
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from core import redis_cache
from core.page_copies import VERSION_KEY, content_version, new_content_version

logger = logging.getLogger(__name__)

# When many readers miss the same entry at once (the first requests after a publish), one works
# it out and the others wait for its entry at most WAIT_SECONDS, looking every POLL_SECONDS,
# then work it out themselves: a slow holder never blocks a reader for longer. A holder that
# died leaves its lock for LOCK_SECONDS at most.
LOCK_SECONDS = 5
WAIT_SECONDS = 2
POLL_SECONDS = 0.01
# Callables, each returning the next moment (an aware datetime, or None) when content changes
# without a save: registered by apps with follows_schedule().
_schedules = []


def changes_with(*models, through=()):
    """Saves and deletes of `models`, and changes of the many-to-many `through` tables, make
    everything kept stale. For apps' AppConfig.ready()."""
    for model in models:
        uid = f"core.caching-{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-deleted")
    for table in through:
        uid = f"core.caching-{table._meta.label}"
        m2m_changed.connect(content_changed, sender=table, dispatch_uid=uid)


def follows_schedule(next_moment):
    """Nothing is kept past `next_moment()`: the next time content changes by itself (a
    scheduled publication or an expiry). For apps' AppConfig.ready()."""
    if next_moment not in _schedules:
        _schedules.append(next_moment)


def content_changed(**kwargs):
    """Make everything kept stale. Connected to saves and deletes of public content."""
    read_again_this_request(VERSION_KEY)
    try:
        new_content_version()
    except Exception:  # the cache is down: nothing can be served from it either
        logger.warning("Could not mark cached pages stale", exc_info=True)


def next_change(version):
    """The next scheduled moment as a timestamp (0 for none), cached per version: one query
    per content change and one more each time a scheduled moment passes; read once per request
    (each value a cold page works out and keeps asks for it)."""
    key = f"pages:next-change:{version}"
    return once_per_request(key, lambda: _next_change_kept(key))


def _next_change_kept(key):
    moment = cache.get(key)
    if moment is None or (moment and moment <= timezone.now().timestamp()):
        moment = _next_change_timestamp()
        cache.set(key, moment, timeout=None)
    return moment


# What the request being served has read already, by key ({} in a request, None outside one):
# values read once per request, not once per use. Set and dropped at each request's start and
# end (core.apps), so a long-running process (the dispatcher, a worker) never keeps them.
_this_request = contextvars.ContextVar("read_this_request", default=None)


def request_started(**kwargs):
    _this_request.set({})


def request_finished(**kwargs):
    _this_request.set(None)


def once_per_request(key, read):
    """read()'s value, read once per request under `key` (each call outside a request)."""
    this_request = _this_request.get()
    if this_request is None:
        return read()
    if key not in this_request:
        this_request[key] = read()
    return this_request[key]


def read_again_this_request(key):
    """The next once_per_request(key, ...) of this request reads again (after a change)."""
    this_request = _this_request.get()
    if this_request:
        this_request.pop(key, None)
        this_request.get(_BROUGHT, {}).pop(key, None)


# In the request's dictionary: the cache keys waiting to be read with its next look-up
# (read_ahead()), and the values look-ups brought back for later ones.
_AHEAD, _BROUGHT = "read-ahead:waiting", "read-ahead:brought"


def read_ahead(*keys):
    """Read these cache keys with this request's next look-up (looked_up()), with the content
    version: values the page will need, one round trip for all of them instead of one each.
    Outside a request, nothing."""
    this_request = _this_request.get()
    if this_request is not None:
        this_request.setdefault(_AHEAD, set()).update(keys)


def looked_up(keys):
    """cache.get_many(keys): as an earlier look-up of this request brought them back, when it
    read them ahead (read_ahead()); else read now, with the keys waiting to be read ahead. A
    key read ahead serves one look-up; the content version, the whole request (a change
    during it forgets it: content_changed())."""
    this_request = _this_request.get()
    if this_request is None:
        return cache.get_many(keys)
    brought = this_request.setdefault(_BROUGHT, {})
    if all(key in brought for key in keys):
        values = {key: brought[key] if key == VERSION_KEY else brought.pop(key) for key in keys}
        return {key: value for key, value in values.items() if value is not None}
    waiting = this_request.pop(_AHEAD, set()).difference(keys)
    if not waiting:
        return cache.get_many(keys)
    found = cache.get_many([*keys, *waiting, *([] if VERSION_KEY in keys else [VERSION_KEY])])
    brought.update((key, found.get(key)) for key in (*waiting, VERSION_KEY))
    return {key: found[key] for key in keys if key in found}


def _next_change_timestamp():
    upcoming = [moment for moment in (schedule() for schedule in _schedules) if moment]
    return min(upcoming).timestamp() if upcoming else 0


# How long a derived value is kept at most; content changes make it unreachable sooner.
DERIVED_SECONDS = 24 * 3600


def cached_until_changed(
    name, compute, timeout=DERIVED_SECONDS, keep=None, scheduled=True, locked=True
):
    """compute()'s value, kept in the shared cache until content changes (any app server's
    save bumps the version), the next scheduled moment passes, or `timeout` seconds (for values
    that also follow something else, like read counts). `name` says what the value is and must
    tell apart every variant (filters, object). Computed afresh, uncached, when the cache is
    down, or not shared by every process (settings.SHARED_CACHE): slower, never wrong. A value
    for which `keep(value)` is false is not stored. A value no scheduled publication changes
    (the site settings) passes `scheduled=False`, and costs no look-up of the next moment.
    A value cheap to work out from values kept themselves (a part of a page rendered from
    them) passes `locked=False`: readers missing it together each work it out, without the
    two round trips of a lock (worked_out_once()).

    As a page entry, the entry records the version it was worked out under and the moment it
    stops being right: a hit is one round trip (the version and the entry together), the next
    scheduled moment is looked up only to store one."""
    if not settings.SHARED_CACHE:
        return compute()
    key = derived_key(name)
    try:
        found = looked_up([VERSION_KEY, key])
    except Exception:
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    version, entry = found.get(VERSION_KEY), found.get(key)
    if _derived_usable(version, entry):
        return entry["value"]
    if not locked:
        return _worked_out_and_kept(name, key, version, compute, timeout, keep, scheduled)
    with worked_out_once(key, _derived_usable) as entry:
        if entry is not None:
            return entry["value"]
        return _worked_out_and_kept(name, key, version, compute, timeout, keep, scheduled)


def _worked_out_and_kept(name, key, version, compute, timeout, keep, scheduled):
    """compute()'s value, stored under `key` for cached_until_changed()."""
    try:
        if version is None:
            version = content_version()
        # Looked up before computing: a release going live meanwhile ends the entry at once.
        until = next_change(version) if scheduled else 0
    except Exception:
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    value = compute()
    if keep is not None and not keep(value):
        return value
    try:
        stored(key, {"version": version, "value": value, "until": until}, timeout)
    except Exception:
        logger.warning("Could not cache %s", name, exc_info=True)
    return value


def derived_key(name):
    """The cache key of the derived value `name` (cached_until_changed())."""
    return f"derived:{hashlib.sha256(name.encode()).hexdigest()}"


# Values of which there is one per page address (a release, a list page, a page's form) are
# many: each stays this long at most after it was worked out, so that a crawl of the archive
# leaves minutes of them in Redis, not a day's.
PER_ADDRESS_SECONDS = 300


def kept_per_address(name, compute, locked=True, scheduled=True):
    """cached_until_changed() for a value of one page address: kept PER_ADDRESS_SECONDS at
    most, and a value of nothing (None, an empty list: an unknown address or filter) never,
    so that made-up addresses leave nothing behind."""
    return cached_until_changed(
        name,
        compute,
        timeout=PER_ADDRESS_SECONDS,
        keep=bool,
        locked=locked,
        scheduled=scheduled,
    )


# Values keyed on what readers type (a search's words) are countless: each stays a minute at
# most, so that a flood of made-up searches leaves one minute of them in Redis.
PER_QUERY_SECONDS = 60


def kept_per_query(name, compute, scheduled=True):
    """cached_until_changed() for a value of what a reader typed (`name` holds it): kept
    PER_QUERY_SECONDS at most, without a lock (the same words are rarely searched for at the
    same moment), empty values too (a search that finds nothing costs as much as any)."""
    return cached_until_changed(
        name, compute, timeout=PER_QUERY_SECONDS, locked=False, scheduled=scheduled
    )


def _derived_usable(version, entry):
    return (
        entry is not None
        and entry["version"] == version
        and not (entry["until"] and entry["until"] <= timezone.now().timestamp())
    )


# The locks this reader holds (worked_out_once()), each freed with the store of its entry.
_held_locks = contextvars.ContextVar("held_locks", default=frozenset())


@contextlib.contextmanager
def worked_out_once(key, usable):
    """For readers that missed the entry under `key`, on every app server at once: yields None
    to the one that should work it out and store it inside the block with stored() (it holds a
    short lock on the key meanwhile, freed in the same round trip as the entry is stored), and
    to the others, after they waited, the entry it stored, or None when it is slow, died, or
    stored nothing usable (they work it out themselves). A reader taking the lock after another
    holder stored the entry is given that entry.
    `usable(version, entry)` tells whether an entry read with the content version may be used.

    A holder slower than LOCK_SECONDS may free a later holder's lock: one more computation,
    never a wrong value."""
    lock = lock_key(key)
    try:
        held, found = _lock_and_look(lock, key)
    except Exception:
        logger.warning("Cache unavailable for the lock on %s", key, exc_info=True)
        held, found = None, {}
    if held is False:
        yield _stored_meanwhile(key, lock, usable)
        return
    token = _held_locks.set(_held_locks.get() | {lock}) if held else None
    try:
        # A holder that finished between this reader's look and its lock has stored the entry
        # already: used, not worked out a second time.
        yield found[key] if usable(found.get(VERSION_KEY), found.get(key)) else None
    finally:
        if held:
            if lock in _held_locks.get():  # nothing stored: freed on its own
                with contextlib.suppress(Exception):
                    cache.delete(lock)
            _held_locks.reset(token)


def lock_key(key):
    return f"lock:{key}"


def stored(key, entry, timeout, notes=None):
    """cache.set(key, entry, timeout), freeing the lock this reader holds on `key`, if any
    (worked_out_once()), in the same round trip with Redis (core.redis_cache). With Redis,
    `notes` ({key: text}, for its scripts to read) are stored beside the entry for as long."""
    lock = lock_key(key)
    held = lock in _held_locks.get()
    if redis_cache.is_in_use() and (held or notes):
        cache.set_and_delete(key, entry, timeout, lock if held else None, notes)
    else:
        cache.set(key, entry, timeout=timeout)
        if held:
            cache.delete(lock)
    if held:
        _held_locks.set(_held_locks.get() - {lock})


def _lock_and_look(lock, key):
    """Take `lock` if free; whether it was taken, and the version and entry under `key` as they
    are then: one round trip with Redis (core.redis_cache), two with another cache."""
    if redis_cache.is_in_use():
        return cache.add_and_get_many(lock, True, LOCK_SECONDS, [VERSION_KEY, key])
    held = cache.add(lock, True, timeout=LOCK_SECONDS)
    return held, cache.get_many([VERSION_KEY, key]) if held else {}


def _stored_meanwhile(key, lock, usable):
    """The entry the lock's holder stores within WAIT_SECONDS, or None (see worked_out_once)."""
    deadline = time.monotonic() + WAIT_SECONDS
    try:
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            found = cache.get_many([VERSION_KEY, key, lock])
            if usable(found.get(VERSION_KEY), found.get(key)):
                return found[key]
            if lock not in found:  # done, with nothing usable: the page is not kept, say
                return None
    except Exception:
        logger.warning("Cache unavailable while waiting for %s", key, exc_info=True)
    return None
