"""Catalogue API: products, packages and categories; public reads, staff writes."""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from commerce.accounts.selectors.users import user_role_get
from commerce.catalogue.api.serializers import catalogue as s
from commerce.catalogue.selectors.catalogue import (
    CatalogueFilters,
    KeysetPosition,
    catalogue_keyset_page,
    catalogue_keyset_position_parse,
    category_counts,
    category_get,
    category_list,
    category_map,
    package_get,
    package_list,
    product_get,
    product_list,
    sellable_latest_draft,
)
from commerce.catalogue.services import catalogue as services
from commerce.catalogue.services.cache import (
    LISTS_SCOPE,
    catalogue_response_get,
    catalogue_response_key,
    catalogue_response_store,
    catalogue_scopes_for_detail,
    catalogue_version_get,
)
from commerce.enums import UserRole
from commerce.exceptions import CatalogueNotFoundError
from config.pagination import PageNumberPagination, list_query_validate
from customization.api.serializers import (
    AttachedCustomizationOutputSerializer,
    AttachInputSerializer,
)
from customization.selectors import customizations_by_id, item_customizations

CATALOGUE_PERMISSION = "commerce.manage_catalogue"
TAGS = {
    "products": ["products"],
    "packages": ["packages"],
    "categories": ["categories"],
}


def _is_catalogue_staff(request: Request) -> bool:
    user = request.user
    return bool(user and user.is_authenticated and user.has_perm(CATALOGUE_PERMISSION))


class CatalogueWritePermission(BasePermission):
    """Anyone reads; managers and administrators write."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or _is_catalogue_staff(request)


def _context(
    request: Request, items: Any = None, *, include_drafts: bool = False
) -> dict[str, Any]:
    """Serializer context with the lookups a whole page of items shares."""
    context: dict[str, Any] = {"request": request, "categories": category_map()}
    if items is not None:
        context["customizations"] = customizations_by_id(
            raw_streams=[item.customizations.raw_data for item in items],
            include_drafts=include_drafts,
        )
    return context


def _filters(request: Request) -> CatalogueFilters:
    """The list filters; unknown parameters are refused (see config.pagination)."""
    data = list_query_validate(
        request, s.CatalogueListFilterSerializer, extra=LIST_OPTIONS
    )
    return CatalogueFilters(**data)


def _version_requested(request: Request) -> str:
    """``live`` (the default) or ``draft``; drafts are for catalogue staff only.

    Anyone else asking for a draft is refused with 403, anonymous callers included,
    before the shared cache is consulted, so a draft can never be served from it.
    """
    serializer = s.CatalogueVersionSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    version = str(serializer.validated_data["version"])
    if version == s.DRAFT_VERSION and not _is_catalogue_staff(request):
        raise PermissionDenied("Only managers and administrators may read drafts.")
    return version


def _numeric_id(lookup: str) -> int:
    if not lookup.isdigit():
        raise CatalogueNotFoundError()
    return int(lookup)


def _public_read(
    request: Request, *, scopes: list[str], render: Callable[[], Any]
) -> HttpResponseBase:
    """Serve a catalogue read from the shared cache, with ETag and Last-Modified.

    Staff see drafts, so their reads bypass the cache. Everyone else (anonymous or
    customer) gets the same body for the same URL: the key holds the scope versions
    and the scheme, host, path and query string, never the user. The version is read
    before the data, so a change committed meanwhile lands under a newer version.
    """
    if _is_catalogue_staff(request):
        response: HttpResponseBase = Response(render())
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Authorization"])
        return response
    version = catalogue_version_get(scopes=scopes)
    key = catalogue_response_key(
        version=version,
        variant=f"{request.scheme}://{request.get_host()}{request.get_full_path()}",
    )
    entry = catalogue_response_get(key=key, version=version)
    if entry is None:
        body = JSONRenderer().render(render())
        entry = catalogue_response_store(key=key, version=version, body=body)
    if request.accepted_renderer.format == "json":
        response = HttpResponse(entry.body, content_type="application/json")
    else:
        response = Response(json.loads(entry.body))
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(version.changed_at)
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Authorization"])
    return get_conditional_response(
        request,
        etag=entry.etag,
        last_modified=int(version.changed_at),
        response=response,
    )


class ListPaginationSerializer(serializers.Serializer[Any]):
    pagination = serializers.ChoiceField(
        choices=["page", "cursor"], required=False, default="page"
    )
    cursor = serializers.CharField(required=False, max_length=1000)


def _cursor_encode(position: KeysetPosition) -> str:
    raw = json.dumps(
        {"sort": position.sort, "value": position.value, "pk": position.pk},
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor_decode(cursor: str, *, sort: str) -> KeysetPosition:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        position = catalogue_keyset_position_parse(
            sort=data["sort"], value=data["value"], pk=data["pk"]
        )
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise ValidationError({"cursor": ["Invalid cursor."]}) from error
    if position.sort != sort:
        raise ValidationError({"cursor": ["The cursor belongs to another sort."]})
    return position


def _keyset_response(
    request: Request, queryset: Any, *, sort: str, output: Callable[[Any], Any]
) -> dict[str, Any]:
    """One keyset page: ``{"next", "previous": null, "results"}``, without a count."""
    options = ListPaginationSerializer(data=request.query_params)
    options.is_valid(raise_exception=True)
    cursor = options.validated_data.get("cursor")
    after = _cursor_decode(cursor, sort=sort) if cursor else None
    size = (
        PageNumberPagination().get_page_size(request)
        or settings.REST_FRAMEWORK["PAGE_SIZE"]
    )
    items, last = catalogue_keyset_page(queryset, sort=sort, after=after, size=size)
    next_url = None
    if last is not None:
        url = remove_query_param(request.build_absolute_uri(), "page")
        next_url = replace_query_param(url, "cursor", _cursor_encode(last))
    return {"next": next_url, "previous": None, "results": output(items)}


def _cursor_requested(request: Request) -> bool:
    params = request.query_params
    return params.get("pagination") == "cursor" or "cursor" in params


LIST_PARAMETERS = [
    OpenApiParameter(
        "category",
        OpenApiTypes.STR,
        description="Category id or slug; includes subcategories",
    ),
    OpenApiParameter("price_min", OpenApiTypes.DECIMAL),
    OpenApiParameter("price_max", OpenApiTypes.DECIMAL),
    OpenApiParameter("in_stock", OpenApiTypes.BOOL),
    OpenApiParameter(
        "tags", OpenApiTypes.STR, description="Comma-separated tag slugs (any)"
    ),
    OpenApiParameter(
        "customization_kind",
        OpenApiTypes.STR,
        enum=["button", "color", "image", "text", "upload"],
        description="Items that attach a customization of this kind",
    ),
    OpenApiParameter("search", OpenApiTypes.STR, description="Full-text search"),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(s.SORTS)),
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
PUBLISH_NOTE = (
    "Changes are saved as a Wagtail revision; with publish=false they stay a draft. "
    "The answer shows the revision saved (a draft has has_unpublished_changes=true; "
    "the live version is unchanged until published). Managers and administrators only."
)
# Options of the list endpoints that are not filters.
LIST_OPTIONS = ("pagination", "cursor")
VERSION_PARAMETER = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    enum=["live", "draft"],
    description="draft: the latest revision (managers and administrators only).",
)


@dataclass(frozen=True)
class SellableKind:
    """What differs between the product and the package endpoints."""

    name: str
    list: Callable[..., Any]
    get: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., str]
    output: type[serializers.Serializer[Any]]
    input: type[serializers.Serializer[Any]]


PRODUCTS = SellableKind(
    name="product",
    list=product_list,
    get=product_get,
    create=lambda *, data, publish, user: services.product_create(
        data=data, publish=publish, user=user
    ),
    update=lambda *, item, data, publish, user: services.product_update(
        product=item, data=data, publish=publish, user=user
    ),
    delete=lambda *, item, force, user: services.product_delete(
        product=item, force=force, user=user
    ),
    output=s.ProductOutputSerializer,
    input=s.ProductInputSerializer,
)
PACKAGES = SellableKind(
    name="package",
    list=package_list,
    get=package_get,
    create=lambda *, data, publish, user: services.package_create(
        data=data, publish=publish, user=user
    ),
    update=lambda *, item, data, publish, user: services.package_update(
        package=item, data=data, publish=publish, user=user
    ),
    delete=lambda *, item, force, user: services.package_delete(
        package=item, force=force, user=user
    ),
    output=s.PackageOutputSerializer,
    input=s.PackageInputSerializer,
)


class SellableCollectionApi(APIView):
    kind: SellableKind
    permission_classes = [CatalogueWritePermission]

    def get(self, request: Request) -> HttpResponseBase:
        include_unpublished = _is_catalogue_staff(request)
        filters = _filters(request)

        def render() -> Any:
            queryset = self.kind.list(
                filters=filters, include_unpublished=include_unpublished
            )
            if _cursor_requested(request):
                return _keyset_response(
                    request,
                    queryset,
                    sort=filters.sort,
                    output=lambda items: (
                        self.kind.output(
                            items, many=True, context=_context(request, items)
                        ).data
                    ),
                )
            paginator = PageNumberPagination()
            page = paginator.paginate_queryset(queryset, request, view=self)
            context = _context(request, page)
            data = self.kind.output(page, many=True, context=context).data
            return paginator.get_paginated_response(data).data

        return _public_read(request, scopes=[LISTS_SCOPE], render=render)

    def post(self, request: Request) -> Response:
        serializer = self.kind.input(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish")
        item = self.kind.create(data=data, publish=publish, user=request.user)
        return Response(
            _saved_body(request, self.kind, item), status=status.HTTP_201_CREATED
        )


def _saved_body(request: Request, kind: SellableKind, item: Any) -> Any:
    """What a write answers: the latest revision, so a draft shows what it saved."""
    item = kind.get(lookup=str(item.pk), include_unpublished=True)
    draft = sellable_latest_draft(item=item)
    context = _context(request, [draft], include_drafts=True)
    return kind.output(draft, context=context).data


class SellableDetailApi(APIView):
    kind: SellableKind
    permission_classes = [CatalogueWritePermission]

    def get(self, request: Request, lookup: str) -> HttpResponseBase:
        include_unpublished = _is_catalogue_staff(request)
        if _version_requested(request) == s.DRAFT_VERSION:
            item = self.kind.get(lookup=lookup, include_unpublished=True)
            response = Response(_saved_body(request, self.kind, item))
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Authorization"])
            return response

        def render() -> Any:
            item = self.kind.get(lookup=lookup, include_unpublished=include_unpublished)
            return self.kind.output(item, context=_context(request, [item])).data

        scopes = catalogue_scopes_for_detail(kind=self.kind.name, lookup=lookup)
        return _public_read(request, scopes=scopes, render=render)

    def _update(self, request: Request, lookup: str, *, partial: bool) -> Response:
        item = self.kind.get(lookup=str(_numeric_id(lookup)), include_unpublished=True)
        serializer = self.kind.input(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish", True)
        self.kind.update(item=item, data=data, publish=publish, user=request.user)
        return Response(_saved_body(request, self.kind, item))

    def put(self, request: Request, lookup: str) -> Response:
        return self._update(request, lookup, partial=False)

    def patch(self, request: Request, lookup: str) -> Response:
        return self._update(request, lookup, partial=True)

    def delete(self, request: Request, lookup: str) -> Response:
        item = self.kind.get(lookup=str(_numeric_id(lookup)), include_unpublished=True)
        options = s.ProductDeleteInputSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        force = options.validated_data["force"]
        if force and user_role_get(user=request.user) != UserRole.ADMINISTRATOR:
            self.permission_denied(
                request, message="Only administrators can force a delete."
            )
        result = self.kind.delete(item=item, force=force, user=request.user)
        if result == "deleted":
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response({"result": result})


def _collection_schema(kind: SellableKind, plural: str) -> Any:
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


def _detail_schema(kind: SellableKind, plural: str) -> Any:
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


@_collection_schema(PRODUCTS, "products")
class ProductCollectionApi(SellableCollectionApi):
    kind = PRODUCTS


@_detail_schema(PRODUCTS, "products")
class ProductDetailApi(SellableDetailApi):
    kind = PRODUCTS


@_collection_schema(PACKAGES, "packages")
class PackageCollectionApi(SellableCollectionApi):
    kind = PACKAGES


@_detail_schema(PACKAGES, "packages")
class PackageDetailApi(SellableDetailApi):
    kind = PACKAGES


class CategoryCollectionApi(APIView):
    permission_classes = [CatalogueWritePermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.CategoryOutputSerializer(many=True)},
        summary="The category tree, in tree order, each with its parent id",
        tags=TAGS["categories"],
    )
    def get(self, request: Request) -> HttpResponseBase:
        include_unpublished = _is_catalogue_staff(request)
        list_query_validate(request)

        def render() -> Any:
            queryset = category_list(include_unpublished=include_unpublished)
            paginator = PageNumberPagination()
            page = paginator.paginate_queryset(queryset, request, view=self)
            context = {**_context(request), "category_counts": category_counts()}
            data = s.CategoryOutputSerializer(page, many=True, context=context).data
            return paginator.get_paginated_response(data).data

        return _public_read(request, scopes=[LISTS_SCOPE], render=render)

    @extend_schema(
        request=s.CategoryInputSerializer,
        responses={201: s.CategoryOutputSerializer},
        summary="Create a category",
        description=PUBLISH_NOTE,
        tags=TAGS["categories"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.CategoryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish")
        category = services.category_create(
            parent_id=data.pop("parent", None),
            data=data,
            publish=publish,
            user=request.user,
        )
        body = s.CategoryOutputSerializer(category, context=_context(request)).data
        return Response(body, status=status.HTTP_201_CREATED)


class CategoryDetailApi(APIView):
    permission_classes = [CatalogueWritePermission]

    @extend_schema(
        responses={200: s.CategoryOutputSerializer},
        summary="One category, by id or slug",
        tags=TAGS["categories"],
    )
    def get(self, request: Request, lookup: str) -> HttpResponseBase:
        include_unpublished = _is_catalogue_staff(request)

        def render() -> Any:
            category = category_get(
                lookup=lookup, include_unpublished=include_unpublished
            )
            return s.CategoryOutputSerializer(category, context=_context(request)).data

        return _public_read(request, scopes=[LISTS_SCOPE], render=render)

    def _update(self, request: Request, lookup: str, *, partial: bool) -> Response:
        category = category_get(
            lookup=str(_numeric_id(lookup)), include_unpublished=True
        )
        serializer = s.CategoryInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish", True)
        category = services.category_update(
            category=category, data=data, publish=publish, user=request.user
        )
        return Response(
            s.CategoryOutputSerializer(category, context=_context(request)).data
        )

    @extend_schema(
        request=s.CategoryInputSerializer,
        responses={200: s.CategoryOutputSerializer},
        summary="Replace a category",
        tags=TAGS["categories"],
    )
    def put(self, request: Request, lookup: str) -> Response:
        return self._update(request, lookup, partial=False)

    @extend_schema(
        request=s.CategoryInputSerializer,
        responses={200: s.CategoryOutputSerializer},
        summary="Change some fields of a category (or move it under another parent)",
        tags=TAGS["categories"],
    )
    def patch(self, request: Request, lookup: str) -> Response:
        return self._update(request, lookup, partial=True)

    @extend_schema(
        responses={204: None},
        summary="Delete an empty category (409 while it holds anything)",
        tags=TAGS["categories"],
    )
    def delete(self, request: Request, lookup: str) -> Response:
        category = category_get(
            lookup=str(_numeric_id(lookup)), include_unpublished=True
        )
        services.category_delete(category=category, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CatalogueStaffPermission(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return _is_catalogue_staff(request)


class CatalogueImageCreateApi(APIView):
    """Staff upload a product, package or category image (a Wagtail image)."""

    permission_classes = [CatalogueStaffPermission]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.CatalogueImageInputSerializer},
        responses={201: s.CatalogueImageOutputSerializer},
        summary="Upload an image for the catalogue (managers and administrators)",
        description=(
            "Checked as customer uploads are: the size while reading, the type from "
            "the content (JPEG, PNG or WebP), the number of pixels. A refused file "
            "answers 400 and nothing is stored. Give the returned id in `images` of "
            "a product or package, or in `image` of a category."
        ),
        tags=["images"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.CatalogueImageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        image = services.catalogue_image_create(
            file=data["file"],
            title=data["title"],
            alt_text=data.get("alt_text", ""),
            collection_id=data.get("collection"),
            user=request.user,
        )
        body = s.CatalogueImageOutputSerializer(image, context={"request": request})
        return Response(body.data, status=status.HTTP_201_CREATED)


class PreviewTokenCreateApi(APIView):
    """Staff get a link that shows the latest draft to a headless frontend."""

    kind = "product"
    permission_classes = [CatalogueStaffPermission]

    @extend_schema(
        request=None,
        responses={201: s.PreviewTokenOutputSerializer},
        summary="Create a preview link for the latest draft",
        tags=["preview"],
    )
    def post(self, request: Request, lookup: str) -> Response:
        getter = product_get if self.kind == "product" else package_get
        item = getter(lookup=str(_numeric_id(lookup)), include_unpublished=True)
        token = services.preview_token_create(kind=self.kind, page_id=item.pk)
        url = request.build_absolute_uri(
            reverse("commerce:preview-detail", args=[token])
        )
        body = {
            "token": token,
            "url": url,
            "expires_in": settings.PREVIEW_TOKEN_MAX_AGE_SECONDS,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class PackagePreviewTokenCreateApi(PreviewTokenCreateApi):
    kind = "package"


class PreviewDetailApi(APIView):
    """Anyone holding a valid preview token sees the draft, as the API would show it."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="The latest draft of a product or package, by preview token",
        tags=["preview"],
    )
    def get(self, request: Request, token: str) -> Response:
        kind, page_id = services.preview_token_read(token=token)
        getter = product_get if kind == "product" else package_get
        item = getter(lookup=str(page_id), include_unpublished=True)
        draft = sellable_latest_draft(item=item)
        serializer = (
            s.ProductOutputSerializer
            if kind == "product"
            else s.PackageOutputSerializer
        )
        body = {"kind": kind, "item": serializer(draft, context=_context(request)).data}
        return Response(body)


class ItemCustomizationsApi(APIView):
    """The customizations a product or package offers; staff attach more."""

    kind = "product"
    permission_classes = [CatalogueWritePermission]

    def _item(self, request: Request, lookup: str, *, for_write: bool) -> Any:
        getter = product_get if self.kind == "product" else package_get
        return getter(
            lookup=lookup, include_unpublished=for_write or _is_catalogue_staff(request)
        )

    @extend_schema(
        responses={200: AttachedCustomizationOutputSerializer(many=True)},
        summary="What a customer must or can fill in for this item, in order",
        tags=["customizations"],
    )
    def get(self, request: Request, lookup: str) -> Response:
        item = self._item(request, lookup, for_write=False)
        attached = item_customizations(raw_stream=item.customizations.raw_data)
        serializer = AttachedCustomizationOutputSerializer(context={"request": request})
        return Response([serializer.to_representation(entry) for entry in attached])

    @extend_schema(
        request=AttachInputSerializer,
        responses={201: AttachedCustomizationOutputSerializer(many=True)},
        summary="Attach a customization (a new page revision; staff only)",
        tags=["customizations"],
    )
    def post(self, request: Request, lookup: str) -> Response:
        item = self._item(request, str(_numeric_id(lookup)), for_write=True)
        serializer = AttachInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = services.item_customization_attach(
            item=item,
            customization_id=data["customization"],
            requirement=data["requirement"],
            label=data.get("label", ""),
            publish=data["publish"],
            user=request.user,
        )
        draft = item.get_latest_revision_as_object()
        attached = item_customizations(
            raw_stream=draft.customizations.raw_data, include_drafts=True
        )
        serializer_out = AttachedCustomizationOutputSerializer(
            context={"request": request}
        )
        body = [serializer_out.to_representation(entry) for entry in attached]
        return Response(body, status=status.HTTP_201_CREATED)


class PackageCustomizationsApi(ItemCustomizationsApi):
    kind = "package"


class ItemCustomizationDetachApi(APIView):
    kind = "product"
    permission_classes = [CatalogueStaffPermission]

    @extend_schema(
        parameters=[OpenApiParameter("publish", OpenApiTypes.BOOL)],
        responses={204: None},
        summary="Detach a customization (a new page revision; staff only)",
        tags=["customizations"],
    )
    def delete(self, request: Request, lookup: str, customization_id: int) -> Response:
        getter = product_get if self.kind == "product" else package_get
        item = getter(lookup=str(_numeric_id(lookup)), include_unpublished=True)
        publish = request.query_params.get("publish", "true").lower() != "false"
        services.item_customization_detach(
            item=item,
            customization_id=customization_id,
            publish=publish,
            user=request.user,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PackageCustomizationDetachApi(ItemCustomizationDetachApi):
    kind = "package"
