"""The site's URLs plus the floor: /bench/floor/, mounted only under bench.settings.

The floor is the fastest page Django can serve: the same server and the same bytes as a release
page, but no middleware (bench/wsgi.py serves it without), no database, no template and no
cache. Each page's requests per second are reported as a share of the floor's, measured in the
same run, which is what makes figures from a shared, noisy machine comparable.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from bench.server import FLOOR
from newsroom.urls import urlpatterns as site_urlpatterns


@functools.cache
def floor_bytes():
    """Read once per worker, at the first request, from the file bench/run.py wrote."""
    return Path(settings.BENCH_FLOOR_FILE).read_bytes()


def floor_view(request):
    return HttpResponse(floor_bytes(), content_type="text/html; charset=utf-8")


urlpatterns = [path(FLOOR.lstrip("/"), floor_view, name="bench-floor"), *site_urlpatterns]
