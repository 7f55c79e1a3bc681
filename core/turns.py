"""Work other apps do on each turn of the dispatcher (`manage.py run_dispatcher`, every 30
seconds): an app that must look at the clock (a scheduled release going live at its minute)
registers it from its AppConfig.ready(), as it tells core/caching.py its schedule, and the
dispatcher runs it without knowing the app."""

_work = []


def on_each_turn(work):
    """Call `work(now)` on every turn of the dispatcher."""
    if work not in _work:
        _work.append(work)


def run_each_turn(now):
    for work in _work:
        work(now)
