"""Rate limits of customer uploads."""

from typing import Any

from django.conf import settings
from rest_framework.throttling import UserRateThrottle

from customization.api.cart_token import cart_token_parse


class UploadAccountRateThrottle(UserRateThrottle):
    """Photo uploads per account (CUSTOMER_UPLOAD_RATE_PER_ACCOUNT), in the cache.

    Decoding a photo is the most expensive thing a customer can ask for; one
    account cannot keep the workers busy. A guest is counted by its cart token (a
    malformed one by its address, as DRF does for anonymous callers). Limits per
    address are a separate scope.
    """

    scope = "uploads_per_account"

    def get_rate(self) -> str:
        return settings.CUSTOMER_UPLOAD_RATE_PER_ACCOUNT

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return super().get_cache_key(request, view)
        token = cart_token_parse(request)
        if token is None:
            return super().get_cache_key(request, view)
        return self.cache_format % {"scope": self.scope, "ident": f"cart-{token}"}
