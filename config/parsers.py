"""Request body parsers that answer hostile bodies with a 400 or 413, never a 500.

DRF parses the body lazily, sometimes during authentication (the OAuth backend
reads ``request.POST``), so these errors must be APIExceptions to reach the one
error format.
"""

import codecs
from typing import IO, Any

from django.conf import settings
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils import json as drf_json


class RequestBodyTooLargeError(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "The request body is too large."


def body_read_limited(stream: IO[bytes] | None) -> bytes:
    """The whole body, refusing one above DATA_UPLOAD_MAX_MEMORY_SIZE bytes.

    Reads at most one byte past the limit, so a huge body is never held whole.
    """
    if stream is None:
        return b""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RequestBodyTooLargeError()
    return data


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size limit, and deep nesting refused as a 400.

    The standard library parser recurses once per nesting level, so a body of a few
    thousand ``[`` raises RecursionError; that is a malformed request, not a crash.
    """

    def parse(
        self,
        stream: IO[bytes] | None,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        data = body_read_limited(stream)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(data, encoding)
            parse_constant = drf_json.strict_constant if self.strict else None
            return drf_json.loads(text, parse_constant=parse_constant)
        except RecursionError as error:
            raise ParseError(
                "JSON parse error - the document is nested too deeply."
            ) from error
        except (ValueError, LookupError) as error:
            raise ParseError(f"JSON parse error - {error}") from error
