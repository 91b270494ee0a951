from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve

from config.exceptions import page_not_found


class ApiTrailingSlashMiddleware:
    """Serve ``/api/...`` paths with or without a trailing slash, without redirecting.

    A redirect would turn a POST into a GET in many clients, so the path is rewritten
    in place when only the other spelling resolves. A path that resolves in neither
    spelling is answered with the API's JSON 404 here, before CommonMiddleware's
    APPEND_SLASH redirect and Wagtail's page catch-all can answer with HTML.
    """

    prefix = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(self.prefix) and not _resolves(path):
            alternative = path[:-1] if path.endswith("/") else path + "/"
            if not _resolves(alternative):
                return page_not_found(request, Http404())
            request.path = request.path[: len(request.path) - len(path)] + alternative
            request.path_info = alternative
        return self.get_response(request)


def _resolves(path: str) -> bool:
    """Whether ``path`` reaches a view other than Wagtail's page catch-all."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "wagtail_serve"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the allowances Wagtail's admin needs under /admin/.

    The site pages, the API and its docs get ``CONTENT_SECURITY_POLICY`` as set; the
    admin still runs inline scripts (widgets, panels), ``eval`` in choosers, previews
    in frames and Gravatar avatars, so its responses get ``ADMIN_CSP_ALLOWANCES``
    added.
    """

    admin_prefix = "/admin/"

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.admin_prefix):
            parts.update = {**settings.ADMIN_CSP_ALLOWANCES, **(parts.update or {})}
        return parts
