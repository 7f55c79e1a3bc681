"""A real SMTP server on loopback for tests where the transport matters: what leaves Django is
what a mail server receives, byte for byte.

    from tests.smtp import smtp_server  # noqa: F401  (in a conftest.py)

    def test_something(smtp_server):
        ...
        [message] = smtp_server.messages  # email.message.EmailMessage
        smtp_server.raw[0]                # the bytes as received
"""

import email
import email.policy
import errno

import pytest
from aiosmtpd.controller import Controller

from tests.servers import free_port


class Inbox:
    """Collects every message the server accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def raw(self):
        return [envelope.original_content for envelope in self.envelopes]

    @property
    def messages(self):
        return [email.message_from_bytes(raw, policy=email.policy.default) for raw in self.raw]

    @property
    def recipients(self):
        return [envelope.rcpt_tos for envelope in self.envelopes]


def start_controller(handler, port=None, **options):
    """An aiosmtpd server for `handler` on 127.0.0.1, started on `port` or a free one (its
    `.port`). aiosmtpd connects to its own port to check that it started, so port 0 will not
    do: take a free port, and another if someone took it in between."""
    for _ in range(5):
        controller = Controller(handler, hostname="127.0.0.1", port=port or free_port(), **options)
        try:
            controller.start()
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            port = None
            continue
        return controller
    raise RuntimeError("No free port for the test SMTP server")


@pytest.fixture
def smtp_server(settings):
    """An aiosmtpd server on 127.0.0.1 and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = start_controller(inbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    inbox.port = controller.port
    yield inbox
    controller.stop()
