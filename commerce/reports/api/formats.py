"""How the admin API answers files: ``?format=`` negotiation and file responses."""

from collections.abc import Sequence
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

from commerce.enums import ExportFormat
from commerce.reports.services.exports import (
    CONTENT_TYPES,
)


class _FileRenderer(BaseRenderer):
    """Lets content negotiation accept ``?format=``; views answer the file themselves."""

    charset = None

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        return data


class CsvRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(_FileRenderer):
    media_type = CONTENT_TYPES[ExportFormat.XLSX]
    format = "xlsx"


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is bad input (400), not a missing page."""

    def select_renderer(
        self, request: Any, renderers: Any, format_suffix: Any = None
    ) -> Any:
        requested = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        known = [renderer.format for renderer in renderers]
        if requested and requested not in known:
            raise serializers.ValidationError(
                {"format": [f"Choose one of: {', '.join(known)}."]}
            )
        return super().select_renderer(request, renderers, format_suffix)


def format_parameter(formats: Sequence[str]) -> OpenApiParameter:
    return OpenApiParameter("format", OpenApiTypes.STR, enum=list(formats))
