"""The page-number envelope of every paginated list, and the query-string rule of lists."""

from collections.abc import Iterable
from typing import Any

from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

PAGE_QUERY_PARAMETERS = frozenset({"page", "page_size"})


class PageNumberPagination(pagination.PageNumberPagination):
    """``{"count", "next", "previous", "results", "total_pages", "page_size"}``.

    ``page_size`` is the size in use (the client's ``page_size`` capped at
    ``max_page_size``, or the default), so a frontend can draw its pager.
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        paginator = self.page.paginator
        response.data["total_pages"] = paginator.num_pages
        response.data["page_size"] = paginator.per_page
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        envelope = super().get_paginated_response_schema(schema)
        envelope["required"] = [*envelope.get("required", []), "total_pages"]
        envelope["properties"]["total_pages"] = {"type": "integer", "example": 3}
        envelope["properties"]["page_size"] = {"type": "integer", "example": 20}
        return envelope


# The rule for every list endpoint: a query parameter it does not know is refused
# (400 naming it and the accepted ones), never silently ignored, so that a typo such
# as ``?ordering=`` or ``?q=`` does not look like a filter that matched everything.
ALWAYS_ACCEPTED = frozenset({"format"})


def query_parameters_check(query_params: Any, *, accepted: Iterable[str]) -> None:
    """Raise a 400 naming each unknown parameter and listing the accepted ones."""
    known = set(accepted) | ALWAYS_ACCEPTED
    unknown = sorted(set(query_params.keys()) - known)
    if unknown:
        listed = ", ".join(sorted(known - ALWAYS_ACCEPTED))
        raise ValidationError(
            {
                name: [f"Unknown query parameter. Accepted parameters: {listed}."]
                for name in unknown
            }
        )


def list_query_validate(
    request: Any,
    filter_serializer: type[serializers.Serializer[Any]] | None = None,
    *,
    extra: Iterable[str] = (),
    paginated: bool = True,
) -> dict[str, Any]:
    """Check a list request's query string and return the validated filters.

    Accepted: the filter serializer's fields, ``page`` and ``page_size`` for
    paginated lists, and ``extra`` (options a view reads itself).
    """
    accepted = set(extra)
    if paginated:
        accepted |= PAGE_QUERY_PARAMETERS
    if filter_serializer is not None:
        accepted |= set(filter_serializer().fields)
    query_parameters_check(request.query_params, accepted=accepted)
    if filter_serializer is None:
        return {}
    serializer = filter_serializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def keyset_page_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The envelope of a keyset (``pagination=cursor``) page: no count, no previous."""
    return {
        "type": "object",
        "required": ["next", "results"],
        "properties": {
            "next": {
                "type": "string",
                "nullable": True,
                "format": "uri",
                "description": "The next page; its `cursor` parameter holds the position",
            },
            "previous": {
                "type": "string",
                "nullable": True,
                "description": "Always null: keyset pages only go forward",
            },
            "results": schema,
        },
    }


class KeysetOrPageNumberPagination(PageNumberPagination):
    """Lists that answer a numbered page, or a keyset page with ``pagination=cursor``."""

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "anyOf": [
                super().get_paginated_response_schema(schema),
                keyset_page_schema(schema),
            ]
        }
