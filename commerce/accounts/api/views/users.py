from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.accounts.api.login import login_tokens
from commerce.accounts.api.serializers import users as s
from commerce.accounts.login_throttle import (
    login_failures_forget,
    login_retry_after,
    login_succeeded,
)
from commerce.accounts.selectors.users import user_get, user_list
from commerce.accounts.services.tokens import (
    token_pair_issue,
    token_refresh,
    tokens_revoke,
)
from commerce.accounts.services.users import (
    email_change_confirm,
    email_change_request,
    password_reset_confirm,
    password_reset_request,
    user_delete,
    user_profile_update,
    user_register,
    user_update,
)
from commerce.exceptions import InvalidCredentialsError, TooManyLoginAttemptsError
from config.openapi import problem_responses
from config.pagination import list_query_validate, page_response
from config.parsers import JSONParser
from config.permissions import permissions_required
from config.throttling import AddressRateThrottle
from config.views import PublicApi

THROTTLED = {
    429: OpenApiResponse(
        description="Too many requests from this address; see Retry-After."
    )
}
RESET_ACCEPTED = "If an active account uses this address, a reset link is on its way."


def _user_body(request: Request, user: Any) -> Any:
    return s.UserOutputSerializer(user, context={"request": request}).data


class UserRegisterApi(PublicApi):
    throttle_classes = [AddressRateThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=s.UserRegisterInputSerializer,
        responses={201: s.UserRegisterOutputSerializer, **THROTTLED},
        summary="Register a customer account",
        description=(
            "An address that already has an account gets 400 (the answer of a "
            "success carries tokens, so it cannot look the same); its owner is "
            "mailed a password reset link. Limited per client address."
        ),
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.UserRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        body = {
            "user": _user_body(request, user),
            "tokens": login_tokens(request, user),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class UserLoginApi(PublicApi):
    @extend_schema(
        request=s.UserLoginInputSerializer,
        responses={200: s.TokenPairOutputSerializer, **problem_responses(401, 429)},
        summary="Log in with email and password",
        description=(
            "Wrong credentials give 401 with one message whether or not the email "
            "exists. Too many failures of one account from one address give 429 for "
            "that pair only (with Retry-After); an address failing for many accounts "
            "is blocked at a much higher count; an account under attack slows down "
            "addresses that already failed for it, never a new one."
        ),
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.UserLoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request
        email = serializer.validated_data["email"]
        wait = login_retry_after(request=django_request, email=email)
        if wait:
            raise TooManyLoginAttemptsError(headers={"Retry-After": str(wait)})
        user = authenticate(
            django_request, email=email, password=serializer.validated_data["password"]
        )
        if user is None:
            # This attempt was checked and failed: it answers 401 even if it reached
            # the limit (AxesMiddleware would turn it into 429); the next one gets 429.
            django_request.axes_locked_out = False
            raise InvalidCredentialsError()
        login_succeeded(request=django_request, email=email)
        return Response(login_tokens(request, user))


class TokenRefreshApi(PublicApi):
    @extend_schema(
        request=s.TokenRefreshInputSerializer,
        responses={200: s.TokenPairOutputSerializer, **problem_responses(401)},
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
        return Response(_user_body(request, request.user))

    @extend_schema(
        request=s.UserProfileUpdateInputSerializer,
        responses={200: s.UserProfileUpdateOutputSerializer},
        summary="Update the caller's profile; a new password needs current_password",
        description=(
            "Any other field (email, role, unknown names) is refused with 400. A "
            "password change revokes every token of the account and returns a fresh "
            "pair for this session in `tokens`."
        ),
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
        body = _user_body(request, user)
        if "password" in data:
            body["tokens"] = token_pair_issue(user=user)
        return Response(body)


class PasswordResetApi(PublicApi):
    throttle_classes = [AddressRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(
        request=s.PasswordResetInputSerializer,
        responses={202: s.AcceptedOutputSerializer, **THROTTLED},
        summary="Mail a password reset link",
        description=(
            "202 whatever the address: the answer says nothing about which addresses "
            "have an account. The link (PASSWORD_RESET_URL) carries a single-use token "
            "that expires after PASSWORD_RESET_TIMEOUT_SECONDS."
        ),
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.PasswordResetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        password_reset_request(email=serializer.validated_data["email"])
        return Response({"detail": RESET_ACCEPTED}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmApi(PublicApi):
    throttle_classes = [AddressRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(
        request=s.PasswordResetConfirmInputSerializer,
        responses={204: None, **THROTTLED},
        summary="Set a new password with the token of a reset link",
        description=(
            "Every access and refresh token of the account is revoked, and its failed "
            "logins are forgotten; log in again. "
            "An unknown, used, expired or malformed token gives 400 `invalid_token`."
        ),
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.PasswordResetConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = password_reset_confirm(**serializer.validated_data)
        login_failures_forget(email=user.email)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailChangeApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AddressRateThrottle]
    throttle_scope = "email_change"

    @extend_schema(
        request=s.EmailChangeInputSerializer,
        responses={202: s.AcceptedOutputSerializer, **THROTTLED},
        summary="Ask to change the caller's email address",
        description=(
            "Needs the current password. A confirmation link "
            "(EMAIL_CHANGE_CONFIRM_URL) goes to the new address; the account keeps "
            "its address until the link is confirmed."
        ),
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.EmailChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email_change_request(user=request.user, **serializer.validated_data)
        return Response(
            {"detail": "A confirmation link was sent to the new address."},
            status=status.HTTP_202_ACCEPTED,
        )


class EmailChangeConfirmApi(PublicApi):
    throttle_classes = [AddressRateThrottle]
    throttle_scope = "email_change"

    @extend_schema(
        request=s.EmailChangeConfirmInputSerializer,
        responses={200: s.UserOutputSerializer, **THROTTLED},
        summary="Confirm a new email address with the token of its link",
        description=(
            "The old address is told of the change. An unknown, used, expired or "
            "malformed token gives 400 `invalid_token`; an address that another "
            "account uses gives 400 `email_in_use`."
        ),
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.EmailChangeConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = email_change_confirm(token=serializer.validated_data["token"])
        return Response(_user_body(request, user))


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
        return page_response(
            request,
            user_list(**filters),
            view=self,
            output=lambda page: (
                s.UserOutputSerializer(
                    page, many=True, context={"request": request}
                ).data
            ),
        )


class UserDetailApi(APIView):
    def get_permissions(self) -> list[Any]:
        perm = {"GET": "commerce.view_user", "DELETE": "commerce.delete_user"}.get(
            self.request.method or "", "commerce.change_user"
        )
        return [permissions_required(perm)()]

    @extend_schema(
        responses={200: s.UserOutputSerializer},
        summary="One user (administrators)",
        tags=["users"],
    )
    def get(self, request: Request, user_id: int) -> Response:
        user = user_get(user_id=user_id, with_groups=True)
        return Response(_user_body(request, user))

    @extend_schema(
        request=s.UserUpdateInputSerializer,
        responses={200: s.UserOutputSerializer},
        summary="Change a user's details, active flag or role (administrators)",
        tags=["users"],
    )
    def patch(self, request: Request, user_id: int) -> Response:
        user = user_get(user_id=user_id)
        serializer = s.UserUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_update(
            user=user, data=serializer.validated_data, actor=request.user
        )
        user = user_get(user_id=user.pk, with_groups=True)
        return Response(_user_body(request, user))

    @extend_schema(
        responses={204: None},
        summary="Delete a user without orders (administrators)",
        description=(
            "A user who has orders cannot be deleted (409 `user_has_orders`): "
            "deactivate the account instead (PATCH `is_active=false`)."
        ),
        tags=["users"],
    )
    def delete(self, request: Request, user_id: int) -> Response:
        user = user_get(user_id=user_id)
        user_delete(user=user, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
