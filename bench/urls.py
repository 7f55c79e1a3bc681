"""The site's URLs plus the floor: /bench/floor/, mounted only under bench.settings; with
BENCH_SERVE_MEDIA, the uploaded pictures too.

The floor is the fastest page Django can serve: the same server and the same bytes as a release
page, but no middleware (bench/wsgi.py serves it without), no database, no template and no
cache. Each page's requests per second are reported as a share of the floor's, measured in the
same run, which is what makes figures from a shared, noisy machine comparable.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import path, re_path
from django.views.static import serve

from bench.server import FLOOR
from newsroom.urls import urlpatterns as site_urlpatterns


@functools.cache
def floor_bytes():
    """Read once per worker, at the first request, from the file bench/run.py wrote."""
    return Path(settings.BENCH_FLOOR_FILE).read_bytes()


def floor_view(request):
    return HttpResponse(floor_bytes(), content_type="text/html; charset=utf-8")


urlpatterns = [path(FLOOR.lstrip("/"), floor_view, name="bench-floor"), *site_urlpatterns]

if settings.BENCH_SERVE_MEDIA:
    # The demo's pictures, for the screenshots and the audit, which run with DEBUG off as
    # production does (where the web server or the object store serves media).
    urlpatterns.insert(
        0,
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    )
