"""Work done once a response has been sent, so that it never delays the reader.

Django sends `request_finished` when the server closes the response, after the last byte has
gone out, in the thread that handled the request. Callbacks wait in a context variable of that
thread until then; `request_started` clears what an earlier request may have left.
"""

import contextvars
import logging

from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)

_waiting = contextvars.ContextVar("after_response", default=None)


def after_response(callback):
    """Call `callback()` once the response being made now has been sent."""
    waiting = _waiting.get()
    if waiting is None:
        waiting = []
        _waiting.set(waiting)
    waiting.append(callback)


def _forget(**kwargs):
    _waiting.set(None)


def _run(**kwargs):
    waiting = _waiting.get()
    _waiting.set(None)
    for callback in waiting or ():
        try:
            callback()
        except Exception:  # one callback's trouble must not stop the others
            logger.exception("Work after the response failed")


request_started.connect(_forget, dispatch_uid="core.after_response.forget")
request_finished.connect(_run, dispatch_uid="core.after_response.run")
