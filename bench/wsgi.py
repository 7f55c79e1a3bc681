"""The benchmark's WSGI application: the site exactly as newsroom.wsgi serves it, except the
floor (/bench/floor/), which Django serves with no middleware at all, as the issue's reference
floor ("a bare Django view returning the same bytes, no middleware") was measured.
"""

import os

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler

from bench.server import FLOOR

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from newsroom.wsgi import application as site  # noqa: E402 (the settings are chosen first)


class WithoutMiddleware(WSGIHandler):
    """Django's own request handling (URL routing, the view, the response) and nothing else."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)


floor = WithoutMiddleware()


def application(environ, start_response):
    handler = floor if environ.get("PATH_INFO") == FLOOR else site
    return handler(environ, start_response)
