"""drf-spectacular hooks and the schema class of our API.

``ApiAutoSchema`` documents what every operation can answer besides its success:
the error statuses follow from the operation itself (who may call it, whether it
takes a body, parameters or a path id) and all of them carry the one error body of
``config.exceptions`` (the ``Problem`` component). Operations that raise a domain
error with another status list it in their ``@extend_schema(responses=...)``.
Lists that take a ``page`` parameter are documented with their paginated envelope.
"""

from http import HTTPStatus
from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_media_type_object
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config.pagination import KeysetOrPageNumberPagination, PageNumberPagination

EXCLUDED_PREFIXES = ("/api/v2/", "/admin/")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `errors` maps each field to its messages",
    "401": "Not authenticated: no, an invalid or an expired token or credentials",
    "403": "Not allowed for this caller, or the token lacks the scope",
    "404": "Not found",
    "409": "Conflicts with the current state",
    "413": "The request body is too large",
    "415": "Unsupported media type",
    "429": "Too many requests; retry after the `Retry-After` header",
    "402": "The payment was declined",
    "422": "The idempotency key was used with another body",
    "502": "The payment gateway failed",
    "503": "The sign-in provider is unavailable",
}


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


class ProblemSerializer(serializers.Serializer[Any]):
    """The error body of every API error (RFC 7807 problem details)."""

    type = serializers.CharField(help_text="A URI naming the kind of error")
    title = serializers.CharField()
    status = serializers.IntegerField(help_text="The HTTP status code")
    detail = serializers.CharField(help_text="A message for people")
    code = serializers.CharField(help_text="A stable machine-readable code")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Validation errors: field name -> list of messages (or nested fields)",
    )

    class Meta:
        ref_name = "Problem"


class ApiAutoSchema(AutoSchema):
    """AutoSchema with paginated envelopes and the error responses of each operation."""

    def _get_paginator(self) -> Any:
        paginator = super()._get_paginator()
        if paginator is not None or self.method != "GET":
            return paginator
        names = {
            parameter.name
            for parameter in self.get_override_parameters()
            if hasattr(parameter, "name")
        }
        if "page" not in names:
            return None
        if "cursor" in names:
            return KeysetOrPageNumberPagination()
        return PageNumberPagination()

    def get_auth(self) -> list[dict[str, list[str]]]:
        auth = super().get_auth()
        if auth and {} not in auth and self._anonymous_allowed():
            auth.append({})
        return auth

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        problem = self.resolve_serializer(ProblemSerializer(), "response").ref
        content = {"application/json": build_media_type_object(problem)}
        for code in self._error_statuses():
            responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
        for code, response in responses.items():
            # An error declared with a description only still has the error body.
            if code >= "400" and not response.get("content"):
                response["content"] = dict(content)
        return dict(sorted(responses.items()))

    def _error_statuses(self) -> list[str]:
        codes = []
        if self.view.get_authenticators() or not self._anonymous_allowed():
            codes.append("403")
        takes_body = self.method in ("POST", "PUT", "PATCH")
        parameters = self._get_parameters()
        if (
            self.method in UNSAFE_METHODS
            or takes_body
            or any(p.get("in") in ("query", "header") for p in parameters)
        ):
            codes.append("400")
        if not self._anonymous_allowed():
            codes.append("401")
        if any(p.get("in") == "path" for p in parameters) or self._get_paginator():
            codes.append("404")
        if self.method in UNSAFE_METHODS and not self._anonymous_allowed():
            codes.append("409")
        if takes_body:
            codes += ["413", "415"]
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _anonymous_allowed(self) -> bool:
        """Whether the view's permission classes let an anonymous caller in."""
        request = Request(getattr(APIRequestFactory(), self.method.lower())(self.path))
        request.user = AnonymousUser()
        request.auth = None
        try:
            return all(
                permission.has_permission(request, self.view)
                for permission in self.view.get_permissions()
            )
        except Exception:  # noqa: BLE001 - a permission that needs more context
            return False


def problem_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Extra error statuses of one operation, for ``@extend_schema(responses=...)``."""
    return {
        code: OpenApiResponse(
            response=ProblemSerializer,
            description=ERROR_DESCRIPTIONS.get(str(code), HTTPStatus(code).phrase),
        )
        for code in codes
    }
