from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from social_core.backends.oauth import OAuthAuth
from social_django.utils import load_backend, load_strategy

from commerce.accounts.api.login import login_tokens
from commerce.accounts.api.serializers import social as s
from commerce.accounts.api.serializers.users import TokenPairOutputSerializer
from commerce.accounts.selectors.social import (
    SOCIAL_PROVIDER_BACKENDS,
    firebase_login_enabled,
    login_method_list,
    social_provider_enabled,
)
from commerce.accounts.services.firebase_auth import firebase_login
from commerce.accounts.services.social import (
    social_callback_complete,
    social_login_code_create,
    social_login_code_redeem,
    social_redirect_target_get,
    social_redirect_url_get,
    social_token_login,
)
from commerce.exceptions import LoginMethodDisabledError
from config.exceptions import ApplicationError
from config.openapi import problem_responses
from config.views import PublicApi

REDIRECT_SESSION_KEY = "social_login_redirect_url"
PROVIDER_PARAMETER = OpenApiParameter(
    "provider",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(SOCIAL_PROVIDER_BACKENDS),
)


def _backend(request: Request, provider: str) -> OAuthAuth[Any]:
    if not social_provider_enabled(provider=provider):
        raise LoginMethodDisabledError()
    callback = reverse("commerce:social-login-callback", kwargs={"provider": provider})
    return load_backend(
        load_strategy(request._request),
        SOCIAL_PROVIDER_BACKENDS[provider],
        redirect_uri=callback,
    )


def _url_with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query), *params.items()])
    return urlunsplit(parts._replace(query=query))


class LoginMethodListApi(PublicApi):
    @extend_schema(
        responses={200: s.LoginMethodListOutputSerializer},
        summary="The login methods this server accepts",
        description=(
            "`password` always; `google`, `facebook` (flows `redirect` and `token`) "
            "and `firebase` (flow `token`) only when their keys are configured."
        ),
        tags=["users"],
    )
    def get(self, request: Request) -> Response:
        body = {"methods": login_method_list()}
        return Response(s.LoginMethodListOutputSerializer(body).data)


class SocialLoginApi(PublicApi):
    @extend_schema(
        parameters=[
            PROVIDER_PARAMETER,
            OpenApiParameter(
                "redirect_uri",
                OpenApiTypes.URI,
                description=(
                    "The frontend page to return to; one of SOCIAL_LOGIN_REDIRECT_URLS "
                    "(optional when only one is configured)."
                ),
            ),
        ],
        responses={302: OpenApiResponse(description="Redirect to the provider")},
        operation_id="users_login_social_redirect",
        summary="Browser login: redirect to Google or Facebook",
        description=(
            "After the provider, the callback redirects to `redirect_uri` with "
            "`?code=<one-time code>` (exchange it at `/api/users/login/code`) or "
            "`?error=<code>`."
        ),
        tags=["users"],
    )
    def get(self, request: Request, provider: str) -> HttpResponseRedirect:
        backend = _backend(request, provider)
        serializer = s.SocialRedirectInputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        target = social_redirect_target_get(
            redirect_url=serializer.validated_data.get("redirect_uri")
        )
        request.session[REDIRECT_SESSION_KEY] = target
        return HttpResponseRedirect(social_redirect_url_get(backend=backend))

    @extend_schema(
        parameters=[PROVIDER_PARAMETER],
        request=s.SocialTokenLoginInputSerializer,
        responses={200: TokenPairOutputSerializer, **problem_responses(401, 409, 503)},
        operation_id="users_login_social_token",
        summary="Mobile/SPA login with a Google or Facebook token",
        description=(
            "The provider's access token (or, for Google, an ID token) is checked with "
            "the provider, including that it was issued to this app. An invalid or "
            "expired token gives 401; an existing account with the same email is "
            "linked only when the provider says the email is verified (409 otherwise)."
        ),
        tags=["users"],
    )
    def post(self, request: Request, provider: str) -> Response:
        backend = _backend(request, provider)
        serializer = s.SocialTokenLoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data.get("id_token") and provider != "google":
            raise LoginMethodDisabledError("ID tokens are accepted only from Google.")
        user = social_token_login(backend=backend, **serializer.validated_data)
        return Response(login_tokens(request, user))


class SocialLoginCallbackApi(PublicApi):
    @extend_schema(
        parameters=[PROVIDER_PARAMETER],
        responses={
            302: OpenApiResponse(
                description="Redirect to the frontend with ?code= or ?error="
            )
        },
        operation_id="users_login_social_callback",
        summary="Browser login: the provider's callback",
        tags=["users"],
    )
    def get(self, request: Request, provider: str) -> HttpResponseRedirect:
        backend = _backend(request, provider)
        target = social_redirect_target_get(
            redirect_url=request.session.get(REDIRECT_SESSION_KEY)
        )
        try:
            user = social_callback_complete(backend=backend)
        except ApplicationError as error:
            return HttpResponseRedirect(_url_with_query(target, error=error.code))
        request.session.pop(REDIRECT_SESSION_KEY, None)
        code = social_login_code_create(user=user, redirect_url=target)
        return HttpResponseRedirect(_url_with_query(target, code=code))


class LoginCodeExchangeApi(PublicApi):
    @extend_schema(
        request=s.LoginCodeExchangeInputSerializer,
        responses={200: TokenPairOutputSerializer, **problem_responses(401)},
        summary="Exchange the browser login's one-time code for a token pair",
        description="A code works once, for a minute; a used or expired code is 401.",
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.LoginCodeExchangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = social_login_code_redeem(code=serializer.validated_data["code"])
        return Response(login_tokens(request, user))


class FirebaseLoginApi(PublicApi):
    @extend_schema(
        request=s.FirebaseLoginInputSerializer,
        responses={
            200: TokenPairOutputSerializer,
            **problem_responses(401, 404, 409, 503),
        },
        summary="Log in with a Firebase ID token",
        description=(
            "The token must be signed by Google for our Firebase project and not "
            "expired (401 otherwise). The user is found by Firebase uid, then by "
            "verified email; a new user is a customer."
        ),
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        if not firebase_login_enabled():
            raise LoginMethodDisabledError()
        serializer = s.FirebaseLoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = firebase_login(id_token=serializer.validated_data["id_token"])
        return Response(login_tokens(request, user))
