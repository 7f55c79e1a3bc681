"""Work other apps do on each turn of the dispatcher (`manage.py run_dispatcher`, in contacts,
every 30 seconds): an app that must look at the clock (a scheduled release going live at its
minute, rollups due every few minutes) registers it from its AppConfig.ready(), as it tells
core/caching.py its schedule, and the dispatcher runs it without knowing the app. A piece of
work decides itself whether it is due (e.g. with cache.add and a timeout)."""

import logging

logger = logging.getLogger(__name__)

_work = []


def on_each_turn(work):
    """Call `work(now)` on every turn of the dispatcher."""
    if work not in _work:
        _work.append(work)


def run_each_turn(now):
    for work in _work:
        try:
            work(now)
        except Exception:  # one app's trouble must not stop the dispatcher's sends
            logger.exception("Work on the dispatcher's turn failed: %s", work)
