"""Settings of the worker processes the dead-worker tests start: the site's own, with a worker
(and its claims on emails) taken for dead after two seconds instead of twenty, so that a test
sees recovery at once. The test itself sets the same value with the `settings` fixture."""

from newsroom.settings import *  # noqa: F403

WORKER_TIMEOUT_SECONDS = 2
