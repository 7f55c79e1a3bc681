"""Redis clients: Django's Redis cache with one redis-py client per connection pool instead of
one per call, and a plain client for what the cache's API cannot do (counting in a hash).

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


class ReusedClientCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._client = QuietAfterTimeoutRedis
        self._clients = {}

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
