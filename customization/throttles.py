"""Rate limits of customer uploads."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class UploadAccountRateThrottle(UserRateThrottle):
    """Photo uploads per account (CUSTOMER_UPLOAD_RATE_PER_ACCOUNT), in the cache.

    Decoding a photo is the most expensive thing a customer can ask for; one
    account cannot keep the workers busy. Limits per address are a separate scope.
    """

    scope = "uploads_per_account"

    def get_rate(self) -> str:
        return settings.CUSTOMER_UPLOAD_RATE_PER_ACCOUNT
