"""Anonymous reads of cached product and package responses, answered before DRF."""

import re
import threading
from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from commerce.catalogue.api.http_cache import COMPUTED_HEADERS, catalogue_fast_response

# The public product and package lists and details (with or without a slash).
FAST_PATHS = re.compile(r"^/api/(?:products|packages)(?:/[^/]+)?/?$")
# Accept headers for which DRF's negotiation picks JSON.
JSON_ACCEPTS = ("", "*/*", "application/json")
REMEMBERED_URLS = 4096


class CatalogueFastReadMiddleware:
    """Answer a repeated anonymous GET of a cached catalogue read in one round trip.

    When the slow path (the DRF view and ``catalogue_cached_read``) answered an
    anonymous JSON read from the shared cache, this process remembers, for that URL,
    the scopes and key it used and the headers the response had here. The next
    anonymous GET of the URL reads the tokens, the entry and its stock records in one
    cache round trip (``catalogue_cached_lookup``) and answers 200 or 304 itself,
    skipping the middleware after this one, URL resolution and DRF. Anything else
    (a token changed, the entry expired, an ``Authorization`` header, a method other
    than GET, another Accept) goes the slow path, which keeps every rule: staff
    drafts, the favourites overlay, filters, pagination and the Redis-outage
    fallback. It sits right after CORS (which depends on the request's Origin), so
    the headers remembered include those of the security and CSP middleware, which
    depend only on the URL and the settings; an ``http://`` URL that the security
    middleware redirects is never remembered.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        self.remembered: dict[str, tuple[tuple[str, ...], str, dict[str, str]]] = {}
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self._eligible(request):
            return self.get_response(request)
        try:
            url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        except DisallowedHost:
            return self.get_response(request)
        known = self.remembered.get(url)
        if known is not None:
            scopes, variant, headers = known
            fast = catalogue_fast_response(
                request, scopes=scopes, variant=variant, headers=headers
            )
            if fast is not None:
                return fast
        response = self.get_response(request)
        read = getattr(response, "catalogue_read", None)
        if read is not None and response.status_code == 200:
            headers = {
                name: value
                for name, value in response.items()
                if name.lower() not in COMPUTED_HEADERS
            }
            with self.lock:
                if len(self.remembered) >= REMEMBERED_URLS:
                    self.remembered.clear()
                self.remembered[url] = (read[0], read[1], headers)
        return response

    @staticmethod
    def _eligible(request: HttpRequest) -> bool:
        meta = request.META
        return (
            request.method == "GET"
            and "HTTP_AUTHORIZATION" not in meta
            and meta.get("HTTP_ACCEPT", "").strip() in JSON_ACCEPTS
            and FAST_PATHS.match(request.path_info) is not None
        )
