"""The client's address, and per-address rate limits for the API's sensitive writes.

The address is ``REMOTE_ADDR`` unless the peer is a trusted proxy: then the hops of
``X-Forwarded-For`` are walked from the right, skipping trusted proxies
(``FORWARDED_ALLOW_IPS`` networks, or the nearest ``TRUSTED_PROXY_COUNT`` hops), and
the first hop no proxy of ours vouches for is the client. A header sent by anyone
else changes nothing.
"""

import ipaddress
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...] | None:
    """None means every hop is trusted (``*``)."""
    if "*" in entries:
        return None
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_address_get(request: HttpRequest) -> str:
    """The client's IP address, as far as our trusted proxies can tell."""
    meta = request.META
    peer = meta.get("REMOTE_ADDR", "") or ""
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    proxy_count = settings.TRUSTED_PROXY_COUNT
    networks = _trusted_networks(tuple(settings.FORWARDED_ALLOW_IPS))
    if not forwarded or (proxy_count <= 0 and networks == ()):
        return peer
    hops = [*(hop for hop in forwarded.split(",") if hop.strip()), peer]
    index = len(hops) - 1
    while index > 0:
        address = _address(hops[index])
        position = len(hops) - 1 - index  # 0 is the peer itself
        trusted = position < proxy_count or (
            address is not None
            and (networks is None or any(address in net for net in networks))
        )
        if not trusted:
            break
        index -= 1
    address = _address(hops[index])
    if address is None:
        # Garbage where the client should be: the hop that added it is the client.
        return str(_address(hops[min(index + 1, len(hops) - 1)]) or peer)
    return str(address)


class AddressRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle (on the cache), keyed by the trusted client address only.

    Views set ``throttle_scope``; the rates are ``REST_FRAMEWORK
    ["DEFAULT_THROTTLE_RATES"]``. DRF's own ident trusts any X-Forwarded-For.
    """

    @property
    def THROTTLE_RATES(self) -> dict[str, str | None]:
        # Read at each request (DRF binds it at import), so settings overrides apply.
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_ident(self, request: Any) -> str:
        return client_address_get(request._request)

    def get_cache_key(self, request: Any, view: Any) -> str:
        """Per address even for a logged-in caller (DRF's scoped throttle uses the user)."""
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
