from typing import Any

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.api.serializers import users as s
from commerce.exceptions import InvalidCredentialsError, TooManyLoginAttemptsError
from commerce.login_throttle import login_allowed
from commerce.models import User
from commerce.selectors.users import user_list
from commerce.services.tokens import token_pair_issue, token_refresh, tokens_revoke
from commerce.services.users import user_profile_update, user_register, user_update
from config.pagination import PageNumberPagination, list_query_validate
from config.permissions import permissions_required


class UserRegisterApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.UserRegisterInputSerializer,
        responses={201: s.UserRegisterOutputSerializer},
        summary="Register a customer account",
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.UserRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        body = {
            "user": s.UserOutputSerializer(user, context={"request": request}).data,
            "tokens": token_pair_issue(user=user),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class UserLoginApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.UserLoginInputSerializer,
        responses={200: s.TokenPairOutputSerializer},
        summary="Log in with email and password",
        description=(
            "Wrong credentials give 401 with one message whether or not the email "
            "exists. Too many failures per account or address give 429 for a cool-down."
        ),
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.UserLoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request
        email = serializer.validated_data["email"]
        if not login_allowed(request=django_request, email=email):
            raise TooManyLoginAttemptsError()
        user = authenticate(
            django_request, email=email, password=serializer.validated_data["password"]
        )
        if user is None:
            # This attempt was checked and failed: it answers 401 even if it reached
            # the limit (AxesMiddleware would turn it into 429); the next one gets 429.
            django_request.axes_locked_out = False
            raise InvalidCredentialsError()
        return Response(token_pair_issue(user=user))


class TokenRefreshApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.TokenRefreshInputSerializer,
        responses={200: s.TokenPairOutputSerializer},
        summary="Exchange a refresh token for a new pair (the old one stops working)",
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.TokenRefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            token_refresh(refresh_token=serializer.validated_data["refresh_token"])
        )


class UserLogoutApi(APIView):
    @extend_schema(
        request=s.UserLogoutInputSerializer,
        responses={204: None},
        summary="Revoke the access token in use and its refresh token",
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.UserLogoutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tokens_revoke(
            access_token=request.auth,
            refresh_token=serializer.validated_data.get("refresh_token"),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserProfileApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        responses={200: s.UserOutputSerializer},
        summary="The caller's profile",
        tags=["users"],
    )
    def get(self, request: Request) -> Response:
        return Response(
            s.UserOutputSerializer(request.user, context={"request": request}).data
        )

    @extend_schema(
        request=s.UserProfileUpdateInputSerializer,
        responses={200: s.UserOutputSerializer},
        summary="Update the caller's profile; a new password needs current_password",
        tags=["users"],
    )
    def patch(self, request: Request) -> Response:
        serializer = s.UserProfileUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        current_password = data.pop("current_password", None)
        if "avatar" in data and data["avatar"] is None:
            data["avatar"] = ""
        user = user_profile_update(
            user=request.user, data=data, current_password=current_password
        )
        return Response(s.UserOutputSerializer(user, context={"request": request}).data)


class UserListApi(APIView):
    permission_classes = [permissions_required("commerce.view_user")]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "role", OpenApiTypes.STR, enum=["administrator", "manager", "customer"]
            ),
            OpenApiParameter(
                "search", OpenApiTypes.STR, description="Part of the email or name"
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.UserOutputSerializer(many=True)},
        summary="List users (administrators)",
        tags=["users"],
    )
    def get(self, request: Request) -> Response:
        filters = list_query_validate(request, s.UserListFilterSerializer)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(user_list(**filters), request, view=self)
        data = s.UserOutputSerializer(
            page, many=True, context={"request": request}
        ).data
        return paginator.get_paginated_response(data)


class UserDetailApi(APIView):
    def get_permissions(self) -> list[Any]:
        perm = (
            "commerce.view_user"
            if self.request.method == "GET"
            else "commerce.change_user"
        )
        return [permissions_required(perm)()]

    @extend_schema(
        responses={200: s.UserOutputSerializer},
        summary="One user (administrators)",
        tags=["users"],
    )
    def get(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(User.objects.prefetch_related("groups"), pk=user_id)
        return Response(s.UserOutputSerializer(user, context={"request": request}).data)

    @extend_schema(
        request=s.UserUpdateInputSerializer,
        responses={200: s.UserOutputSerializer},
        summary="Change a user's details, active flag or role (administrators)",
        tags=["users"],
    )
    def patch(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(User, pk=user_id)
        serializer = s.UserUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_update(
            user=user, data=serializer.validated_data, actor=request.user
        )
        user = User.objects.prefetch_related("groups").get(pk=user.pk)
        return Response(s.UserOutputSerializer(user, context={"request": request}).data)
