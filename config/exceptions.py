"""The one error format of the API, and the base class of domain errors.

Every error body looks like RFC 7807 problem details::

    {"type": "...", "title": "...", "status": 400, "detail": "...", "code": "invalid",
     "errors": {"field": ["message", ...]}}
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from config.parsers import RequestBodyTooLargeError

ERROR_TYPE_BASE = "https://fantasize.dev/errors/"
API_PREFIX = "/api/"


class ApplicationError(Exception):
    """A domain rule was broken. Subclasses set ``code`` and ``status_code``."""

    code: str = "application_error"
    status_code: int = status.HTTP_400_BAD_REQUEST
    default_message: str = "The request could not be completed."

    def __init__(
        self,
        message: str | None = None,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.message = message or self.default_message
        self.extra = extra or {}
        self.headers = headers or {}
        super().__init__(self.message)


def problem_body(
    *,
    status_code: int,
    code: str,
    detail: str,
    errors: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": ERROR_TYPE_BASE + code,
        "title": code.replace("_", " ").capitalize(),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return body


def _first_message(errors: Any) -> str:
    if isinstance(errors, dict):
        for value in errors.values():
            return _first_message(value)
    if isinstance(errors, list) and errors:
        return _first_message(errors[0])
    return str(errors)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(
            problem_body(
                status_code=exc.status_code,
                code=exc.code,
                detail=exc.message,
                extra=exc.extra,
            ),
            status=exc.status_code,
            headers=exc.headers or None,
        )
    if isinstance(exc, RequestDataTooBig):
        exc = RequestBodyTooLargeError()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(str(exc))
    elif isinstance(exc, OverflowError):
        # A number too large for the database driver (SQLite refuses > 2**63 - 1),
        # from a parameter no field bounded, e.g. a path id.
        exc = exceptions.ValidationError(
            {"non_field_errors": ["A number in the request is out of range."]}
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc = _invalid_token_error(exc, context) or exc

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        if not isinstance(data, dict):
            data = {"non_field_errors": data if isinstance(data, list) else [data]}
        response.data = problem_body(
            status_code=response.status_code,
            code="invalid",
            detail=_first_message(data),
            errors=data,
        )
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = problem_body(
            status_code=response.status_code,
            code=code,
            detail=_first_message(exc.detail),
        )
    return response


def _invalid_token_error(
    exc: exceptions.NotAuthenticated, context: dict[str, Any]
) -> exceptions.APIException | None:
    """Say so when a bearer token was sent but is invalid, expired or revoked."""
    request = context.get("request")
    error = getattr(request, "oauth2_error", None) or {}
    if error.get("error") != "invalid_token":
        return None
    invalid = exceptions.AuthenticationFailed(
        error.get("error_description") or "The access token is invalid or expired.",
        code="invalid_token",
    )
    invalid.auth_header = getattr(exc, "auth_header", None)  # type: ignore[attr-defined]
    return invalid


def problem_response(*, status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(
        problem_body(status_code=status_code, code=code, detail=detail),
        status=status_code,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: the JSON error body under /api/, Django's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return problem_response(
            status_code=status.HTTP_404_NOT_FOUND,
            code="not_found",
            detail="Not found.",
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the JSON error body under /api/, Django's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return problem_response(
            status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
            code="server_error",
            detail="A server error occurred.",
        )
    return defaults.server_error(request)
