"""Redis clients: Django's Redis cache with one redis-py client per connection pool instead of
one per call, a lock taken and keys read in one round trip (add_and_get_many), a value stored
and a lock freed in one (set_and_delete), and a plain client for what the cache's API cannot do
(counting in a hash).

Django's RedisCacheClient.get_client() makes a new `redis.Redis` for every cache call, and
redis-py fills a table of some 170 response callbacks each time it makes one: work repeated on
every call for nothing (bench/README.md has what it cost a cached page). A client only hands
out the pool's connections, so one client per pool is safe to share between calls and threads.
"""

import functools
import time

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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


class ReusedClientCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._client = QuietAfterTimeoutRedis
        self._clients = {}
        self._scripts = {}

    def add_and_get_many(self, key, value, timeout, keys):
        client = self.get_client(key, write=True)
        script = self._scripts.get(client)
        if script is None:
            script = self._scripts[client] = client.register_script(ADD_AND_GET)
        added, values = script(keys=[key, *keys], args=[self._serializer.dumps(value), timeout])
        loads = self._serializer.loads
        found = {k: loads(v) for k, v in zip(keys, values, strict=True) if v is not None}
        return bool(added), found

    def set_and_delete(self, key, value, timeout, other):
        pipeline = self.get_client(key, write=True).pipeline(transaction=False)
        if timeout == 0:  # as Django's set(): nothing kept
            pipeline.delete(key)
        else:
            pipeline.set(key, self._serializer.dumps(value), ex=timeout)
        pipeline.delete(other)
        pipeline.execute()

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

    def set_and_delete(self, key, value, timeout, other):
        """set(key, value, timeout) and delete(other), in one round trip."""
        self._cache.set_and_delete(
            self.make_and_validate_key(key),
            value,
            self.get_backend_timeout(timeout),
            self.make_and_validate_key(other),
        )
