from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve


class ApiTrailingSlashMiddleware:
    """Serve ``/api/...`` paths with or without a trailing slash, without redirecting.

    A redirect would turn a POST into a GET in many clients, so the path is rewritten
    in place when only the other spelling resolves.
    """

    prefix = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(self.prefix) and not _resolves(path):
            alternative = path[:-1] if path.endswith("/") else path + "/"
            if _resolves(alternative):
                request.path = (
                    request.path[: len(request.path) - len(path)] + alternative
                )
                request.path_info = alternative
        return self.get_response(request)


def _resolves(path: str) -> bool:
    """Whether ``path`` reaches a view other than Wagtail's page catch-all."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "wagtail_serve"
