"""Redis clients: Django's Redis cache with one redis-py client per connection pool instead of
one per call, a lock taken and keys read in one round trip (add_and_get_many), a value stored
and a lock freed in one (set_and_delete), a page looked up and its hit counted in one
(look_up_page), a counter added 1 and its value published in one (incr_and_publish),
commands sent without waiting for an answer (send_unanswered), pub/sub (pubsub, channel), and
a plain client for what the cache's API cannot do (counting in a hash).

Django's RedisCacheClient.get_client() makes a new `redis.Redis` for every cache call, and
redis-py fills a table of some 170 response callbacks each time it makes one: work repeated on
every call for nothing (bench/README.md has what it cost a cached page). A client only hands
out the pool's connections, so one client per pool is safe to share between calls and threads.
"""

import functools
import os
import socket
import threading
import time

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.module_loading import import_string


def is_in_use():
    """Whether the default cache is this module's, with what Django's cache API does not offer
    (the methods of ReusedClientRedisCache). Read from the settings: asked on every page, and
    each attribute of `django.core.cache.cache` looks up this thread's cache again."""
    return _is_ours(settings.CACHES["default"]["BACKEND"])


@functools.cache
def _is_ours(backend):
    return issubclass(import_string(backend), ReusedClientRedisCache)


@functools.cache
def redis_client(url):
    """A client with one connection pool per process and URL: a connection to reuse, not
    state that matters. A slow or unreachable Redis costs half a second at most."""
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


class QuietAfterTimeoutRedis(redis.Redis):
    """A client that, once Redis has let a call time out (alive but not answering: paused, or
    its host gone from the network), fails the calls of the next PAUSE seconds at once instead
    of waiting out the timeout on each: a page makes several cache calls, and each already
    falls back to the database when the cache fails. A refused connection fails fast anyway and
    does not pause. What it keeps in memory is a moment to wait for, never data."""

    PAUSE = 2.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.quiet_until = 0.0

    def execute_command(self, *args, **options):
        if time.monotonic() < self.quiet_until:
            raise redis.TimeoutError("Redis timed out a moment ago: not asked again yet.")
        try:
            return super().execute_command(*args, **options)
        except redis.TimeoutError:
            self.quiet_until = time.monotonic() + self.PAUSE
            raise


# A lock taken (SET NX, with a time limit) and keys read in the same round trip.
ADD_AND_GET = """
local added = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
return {added and 1 or 0, redis.call('MGET', unpack(KEYS, 2))}
"""


# A page's look-up (core.page_cache): the content version (KEYS[1]), the page's entry (KEYS[2])
# and the note stored beside it (KEYS[3]: "<version> <end> <counter> <argument>") read together;
# when the note says the entry is usable at ARGV[1] (stored under the version read, not ended)
# and names one of the counters given, the hit is counted there: each of its fields, "{}"
# replaced by the note's argument, is added 1 in its hash. The counters follow in ARGV (name,
# number of fields, the fields) and in KEYS (their hashes, in the same order).
LOOK_UP_PAGE = """
local found = redis.call('MGET', KEYS[1], KEYS[2], KEYS[3])
local counted = 0
if found[2] and found[3] then
  local version, ends, name, argument = string.match(found[3], '^(%d+) (%S+) (%S+) (%S+)$')
  if version and version == found[1] and tonumber(ends) > tonumber(ARGV[1]) then
    local at, hash = 2, 4
    while at <= #ARGV do
      local fields = tonumber(ARGV[at + 1])
      if ARGV[at] == name then
        for i = at + 2, at + 1 + fields do
          local field = string.gsub(ARGV[i], '{}', function() return argument end)
          redis.call('HINCRBY', KEYS[hash], field, 1)
        end
        counted = 1
      end
      at, hash = at + 2 + fields, hash + 1
    end
  end
end
return {found[1], found[2], counted}
"""


# A counter added 1 (0 when missing) and its new value published on a channel (ARGV[1]), in
# one step: every listener hears the values in the order they were reached.
INCR_AND_PUBLISH = """
local value = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], value)
return value
"""


def corked(connection):
    """Have the kernel gather what is sent on `connection` (TCP_CORK, on Linux): it sends a
    full segment or what it holds after 200 ms at most, and what it holds when the process ends,
    however it ends (the socket is closed by the kernel). Redis is woken once for many counts
    instead of once for each: a wake-up cost more than the count (bench/README.md)."""
    sock = connection._sock
    if hasattr(socket, "TCP_CORK") and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)


class ReusedClientCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._client = QuietAfterTimeoutRedis
        self._clients = {}
        self._scripts = {}
        self._unanswered = None
        # The same counts are sent again and again (a release's read in this hour): packed once.
        self._packed = None
        self._unanswered_lock = threading.Lock()

    def send_unanswered(self, commands):
        with self._unanswered_lock:
            connection = self._unanswered
            if connection is None or connection.pid != os.getpid():
                pool = self._get_connection_pool(True)
                connection = pool.connection_class(**pool.connection_kwargs)
                connection.connect()
                connection.send_command("CLIENT", "REPLY", "OFF")
                corked(connection)
                self._unanswered = connection
                self._packed = functools.lru_cache(maxsize=1024)(connection.pack_commands)
            try:
                # No health check: its PING would wait for an answer that never comes.
                connection.send_packed_command(self._packed(tuple(commands)), check_health=False)
            except Exception:
                connection.disconnect()
                self._unanswered = None
                raise

    def _script(self, client, source):
        script = self._scripts.get((client, source))
        if script is None:
            script = self._scripts[client, source] = client.register_script(source)
        return script

    def add_and_get_many(self, key, value, timeout, keys):
        script = self._script(self.get_client(key, write=True), ADD_AND_GET)
        added, values = script(keys=[key, *keys], args=[self._serializer.dumps(value), timeout])
        loads = self._serializer.loads
        found = {k: loads(v) for k, v in zip(keys, values, strict=True) if v is not None}
        return bool(added), found

    def set_and_delete(self, key, value, timeout, other=None, notes=None):
        pipeline = self.get_client(key, write=True).pipeline(transaction=False)
        if timeout == 0:  # as Django's set(): nothing kept
            pipeline.delete(key, *(notes or ()))
        else:
            pipeline.set(key, self._serializer.dumps(value), ex=timeout)
            for note, text in (notes or {}).items():
                pipeline.set(note, text, ex=timeout)
        if other is not None:
            pipeline.delete(other)
        pipeline.execute()

    def look_up_page(self, keys, now, counters):
        script = self._script(self.get_client(keys[0], write=True), LOOK_UP_PAGE)
        args = [repr(now)]
        for name, _, fields in counters:
            args += [name, len(fields), *fields]
        hashes = [hash_key for _, hash_key, _ in counters]
        version, entry, counted = script(keys=[*keys, *hashes], args=args)
        loads = self._serializer.loads
        return (
            None if version is None else loads(version),
            None if entry is None else loads(entry),
            bool(counted),
        )

    def incr_and_publish(self, key, channel):
        script = self._script(self.get_client(key, write=True), INCR_AND_PUBLISH)
        return script(keys=[key], args=[channel])

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientCacheClient

    def add_and_get_many(self, key, value, timeout, keys):
        """add(key, value, timeout), and get_many(keys) as they are once it is done, in one
        round trip: (whether it was added, {key: value found})."""
        made = {self.make_and_validate_key(k): k for k in keys}
        added, found = self._cache.add_and_get_many(
            self.make_and_validate_key(key), value, self.get_backend_timeout(timeout), list(made)
        )
        return added, {made[k]: v for k, v in found.items()}

    def set_and_delete(self, key, value, timeout, other=None, notes=None):
        """set(key, value, timeout), and delete(other), in one round trip; with `notes`
        ({key: text}) each text stored beside the value for as long, as it is (not serialized),
        for a script to read (look_up_page())."""
        self._cache.set_and_delete(
            self.make_and_validate_key(key),
            value,
            self.get_backend_timeout(timeout),
            None if other is None else self.make_and_validate_key(other),
            {self.make_and_validate_key(k): text for k, text in (notes or {}).items()},
        )

    def look_up_page(self, version_key, key, note_key, now, counters):
        """The values under `version_key` and `key` (None when missing), and whether the hit
        was counted, in one round trip: with the note under `note_key` saying the entry is
        usable at the timestamp `now` and naming one of `counters` ([(name, hash key, fields)]),
        that counter's fields are each added 1 (LOOK_UP_PAGE)."""
        keys = [self.make_and_validate_key(k) for k in (version_key, key, note_key)]
        return self._cache.look_up_page(keys, now, counters)

    def incr_and_publish(self, key, channel):
        """incr(key), 1 for a missing key, its new value published on the Redis channel
        `channel` in the same step: one round trip."""
        return self._cache.incr_and_publish(self.make_and_validate_key(key), channel)

    def pubsub(self):
        """A redis-py PubSub on the cache's Redis, for listening on a channel."""
        return self._cache.get_client(write=True).pubsub()

    def send_unanswered(self, commands):
        """Send `commands` ([("HINCRBY", key, field, 1), ...], keys as Redis has them) on this
        process's connection whose replies Redis turns off (CLIENT REPLY OFF): sent, never
        waited for. For counts that need no answer; a connection that fails raises, and is made
        again for the next."""
        self._cache.send_unanswered(commands)

    def channel(self, name):
        """The name of a pub/sub channel for `name`, as a key's is made (the key prefix), and
        with the database number: Redis's channels are shared by all its databases."""
        database = self._cache._get_connection_pool(False).connection_kwargs.get("db", 0)
        return f"{database}:{self.make_and_validate_key(name)}"
