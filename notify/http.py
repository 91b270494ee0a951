"""The one client for outbound HTTP to addresses that users configure (webhooks).

Targets that resolve to private, loopback, link-local, multicast or reserved
addresses are refused unless ``WEBHOOK_ALLOWED_NETWORKS`` lists them: an administrator
must not be able to make the server call into its own network. The check runs when an
endpoint is saved and again before every delivery (DNS may have changed).

A delivery resolves the host once, vets the addresses, and connects to a vetted
address itself: nothing resolves the name a second time, so a rebinding DNS answer
cannot swap in an internal address between the check and the connection. The Host
header, TLS SNI and the certificate check still use the hostname, and the peer of
the connected socket is checked again before anything is sent.
"""

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

USER_AGENT = "Fantasize-Webhooks/1"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# NAT64 prefixes (RFC 6052 well-known, RFC 8215 local use): the IPv4 address a
# translator would reach sits inside the IPv6 one.
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


class UnsafeUrlError(ValueError):
    pass


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(network, strict=False)
        for network in settings.WEBHOOK_ALLOWED_NETWORKS
    ]


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, NAT64 or 6to4 IPv6 address leads to."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address in NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in NAT64_LOCAL_USE:
        # RFC 6052 with a /48 prefix: IPv4 bits 0-15 in bits 48-63, 16-31 in 72-87.
        value = int(address)
        high = (value >> 64) & 0xFFFF
        low = (value >> 40) & 0xFFFF
        return ipaddress.IPv4Address((high << 16) | low)
    if address in SIX_TO_FOUR:
        return address.sixtofour
    return None


def address_allowed(address: IPAddress) -> bool:
    """Whether a webhook may connect to ``address``."""
    if any(address in network for network in _allowed_networks()):
        return True
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            return address_allowed(embedded)
        # A translated address is only as public as the IPv4 address inside it.
        if not address_allowed(embedded):
            return False
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class VettedUrl:
    hostname: str
    port: int
    addresses: tuple[str, ...]


def url_check(url: str) -> VettedUrl:
    """Resolve ``url``'s host once; raise UnsafeUrlError unless every address is allowed."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeUrlError("Only http and https URLs with a host are allowed.")
    if parts.username or parts.password:
        raise UnsafeUrlError("URLs must not contain credentials.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, ValueError, UnicodeError) as error:
        raise UnsafeUrlError(f"The host does not resolve: {error}") from None
    addresses: list[str] = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]
        address = ipaddress.ip_address(text)
        if not address_allowed(address):
            raise UnsafeUrlError(
                f"{parts.hostname} resolves to {address}, a non-public address."
            )
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise UnsafeUrlError(f"{parts.hostname} has no address.")
    return VettedUrl(hostname=parts.hostname, port=port, addresses=tuple(addresses))


def _pinned_socket(connection: HTTPConnection, address: str) -> socket.socket:
    """A TCP socket to ``address`` itself (no name lookup), its peer checked."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if connection.timeout is not None:
            sock.settimeout(connection.timeout)
        sock.connect((address, connection.port))
        peer = ipaddress.ip_address(str(sock.getpeername()[0]).split("%", 1)[0])
        if peer != ipaddress.ip_address(address):
            raise NewConnectionError(
                connection, f"Connected to {peer}, not the vetted {address}."
            )
        if not address_allowed(peer):
            raise NewConnectionError(
                connection, f"Connected to {peer}, a non-public address."
            )
    except TimeoutError as error:
        sock.close()
        raise ConnectTimeoutError(
            connection, f"Connection to {connection.host} timed out."
        ) from error
    except OSError as error:
        sock.close()
        raise NewConnectionError(
            connection, f"Failed to establish a new connection: {error}"
        ) from error
    except NewConnectionError:
        sock.close()
        raise
    return sock


class _PinnedHTTPConnection(HTTPConnection):
    pinned_address = ""

    def _new_conn(self) -> socket.socket:
        return _pinned_socket(self, self.pinned_address)


class _PinnedHTTPSConnection(HTTPSConnection):
    pinned_address = ""

    def _new_conn(self) -> socket.socket:
        return _pinned_socket(self, self.pinned_address)


class PinnedAddressAdapter(HTTPAdapter):
    """A requests adapter whose connections go to one vetted address.

    urllib3 keeps ``host`` as the URL's hostname, so the Host header, SNI and the
    certificate's hostname check are those of the URL; only the TCP connection is
    pinned.
    """

    def __init__(self, address: str, **kwargs: Any) -> None:
        self.address = address
        super().__init__(max_retries=0, **kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        address = self.address
        http_connection = type(
            "PinnedHTTPConnection",
            (_PinnedHTTPConnection,),
            {"pinned_address": address},
        )
        https_connection = type(
            "PinnedHTTPSConnection",
            (_PinnedHTTPSConnection,),
            {"pinned_address": address},
        )
        self.poolmanager.pool_classes_by_scheme = {
            "http": type(
                "PinnedHTTPConnectionPool",
                (HTTPConnectionPool,),
                {"ConnectionCls": http_connection},
            ),
            "https": type(
                "PinnedHTTPSConnectionPool",
                (HTTPSConnectionPool,),
                {"ConnectionCls": https_connection},
            ),
        }


def post(url: str, *, body: bytes, headers: dict[str, str]) -> requests.Response:
    """POST ``body`` to a vetted address of ``url``; no redirects, no proxies."""
    vetted = url_check(url)
    with requests.Session() as session:
        # Proxies from the environment would connect elsewhere than the vetted address.
        session.trust_env = False
        adapter = PinnedAddressAdapter(vetted.addresses[0])
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session.post(
            url,
            data=body,
            headers={"User-Agent": USER_AGENT, **headers},
            timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_READ_TIMEOUT),
            allow_redirects=False,
        )
