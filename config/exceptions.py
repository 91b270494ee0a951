"""The one error format of the API, and the base class of domain errors.

Every error body looks like RFC 7807 problem details::

    {"type": "...", "title": "...", "status": 400, "detail": "...", "code": "invalid",
     "errors": {"field": ["message", ...]}}
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

ERROR_TYPE_BASE = "https://fantasize.dev/errors/"


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
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        # Keep the service's explanation; an empty one gets DRF's default text.
        exc = exceptions.PermissionDenied(str(exc) or None)

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
