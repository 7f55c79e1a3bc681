"""Redis clients: Django's Redis cache with one redis-py client per connection pool instead of
one per call, and a plain client for what the cache's API cannot do (counting in a hash).

Django's RedisCacheClient.get_client() makes a new `redis.Redis` for every cache call, and
redis-py fills a table of some 170 response callbacks each time it makes one: work repeated on
every call for nothing (bench/README.md has what it cost a cached page). A client only hands
out the pool's connections, so one client per pool is safe to share between calls and threads.
"""

import functools

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


@functools.cache
def redis_client(url):
    """A client with one connection pool per process and URL: a connection to reuse, not
    state that matters. A slow or unreachable Redis costs half a second at most."""
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


class ReusedClientCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
