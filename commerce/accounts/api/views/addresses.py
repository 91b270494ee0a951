"""A customer's saved addresses: ``/api/users/addresses`` (their own only)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.accounts.api.serializers.addresses import (
    AddressInputSerializer,
    AddressOutputSerializer,
)
from commerce.accounts.selectors.addresses import address_get, address_list
from commerce.accounts.services.addresses import (
    address_create,
    address_delete,
    address_update,
)
from config.openapi import problem_responses
from config.pagination import list_query_validate, page_response

PAGE_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]


class AddressCollectionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses={200: AddressOutputSerializer(many=True)},
        summary="The caller's saved addresses",
        tags=["users"],
    )
    def get(self, request: Request) -> Response:
        list_query_validate(request)
        return page_response(
            request,
            address_list(user=request.user),
            view=self,
            output=lambda page: AddressOutputSerializer(page, many=True).data,
        )

    @extend_schema(
        request=AddressInputSerializer,
        responses={201: AddressOutputSerializer},
        summary="Save an address (validated for its country)",
        description=(
            "Required fields, postal code and region follow the country's format "
            "(Google's address data); the phone is answered in E.164. The first "
            "address becomes the default for shipping and billing; "
            "`is_default_shipping`/`is_default_billing` move a default here."
        ),
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = AddressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = address_create(user=request.user, data=serializer.validated_data)
        return Response(
            AddressOutputSerializer(address).data, status=status.HTTP_201_CREATED
        )


class AddressDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: AddressOutputSerializer, **problem_responses(404)},
        summary="One of the caller's addresses",
        tags=["users"],
    )
    def get(self, request: Request, address_id: int) -> Response:
        address = address_get(user=request.user, address_id=address_id)
        return Response(AddressOutputSerializer(address).data)

    @extend_schema(
        request=AddressInputSerializer(partial=True),
        responses={200: AddressOutputSerializer, **problem_responses(404)},
        summary="Change an address (validated again for its country)",
        tags=["users"],
    )
    def patch(self, request: Request, address_id: int) -> Response:
        address = address_get(user=request.user, address_id=address_id)
        serializer = AddressInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        address = address_update(address=address, data=serializer.validated_data)
        return Response(AddressOutputSerializer(address).data)

    @extend_schema(
        responses={204: None, **problem_responses(404)},
        summary="Delete an address",
        tags=["users"],
    )
    def delete(self, request: Request, address_id: int) -> Response:
        address_delete(address=address_get(user=request.user, address_id=address_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
