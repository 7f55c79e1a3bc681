"""Settings for `make bench` (bench/run.py): the site's own settings, read from the environment
as in production, plus what a benchmark needs and the site must never have:

- ROOT_URLCONF bench.urls, which adds the floor page /bench/floor/;
- with BENCH_STATEMENT_TIMEOUT_MS, a ceiling on each SQL statement.

(The harness collects static files into a temporary directory of its own through the site's
STATIC_ROOT variable, leaving the repository's staticfiles/ alone.)
"""

import os

from newsroom.settings import *  # noqa: F403
from newsroom.settings import DATABASES

ROOT_URLCONF = "bench.urls"
# The bytes /bench/floor/ returns: a release page, saved by bench/run.py before the server starts.
BENCH_FLOOR_FILE = os.environ.get("BENCH_FLOOR_FILE", "")
# Serve MEDIA_ROOT at MEDIA_URL (bench.urls) with DEBUG off: the screenshots and the audit show
# the demo's pictures.
BENCH_SERVE_MEDIA = os.environ.get("BENCH_SERVE_MEDIA") == "1"

# A ceiling on each SQL statement (milliseconds), so a page whose query runs away fails in
# bounded time instead of holding a worker (and the benchmark) for minutes.
statement_timeout = os.environ.get("BENCH_STATEMENT_TIMEOUT_MS")
if statement_timeout and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    database_options["options"] = (
        f"{database_options.get('options', '')} -c statement_timeout={statement_timeout}"
    )
