"""Posting one webhook message: signed as Standard Webhooks says (webhook-id, webhook-timestamp,
webhook-signature: "v1," and the base64 HMAC-SHA256 of "id.timestamp.body" under the secret),
to the address checked when the URL was resolved (api/addresses.py), with a short timeout and
no redirect followed: a 3xx is a failed attempt."""

import http.client
import json
import socket
import ssl
import time

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from standardwebhooks.webhooks import Webhook

from api.addresses import checked_target

TIMEOUT = 10  # seconds to connect, and to wait for each read of the answer
USER_AGENT = "Newsroom-Webhooks/1"


class PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to `address`, whatever `host` resolves to now; Host says `host`."""

    def __init__(self, address, host, port):
        super().__init__(host, port, timeout=TIMEOUT)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to `address`; the certificate is checked against `host` (SNI too)."""

    def __init__(self, address, host, port):
        super().__init__(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


CONNECTIONS = {"http": PinnedHTTPConnection, "https": PinnedHTTPSConnection}


def signed_headers(secret, message_id, moment, body):
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, moment, body),
    }


def post(delivery, now):
    """One attempt: (HTTP status or None, milliseconds or None, error or "")."""
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder, separators=(",", ":"))
    try:
        scheme, host, port, path, address = checked_target(delivery.endpoint.url)
    except ValidationError as refusal:
        return None, None, f"Refused: {refusal.messages[0]}"
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **signed_headers(delivery.endpoint.secret, delivery.message_id, now, body),
    }
    connection = CONNECTIONS[scheme](address, host, port)
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read(65536)
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        return None, _since(started), f"{type(error).__name__}: {error}"[:300]
    finally:
        connection.close()
    if 200 <= status < 300:
        return status, _since(started), ""
    if 300 <= status < 400:
        return status, _since(started), f"HTTP {status}: redirects are not followed"
    return status, _since(started), f"HTTP {status}"


def _since(started):
    return round((time.monotonic() - started) * 1000)
