"""Each process's copies of the pages it last served from the page cache, served again without
a round trip to Redis.

A page served from the page cache costs one round trip to Redis, for the content version and
the page's entry: `make bench` measured that round trip as the larger half of a hit's cost.
Each process keeps copies of the PAGE_COPIES pages it served last (found usable in Redis
first), and serves one again while the content version it was stored under is still current.

The process knows the current version without asking: every change of it is published on a
Redis channel (new_content_version()), and a thread of each process listens. The copies are
served only while that thread hears from Redis (it pings every second; LISTENER_SILENCE):
if the connection is lost or Redis stops answering, every page is looked up in Redis again,
as without copies. A change made in this process is known at once; one made on another app
server, as soon as its message arrives (a millisecond on a network, well within the time
browsers and CDNs may keep a page: its Cache-Control max-age).

A hit of a copy whose hits are counted (a release's read) is counted in Redis all the same,
sent on a connection whose replies Redis turns off: sent, never waited for. What a process
keeps is a copy of what Redis holds, dropped at each change of the content version: nothing
that matters is lost with the process.
"""

import collections
import logging
import os
import threading
import time

from django.conf import settings
from django.core.cache import cache

from core import redis_cache

logger = logging.getLogger(__name__)

VERSION_KEY = "pages:version"
# Seconds without a word from Redis after which the listener is taken for deaf.
LISTENER_SILENCE = 3.0
PING_SECONDS = 1.0
RETRY_SECONDS = 1.0

_lock = threading.Lock()
_copies = collections.OrderedDict()
# The current content version as this process last heard it, and when it last heard from Redis.
_heard = {"version": None, "at": 0.0, "pid": None}
_listener = None
_stop = threading.Event()
# The listener's PubSub, while it listens.
_subscription = None


def channel():
    """Where changes of the content version are published: named after the cache's key prefix
    and database, so that sites sharing a Redis do not hear each other."""
    return cache.channel(f"{VERSION_KEY}:changes")


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def is_on():
    return settings.PAGE_COPIES > 0 and redis_cache.is_in_use()


def new_content_version():
    """Add 1 to the content version (1 when there is none yet). With Redis every process is
    told in the same round trip, in the order of the versions, and this one drops its copies
    at once."""
    if not redis_cache.is_in_use():
        try:
            return cache.incr(VERSION_KEY)
        except ValueError:  # no version stored yet: nothing is cached under one either
            cache.add(VERSION_KEY, 1, timeout=None)
            return 1
    version = cache.incr_and_publish(VERSION_KEY, channel())
    _heard_version(version, heard_from_redis=False)
    return version


def copy_of(key, now):
    """The entry kept in this process for the page `key`, if it was stored under the version
    current now and has not ended at the timestamp `now`; None otherwise."""
    if not is_on():
        return None
    listening()
    with _lock:
        version, heard_at = _heard["version"], _heard["at"]
        entry = _copies.get(key)
        if entry is not None:
            _copies.move_to_end(key)
    # Every copy is of the version heard: keep_copy() keeps no other, and a new one drops them.
    if entry is None or version is None or time.monotonic() - heard_at > LISTENER_SILENCE:
        return None
    return entry if now < entry["expires"] else None


def keep_copy(key, version, entry):
    """Keep `entry`, found usable in Redis under `version`, for copy_of(): only when that is the
    version this process knows."""
    if not is_on():
        return
    with _lock:
        if _heard["version"] != version:
            return
        _copies[key] = entry
        _copies.move_to_end(key)
        while len(_copies) > settings.PAGE_COPIES:
            _copies.popitem(last=False)


def _heard_version(version, heard_from_redis=True):
    with _lock:
        if version != _heard["version"]:
            _copies.clear()
        _heard["version"] = version
        if heard_from_redis:
            _heard["at"] = time.monotonic()


def _heard_from_redis():
    with _lock:
        _heard["at"] = time.monotonic()


def _deaf():
    with _lock:
        _copies.clear()
        _heard["version"], _heard["at"] = None, 0.0


def listening():
    """Start this process's listener if it has none (a process forked from one that had one
    has its copies and its listener dropped)."""
    global _listener
    if _heard["pid"] == os.getpid() and _listener is not None and _listener.is_alive():
        return
    with _lock:
        if _heard["pid"] != os.getpid():
            _copies.clear()
            _heard.update(version=None, at=0.0, pid=os.getpid())
            _listener = None
        if _listener is None or not _listener.is_alive():
            _listener = threading.Thread(target=_listen, name="page-copies", daemon=True)
            _listener.start()


def stop_listening():
    """Stop this process's listener and drop its copies (a test's end, a process's)."""
    global _listener
    _stop.set()
    if _listener is not None:
        _listener.join(timeout=5)
    _listener = None
    _deaf()
    _stop.clear()


def _listen():
    warned = False
    while not _stop.is_set():
        try:
            _listen_once()
        except Exception:
            # Once an outage, not at each retry: the listener tries again every second.
            if not warned or _heard["version"] is not None:
                logger.warning("Not hearing content version changes: pages looked up in Redis")
                warned = True
        _deaf()
        _stop.wait(RETRY_SECONDS)


def _listen_once():
    global _subscription
    pubsub = _subscription = cache.pubsub()
    try:
        pubsub.subscribe(channel())
        confirmed = pubsub.get_message(timeout=RETRY_SECONDS)
        if confirmed is None or confirmed["type"] != "subscribe":
            raise ConnectionError("The subscription was not confirmed.")
        # Read once subscribed, so no change made in between is missed.
        _heard_version(content_version())
        pinged = time.monotonic()
        while not _stop.is_set():
            message = pubsub.get_message(timeout=PING_SECONDS)
            if message is not None and message["type"] == "message":
                _heard_version(int(message["data"]))
            elif message is not None and message["type"] == "pong":
                _heard_from_redis()
            if time.monotonic() - pinged >= PING_SECONDS:
                pubsub.ping()
                pinged = time.monotonic()
    finally:
        pubsub.close()
