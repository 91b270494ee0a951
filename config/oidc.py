"""OpenID Connect discovery that advertises only what this server does."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from oauth2_provider.models import AbstractApplication
from oauth2_provider.views import ConnectDiscoveryInfoView


class DiscoveryInfoView(ConnectDiscoveryInfoView):
    """django-oauth-toolkit's discovery document, with RS256 as the only ID token alg.

    ID tokens are signed with ``JWT_PRIVATE_KEY`` (the admin offers no HS256 apps);
    the response types come from ``OIDC_RESPONSE_TYPES_SUPPORTED`` (``code`` only).
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["id_token_signing_alg_values_supported"] = [
            AbstractApplication.RS256_ALGORITHM
        ]
        answer = JsonResponse(data)
        answer["Access-Control-Allow-Origin"] = "*"
        return answer
