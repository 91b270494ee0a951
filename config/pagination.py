"""The envelopes of paginated lists (numbered and keyset pages), and the query-string rule."""

import base64
import binascii
import functools
import json
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from django.conf import settings
from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

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


@functools.cache
def _field_names(serializer_class: type[serializers.Serializer[Any]]) -> frozenset[str]:
    """The query parameters a filter serializer reads (its fields are built per use)."""
    return frozenset(serializer_class().fields)


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
        accepted |= _field_names(filter_serializer)
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


def page_response(
    request: Any, queryset: Any, *, view: Any, output: Callable[[Any], Any]
) -> Response:
    """One numbered page of ``queryset``: ``output`` serializes the page's items."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(output(page))


class KeysetOptionsSerializer(serializers.Serializer[Any]):
    pagination = serializers.ChoiceField(
        choices=["page", "cursor"], required=False, default="page"
    )
    cursor = serializers.CharField(required=False, max_length=1000)


# Options of keyset-capable lists that are not filters.
KEYSET_OPTIONS = ("pagination", "cursor")


def keyset_requested(request: Any) -> bool:
    """Whether the caller asked for a keyset page (``pagination=cursor`` or a cursor)."""
    params = request.query_params
    return params.get("pagination") == "cursor" or "cursor" in params


class KeysetPosition(Protocol):
    """A keyset page's last row (read-only, so frozen dataclasses fit)."""

    @property
    def sort(self) -> str: ...

    @property
    def value(self) -> str: ...

    @property
    def pk(self) -> int: ...


PositionT = TypeVar("PositionT", bound=KeysetPosition)


def cursor_encode(position: KeysetPosition) -> str:
    raw = json.dumps(
        {"sort": position.sort, "value": position.value, "pk": position.pk},
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(
    cursor: str, *, sort: str, parse: Callable[..., PositionT]
) -> PositionT:
    """The position in ``cursor``; ``parse`` (keyword ``sort, value, pk``) validates it."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        position = parse(sort=data["sort"], value=data["value"], pk=data["pk"])
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise ValidationError({"cursor": ["Invalid cursor."]}) from error
    if position.sort != sort:
        raise ValidationError({"cursor": ["The cursor belongs to another sort."]})
    return position


def keyset_page_body(
    request: Any,
    *,
    sort: str,
    parse: Callable[..., PositionT],
    fetch: Callable[[PositionT | None, int], tuple[Any, PositionT | None]],
    output: Callable[[Any], Any],
) -> dict[str, Any]:
    """One keyset page: ``{"next", "previous": null, "results"}``, without a count.

    ``fetch(after, size)`` returns the page's items and the position of the next
    page (None on the last page); ``output`` serializes the items.
    """
    options = KeysetOptionsSerializer(data=request.query_params)
    options.is_valid(raise_exception=True)
    cursor = options.validated_data.get("cursor")
    after = cursor_decode(cursor, sort=sort, parse=parse) if cursor else None
    size = (
        PageNumberPagination().get_page_size(request)
        or settings.REST_FRAMEWORK["PAGE_SIZE"]
    )
    items, last = fetch(after, size)
    next_url = None
    if last is not None:
        url = remove_query_param(request.build_absolute_uri(), "page")
        next_url = replace_query_param(url, "cursor", cursor_encode(last))
    return {"next": next_url, "previous": None, "results": output(items)}
