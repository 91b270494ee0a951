"""Products and packages: public reads (cached), staff writes; one code for both kinds."""

from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.catalogue.api.cards import (
    CARD_FIELDS,
    RESULTS_MARK,
    card_rows,
    cards_body,
)
from commerce.catalogue.api.http_cache import catalogue_cached_read, private_response
from commerce.catalogue.api.permissions import (
    CatalogueWritePermission,
    is_catalogue_staff,
)
from commerce.catalogue.api.serializers.common import (
    DRAFT_VERSION,
    SLUG_LIST_HELP,
    CatalogueListFilterSerializer,
)
from commerce.catalogue.api.serializers.sellables import ProductDeleteInputSerializer
from commerce.catalogue.api.views.common import (
    PACKAGES,
    PRODUCTS,
    PUBLISH_NOTE,
    SellableKind,
    draft_body,
    numeric_id,
    serializer_context,
    version_requested,
)
from commerce.catalogue.api.views.favourites import favourites_overlay
from commerce.catalogue.selectors.cursors import (
    SORTS,
    catalogue_keyset_page,
    catalogue_keyset_position_parse,
)
from commerce.catalogue.selectors.sellables import CatalogueFilters, sellable_lookup
from commerce.catalogue.services.cache import (
    LISTS_SCOPE,
    STOCK_SCOPE,
    catalogue_scopes_for_detail,
)
from config.pagination import (
    KEYSET_OPTIONS,
    keyset_page_body,
    keyset_requested,
    list_query_validate,
    page_response,
)

LIST_PARAMETERS = [
    OpenApiParameter(
        "category",
        OpenApiTypes.STR,
        description="Category id or slug; includes subcategories",
    ),
    OpenApiParameter(
        "price_min",
        OpenApiTypes.DECIMAL,
        description="Lowest price the shopper pays now (offers included)",
    ),
    OpenApiParameter(
        "price_max",
        OpenApiTypes.DECIMAL,
        description="Highest price the shopper pays now (offers included)",
    ),
    OpenApiParameter("in_stock", OpenApiTypes.BOOL),
    OpenApiParameter(
        "on_sale",
        OpenApiTypes.BOOL,
        description=(
            "true: items on sale now (a running offer, or a compare-at price above "
            "the price); false: the others"
        ),
    ),
    OpenApiParameter(
        "tags", OpenApiTypes.STR, description="Comma-separated tag slugs (any)"
    ),
    OpenApiParameter(
        "customization_kind",
        OpenApiTypes.STR,
        enum=["button", "color", "image", "text", "upload"],
        description="Items that attach a customization of this kind",
    ),
    OpenApiParameter(
        "brand",
        OpenApiTypes.STR,
        description=SLUG_LIST_HELP.format(attribute="brand") + " See GET /api/brands.",
    ),
    OpenApiParameter(
        "material",
        OpenApiTypes.STR,
        description=SLUG_LIST_HELP.format(attribute="material")
        + " See GET /api/materials.",
    ),
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description=(
            "Words that start words of the name (`bouq` finds bouquets), the SKU's "
            "start, or words of the description; names with a typo match too on "
            "PostgreSQL. Without `sort`, the best matches come first."
        ),
    ),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=list(SORTS),
        description=(
            "Default: newest; with `search`, relevance (numbered pages; a cursor "
            "page sorts by newest). `price` is the price paid now, offers included."
        ),
    ),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT),
    OpenApiParameter(
        "pagination",
        OpenApiTypes.STR,
        enum=["page", "cursor"],
        description=(
            "cursor: keyset pagination for large lists, without a count; follow "
            "`next`, whose `cursor` parameter holds the position"
        ),
    ),
    OpenApiParameter(
        "cursor", OpenApiTypes.STR, description="Position from a previous `next` link"
    ),
]
VERSION_PARAMETER = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    enum=["live", "draft"],
    description="draft: the latest revision (managers and administrators only).",
)


class SellableCollectionApi(APIView):
    kind: SellableKind
    permission_classes = [CatalogueWritePermission]

    def _output(self, request: Request, items: Any) -> Any:
        context = serializer_context(request, items)
        return self.kind.output(items, many=True, context=context).data

    def _page(
        self,
        request: Request,
        filters: CatalogueFilters,
        *,
        queryset: Any,
        output: Any,
        published_only: bool,
        fields: tuple[str, ...] = (),
    ) -> Any:
        """A numbered or a keyset page of ``queryset``, its items given to ``output``."""
        if not keyset_requested(request):
            return page_response(request, queryset, view=self, output=output).data
        return keyset_page_body(
            request,
            sort=filters.keyset_sort,
            parse=catalogue_keyset_position_parse,
            fetch=lambda after, size: catalogue_keyset_page(
                queryset,
                sort=filters.keyset_sort,
                after=after,
                size=size,
                published_only=published_only,
                fields=fields,
            ),
            output=output,
        )

    def _staff_page(self, request: Request, filters: CatalogueFilters) -> Any:
        """Drafts included: serialized item by item."""
        queryset = self.kind.list(filters=filters, include_unpublished=True)
        return self._page(
            request,
            filters,
            queryset=queryset,
            output=lambda items: self._output(request, items),
            published_only=False,
        )

    def _public_page(self, request: Request, filters: CatalogueFilters) -> Any:
        """Published items: the page's rows with their cards, joined (the read model)."""
        queryset = self.kind.list(filters=filters, loaded=False)
        rows: list[Any] = []

        def output(page_rows: Any) -> str:
            rows.extend(page_rows)
            return RESULTS_MARK

        keyset = keyset_requested(request)
        envelope = self._page(
            request,
            filters,
            queryset=card_rows(queryset, values=not keyset),
            output=output,
            published_only=True,
            fields=CARD_FIELDS if keyset else (),
        )
        return cards_body(request, self.kind, rows, envelope=envelope)

    def get(self, request: Request) -> HttpResponseBase:
        include_unpublished = is_catalogue_staff(request)
        data = list_query_validate(
            request, CatalogueListFilterSerializer, extra=KEYSET_OPTIONS
        )
        filters = CatalogueFilters(**data)

        def render() -> Any:
            if include_unpublished:
                return self._staff_page(request, filters)
            return self._public_page(request, filters)

        # Which items a page holds, and their order, follow stock and sales only
        # with these options: such pages are rendered again after a stock change.
        by_stock = filters.in_stock is not None or filters.sort == "popularity"
        return catalogue_cached_read(
            request,
            scopes=[LISTS_SCOPE, *([STOCK_SCOPE] if by_stock else [])],
            render=render,
            overlay=favourites_overlay(request, kind=self.kind.name),
            stock_holes=True,
        )

    def post(self, request: Request) -> Response:
        serializer = self.kind.input(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish")
        item = self.kind.create(data=data, publish=publish, user=request.user)
        body = draft_body(request, self.kind, item.pk)
        return Response(body, status=status.HTTP_201_CREATED)


class SellableDetailApi(APIView):
    kind: SellableKind
    permission_classes = [CatalogueWritePermission]

    def get(self, request: Request, lookup: str) -> HttpResponseBase:
        include_unpublished = is_catalogue_staff(request)
        if version_requested(request) == DRAFT_VERSION:
            item = self.kind.get(lookup=lookup, include_unpublished=True)
            return private_response(draft_body(request, self.kind, item.pk))

        def render() -> Any:
            if not include_unpublished:
                row = sellable_lookup(
                    card_rows(self.kind.queryset(loaded=False)), lookup
                )
                return cards_body(request, self.kind, [row])
            item = self.kind.get(lookup=lookup, include_unpublished=True)
            context = serializer_context(request, [item])
            return self.kind.output(item, context=context).data

        scopes = catalogue_scopes_for_detail(kind=self.kind.name, lookup=lookup)
        return catalogue_cached_read(
            request,
            scopes=scopes,
            render=render,
            overlay=favourites_overlay(request, kind=self.kind.name),
            stock_holes=True,
        )

    def _update(self, request: Request, lookup: str, *, partial: bool) -> Response:
        item = self.kind.get(lookup=numeric_id(lookup), include_unpublished=True)
        serializer = self.kind.input(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish", True)
        self.kind.update(item=item, data=data, publish=publish, user=request.user)
        return Response(draft_body(request, self.kind, item.pk))

    def put(self, request: Request, lookup: str) -> Response:
        return self._update(request, lookup, partial=False)

    def patch(self, request: Request, lookup: str) -> Response:
        return self._update(request, lookup, partial=True)

    def delete(self, request: Request, lookup: str) -> Response:
        item = self.kind.get(lookup=numeric_id(lookup), include_unpublished=True)
        options = ProductDeleteInputSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        result = self.kind.delete(
            item=item, force=options.validated_data["force"], user=request.user
        )
        if result == "deleted":
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response({"result": result})


def _collection_schema(kind: SellableKind) -> Any:
    plural = kind.plural
    return extend_schema_view(
        get=extend_schema(
            parameters=LIST_PARAMETERS,
            responses={200: kind.output(many=True)},
            summary=f"List {plural} (published ones; staff also see drafts)",
            tags=[plural],
        ),
        post=extend_schema(
            request=kind.input,
            responses={201: kind.output},
            summary=f"Create a {kind.name}",
            description=PUBLISH_NOTE,
            tags=[plural],
        ),
    )


def _detail_schema(kind: SellableKind) -> Any:
    plural = kind.plural
    write = {"request": kind.input, "responses": {200: kind.output}, "tags": [plural]}
    return extend_schema_view(
        get=extend_schema(
            parameters=[VERSION_PARAMETER],
            responses={200: kind.output},
            summary=f"One {kind.name} by id or slug",
            description=(
                "The live version by default. Managers and administrators may read "
                "the latest draft with `?version=draft`; anyone else gets 403."
            ),
            tags=[plural],
        ),
        put=extend_schema(
            summary=f"Replace a {kind.name}", description=PUBLISH_NOTE, **write
        ),
        patch=extend_schema(
            summary=f"Change some fields of a {kind.name}",
            description=PUBLISH_NOTE,
            **write,
        ),
        delete=extend_schema(
            parameters=[OpenApiParameter("force", OpenApiTypes.BOOL)],
            responses={204: None, 200: OpenApiTypes.OBJECT},
            summary=f"Delete a {kind.name}",
            description=(
                "Refused with 409 while the item is in a package or an open order; an "
                "administrator may force it, and then it is unpublished, not erased "
                '(200 with {"result": "unpublished"}).'
            ),
            tags=[plural],
        ),
    )


@_collection_schema(PRODUCTS)
class ProductCollectionApi(SellableCollectionApi):
    kind = PRODUCTS


@_detail_schema(PRODUCTS)
class ProductDetailApi(SellableDetailApi):
    kind = PRODUCTS


@_collection_schema(PACKAGES)
class PackageCollectionApi(SellableCollectionApi):
    kind = PACKAGES


@_detail_schema(PACKAGES)
class PackageDetailApi(SellableDetailApi):
    kind = PACKAGES
