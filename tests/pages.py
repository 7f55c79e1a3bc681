"""Asking for pages as the tests do: a page's text once it has answered 200, the queries it
took, the Redis round trips, the templates it rendered, the messages it showed, and a client
signed in as someone.

    from tests.pages import count_queries, get_page
"""

import contextlib

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
    made = []
    send = redis.connection.Connection.send_packed_command

    def counted(self, *args, **kwargs):
        made.append(1)
        return send(self, *args, **kwargs)

    redis.connection.Connection.send_packed_command = counted
    try:
        yield made
    finally:
        redis.connection.Connection.send_packed_command = send


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
