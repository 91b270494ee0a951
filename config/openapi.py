"""drf-spectacular hooks."""

from typing import Any

EXCLUDED_PREFIXES = ("/api/v2/", "/admin/")


def endpoints_keep_own_api(
    endpoints: list[tuple[str, Any, str, Any]], **kwargs: Any
) -> list[Any]:
    """Keep our DRF API; Wagtail's v2 and admin APIs document themselves differently."""
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith("/api/")
        and not endpoint[0].startswith(EXCLUDED_PREFIXES)
    ]
