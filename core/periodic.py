"""Work the dispatcher (`run_dispatcher`, in contacts) does on each turn for apps it may not
import: an app registers it from its AppConfig.ready(), as it registers what empties the page
cache. A job decides itself whether it is due (e.g. with cache.add and a timeout)."""

import logging

logger = logging.getLogger(__name__)

_jobs = []


def on_dispatch(job):
    """Call `job(now)` on each of the dispatcher's turns."""
    _jobs.append(job)


def run(now):
    for job in _jobs:
        try:
            job(now)
        except Exception:  # one app's trouble must not stop the dispatcher's sends
            logger.exception("A periodic job failed: %s", job)
