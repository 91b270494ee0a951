from typing import Any

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


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
