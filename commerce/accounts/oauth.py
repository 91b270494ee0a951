"""django-oauth-toolkit glue for our JWT access tokens."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class JwtAccessTokenValidator(OAuth2Validator):
    """Validate our JWT access tokens like any other bearer token.

    oauthlib sends tokens that look like JWTs to ``validate_jwt_bearer_token``; ours
    are stored (as checksums) like opaque tokens, so the database lookup decides:
    a revoked, expired or forged token is not found or not valid. A token of a
    deactivated user stops working at once, and its refresh token is refused.
    """

    def validate_bearer_token(
        self, token: str, scopes: list[str], request: Any
    ) -> bool:
        if not super().validate_bearer_token(token, scopes, request):
            return False
        user = getattr(request, "user", None)
        if user is None or user.is_active:
            return True
        request.oauth2_error = {
            "error": "invalid_token",
            "error_description": "The account of this token is deactivated.",
        }
        return False

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        """A deactivated account cannot refresh either."""
        if not super().validate_refresh_token(
            refresh_token, client, request, *args, **kwargs
        ):
            return False
        user = getattr(request, "user", None)
        return user is None or user.is_active

    def validate_grant_type(
        self,
        client_id: str,
        grant_type: str,
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        """An integration whose owner is deactivated gets no new token."""
        if not super().validate_grant_type(
            client_id, grant_type, client, request, *args, **kwargs
        ):
            return False
        if grant_type != "client_credentials":
            return True
        owner = getattr(client, "user", None)
        return owner is not None and owner.is_active

    def validate_jwt_bearer_token(
        self, token: str, scopes: list[str], request: Any
    ) -> bool:
        return self.validate_bearer_token(token, scopes, request)
