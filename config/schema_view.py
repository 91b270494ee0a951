"""``/api/schema/``: drf-spectacular's schema view, generating once per process.

Apart from ``config.openapi``, which DRF imports while its settings load (before
``drf_spectacular.views`` can be imported).
"""

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

# The generated schema by (API version, language): it depends on the code and the
# settings only (the served schema is the public one, the same for every caller), and
# generating it takes a second or more, so each process builds it once. A settings
# change (tests' override_settings) forgets it.
_schemas: dict[tuple[str | None, str], dict[str, Any]] = {}


@receiver(setting_changed)
def _schemas_forget(**kwargs: Any) -> None:
    _schemas.clear()


class CachedSchemaView(SpectacularAPIView):
    """drf-spectacular's view with the generated schema kept per process."""

    def _get_schema_response(self, request: Request) -> Response:
        version = (
            self.api_version or request.version or self._get_version_parameter(request)
        )
        key = (version, translation.get_language() or "")
        schema = _schemas.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = generator.get_schema(request=request, public=self.serve_public)
            _schemas[key] = schema
        filename = self._get_filename(request, version)
        return Response(
            data=schema,
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
