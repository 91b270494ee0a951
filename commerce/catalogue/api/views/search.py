"""Type-ahead suggestions over products and packages (public, cached)."""

from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from commerce.catalogue.api.http_cache import catalogue_cached_read
from commerce.catalogue.api.serializers.search import (
    CatalogueSuggestInputSerializer,
    CatalogueSuggestOutputSerializer,
)
from commerce.catalogue.selectors.search import SUGGEST_LIMIT, catalogue_suggest
from commerce.catalogue.services.cache import LISTS_SCOPE
from config.pagination import list_query_validate


class CatalogueSuggestApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[CatalogueSuggestInputSerializer],
        responses={200: CatalogueSuggestOutputSerializer},
        summary="Suggest products and packages while the shopper types",
        description=(
            f"At most {SUGGEST_LIMIT} live, active products and packages whose name "
            "matches `q`, best first: the exact name, names starting with `q`, names "
            "with a word starting with it, then close names (typos, on PostgreSQL). "
            "Never drafts, for anyone. Cached like the catalogue lists (ETag)."
        ),
        tags=["search"],
    )
    def get(self, request: Request) -> HttpResponseBase:
        data = list_query_validate(
            request, CatalogueSuggestInputSerializer, paginated=False
        )

        def render() -> Any:
            suggestions = catalogue_suggest(text=data["q"])
            body = {"results": suggestions}
            context = {"request": request}
            return CatalogueSuggestOutputSerializer(body, context=context).data

        return catalogue_cached_read(
            request, scopes=[LISTS_SCOPE], render=render, staff_private=False
        )
