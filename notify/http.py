"""The one client for outbound HTTP to addresses that users configure (webhooks).

Targets that resolve to private, loopback, link-local, multicast or reserved
addresses are refused unless ``WEBHOOK_ALLOWED_NETWORKS`` lists them: an administrator
must not be able to make the server call into its own network. The check runs when an
endpoint is saved and again before every delivery (DNS may have changed).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings

USER_AGENT = "Fantasize-Webhooks/1"


class UnsafeUrlError(ValueError):
    pass


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(network, strict=False)
        for network in settings.WEBHOOK_ALLOWED_NETWORKS
    ]


def url_check(url: str) -> None:
    """Raise UnsafeUrlError unless every address ``url`` resolves to may be called."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeUrlError("Only http and https URLs with a host are allowed.")
    if parts.username or parts.password:
        raise UnsafeUrlError("URLs must not contain credentials.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, ValueError) as error:
        raise UnsafeUrlError(f"The host does not resolve: {error}") from None
    allowed = _allowed_networks()
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if getattr(address, "ipv4_mapped", None):
            address = address.ipv4_mapped
        if any(address in network for network in allowed):
            continue
        if not address.is_global or address.is_multicast:
            raise UnsafeUrlError(
                f"{parts.hostname} resolves to {address}, a non-public address."
            )


def post(url: str, *, body: bytes, headers: dict[str, str]) -> requests.Response:
    """POST ``body`` after the address check; no redirects, short timeouts."""
    url_check(url)
    return requests.post(
        url,
        data=body,
        headers={"User-Agent": USER_AGENT, **headers},
        timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_READ_TIMEOUT),
        allow_redirects=False,
    )
