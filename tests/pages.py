"""Asking for pages as the tests do: a page's text once it has answered 200, the queries it
took, the Redis round trips, the templates it rendered, the messages it showed, and a client
signed in as someone.

    from tests.pages import count_queries, get_page
"""

import contextlib
import threading

import redis
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext


@contextlib.contextmanager
def renders_of(name):
    """A list of the renders of template `name` while the block runs, in any thread (Django's
    template_rendered signal, sent under the test runner): it tells a page rendered from one
    served from the cache when neither makes a query."""
    renders = []

    def rendered(sender, template, **kwargs):
        if template.name == name:
            renders.append(name)

    template_rendered.connect(rendered)
    try:
        yield renders
    finally:
        template_rendered.disconnect(rendered)


@contextlib.contextmanager
def redis_round_trips():
    """A list with an entry for each round trip to Redis while the block runs: a command, a
    script or a whole pipeline sent."""
    with _calls_of("send_packed_command") as made:
        yield made


@contextlib.contextmanager
def redis_answers_awaited():
    """A list with an entry for each answer from Redis this thread waits for while the block
    runs: one per round trip it makes, none for a command sent on a connection whose replies
    are off, none for another thread's (a listener's pings)."""
    with _calls_of("read_response", this_thread_only=True) as made:
        yield made


@contextlib.contextmanager
def _calls_of(method, this_thread_only=False):
    """A list with an entry for each call of redis-py's Connection.`method` while the block
    runs (in this thread only, or in any)."""
    made, me = [], threading.get_ident()
    original = getattr(redis.connection.Connection, method)

    def counted(self, *args, **kwargs):
        if not this_thread_only or threading.get_ident() == me:
            made.append(1)
        return original(self, *args, **kwargs)

    setattr(redis.connection.Connection, method, counted)
    try:
        yield made
    finally:
        setattr(redis.connection.Connection, method, original)


def get_page(client, url):
    """The text of the page at `url`, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def count_queries(client, url):
    """The queries the page at `url` took (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        get_page(client, url)
    return len(queries)


def messages_of(response):
    """The messages (django.contrib.messages) the response's page shows."""
    return [str(message) for message in response.context["messages"]]


def logged_in(user):
    """A client signed in as `user` (force_login: hashing a password costs time)."""
    client = Client()
    client.force_login(user)
    return client
