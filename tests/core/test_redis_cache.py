"""The Redis cache backend makes one redis-py client per connection pool, not one per call, and
sends counts that need no answer without waiting for one."""

import os
import signal
import socket
import threading
import time
import uuid

import pytest
import redis

from core.redis_cache import ReusedClientRedisCache

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    backend = ReusedClientRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    yield backend
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def test_every_call_shares_one_client_and_still_reads_what_it_wrote(redis_cache, monkeypatch):
    made = []
    original = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    redis_cache.set("page", {"content": b"<html>"}, 60)
    redis_cache.set_many({"a": 1, "b": 2}, 60)
    assert redis_cache.get("page") == {"content": b"<html>"}
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert redis_cache.incr("a") == 2
    redis_cache.delete("b")
    assert redis_cache.get("b") is None

    assert len(made) == 1


def test_threads_sharing_the_client_each_get_their_own_values(redis_cache):
    errors = []

    def work(number):
        try:
            for step in range(200):
                redis_cache.set(f"thread-{number}", step, 60)
                assert redis_cache.get(f"thread-{number}") == step
        except Exception as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_counts_sent_unanswered_are_gathered_and_sent_by_the_kernel(redis_cache):
    commands = [("HINCRBY", redis_cache.make_key("counts"), "read", 1)]
    redis_cache.send_unanswered(commands)
    sock = redis_cache._cache._unanswered._sock
    if hasattr(socket, "TCP_CORK"):  # Linux: one packet for many counts
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_CORK) == 1
    redis_cache.send_unanswered(commands)

    assert counted(redis_cache, "counts") == 2  # within the kernel's 200 ms


def test_counts_sent_unanswered_reach_redis_when_the_process_is_killed(redis_cache):
    """What the kernel holds for a process is sent when the process ends, however it ends:
    a worker killed in the middle of its work loses none of the counts it had sent."""
    commands = [("HINCRBY", redis_cache.make_key("counts"), "read", 1)]
    child = os.fork()
    if child == 0:  # pragma: no cover (the child is killed)
        try:
            for _ in range(7):
                redis_cache.send_unanswered(commands)
        finally:
            os.kill(os.getpid(), signal.SIGKILL)
    _, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    assert counted(redis_cache, "counts") == 7


def counted(redis_cache, name, wait=1.0):
    """The count under `name`, once counts sent unanswered have arrived (or `wait` is over)."""
    client = redis.Redis.from_url(REDIS_URL)
    deadline = time.monotonic() + wait
    while True:
        value = int(client.hget(redis_cache.make_key(name), "read") or 0)
        if time.monotonic() > deadline:
            return value
        time.sleep(0.05)
