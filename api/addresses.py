"""Where a partner's webhook URL may point: only at public internet addresses.

A URL whose host resolves to a private, loopback, link-local (the cloud metadata service at
169.254.169.254 among them), unique-local, multicast, reserved or unspecified address is
refused when it is saved, and again when a delivery is made: the name is resolved once and
the connection goes to the address checked, so a name that later resolves elsewhere (DNS
rebinding) reaches nothing it should not. Loopback is allowed only with
WEBHOOKS_ALLOW_LOOPBACK, for tests and local development.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

DEFAULT_PORTS = {"http": 80, "https": 443}


def resolve(host, port):
    """Every address `host` resolves to. Tests replace this to answer without DNS."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def refusal(address):
    """Why webhooks may not go to `address` (an IP address string), or "" if they may."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "" if settings.WEBHOOKS_ALLOW_LOOPBACK else "a loopback address"
    if ip.is_link_local:
        return "a link-local address (such as the cloud metadata service)"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return "a private or reserved address"
    return ""


def checked_target(url):
    """(scheme, host, port, path, address): where to deliver `url`, the host resolved once and
    its address checked. Raises ValidationError, with the reason, for a URL that may not be
    used."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValidationError("Enter an http:// or https:// address.")
    if parts.username or parts.password:
        raise ValidationError("The address may not carry a user name or password.")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise ValidationError("The port is not a number.") from None
    try:
        addresses = resolve(parts.hostname, port)
    except (OSError, UnicodeError):
        raise ValidationError(f"“{parts.hostname}” does not resolve to an address.") from None
    if not addresses:
        raise ValidationError(f"“{parts.hostname}” does not resolve to an address.")
    for address in addresses:
        if reason := refusal(address):
            raise ValidationError(
                f"“{parts.hostname}” resolves to {address}, {reason}: webhooks only go to "
                "public internet addresses."
            )
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return parts.scheme, parts.hostname, port, path, addresses[0]


def validate_webhook_url(url):
    """The form and model check of a partner's URL (see checked_target)."""
    checked_target(url)
