"""Bases shared by the API views."""

from typing import Any

from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


# An endpoint for anyone, which reads no credentials (login, sign-up, reset). No
# docstring: drf-spectacular would show it as the description of every such endpoint.
class PublicApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
