"""A real SMTP server on loopback for the sending tests (aiosmtpd). It keeps every message as
received, byte for byte, and can refuse or greylist addresses, offer SMTPUTF8 or not, slow down,
and hold the n-th message while a test kills the worker sending it.

    with Sink() as sink:
        use_sink(settings, sink)   # Django's SMTP backend pointed at it
        ...
        assert sink.count_by_recipient() == {...}
"""

import asyncio
import collections
import email
import email.policy
import os
import re
import threading
from email.header import decode_header, make_header

from tests.servers import database_url, free_port
from tests.smtp import start_controller


class Sink:
    def __init__(self, smtputf8=False, delay=0.0, refuse=(), greylist=(), port=None):
        self.smtputf8, self.delay = smtputf8, delay
        self.refuse, self.greylist, self.greylisted = set(refuse), set(greylist), set()
        self.port = port or free_port()
        self.received = []  # (envelope recipients, raw bytes), in order of acceptance
        self.data_count = 0  # DATA commands seen, accepted or not
        self.hold_at = None  # the DATA number to hold until `resume` is set
        self.accept_held = False  # accept (record) the held message before holding it
        self.holding, self.resume = threading.Event(), threading.Event()
        self.controller = None

    def hold(self, number, accept=False):
        self.hold_at, self.accept_held = number, accept

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        if address in self.greylist and address not in self.greylisted:
            self.greylisted.add(address)
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.data_count += 1
        held = self.data_count == self.hold_at
        if held and not self.accept_held:
            # The worker is killed while the server has the message but has not accepted it.
            self.holding.set()
            await asyncio.to_thread(self.resume.wait, 30)
            return "451 4.3.0 Not accepted"
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        if held:
            # Accepted, but the worker dies before it reads the reply.
            self.holding.set()
            await asyncio.to_thread(self.resume.wait, 30)
        return "250 OK"

    def start(self):
        self.controller = start_controller(self, self.port, enable_SMTPUTF8=self.smtputf8)
        self.port = self.controller.port  # another, if someone took this one in between
        return self

    def stop(self):
        self.resume.set()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def recipients(self):
        return [address for tos, _ in self.received for address in tos]

    def count_by_recipient(self):
        return dict(collections.Counter(self.recipients()))

    def messages(self):
        return [
            email.message_from_bytes(raw, policy=email.policy.default) for _, raw in self.received
        ]

    def message_to(self, address):
        [message] = [
            email.message_from_bytes(raw, policy=email.policy.default)
            for tos, raw in self.received
            if address in tos
        ]
        return message

    def raw_to(self, address):
        [raw] = [raw for tos, raw in self.received if address in tos]
        return raw


def use_sink(settings, sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def header_text(raw, name):
    """A header of a raw message as a reader's mail client shows it: unfolded, RFC 2047 words
    decoded and joined (the `email` package's modern parser puts spaces between them)."""
    unfolded = re.sub(rb"\r\n[ \t]", b" ", raw.split(b"\r\n\r\n", 1)[0])
    prefix = name.encode().lower() + b":"
    [value] = [
        line[len(prefix) :] for line in unfolded.split(b"\r\n") if line.lower().startswith(prefix)
    ]
    return str(make_header(decode_header(value.decode().strip())))


def raw_headers(raw):
    """The header lines of a raw message, as sent: folded lines kept apart."""
    return raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


def worker_env(sink, **extra):
    """The environment of a worker process using the test database and the sink (PostgreSQL:
    the test database is a real one other processes can open)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        TESTING="True",
        DATABASE_URL=database_url(),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        EMAIL_USE_TLS="False",
        **extra,
    )
    env.pop("TASKS_BACKEND", None)
    return env
