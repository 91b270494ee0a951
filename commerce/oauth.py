"""django-oauth-toolkit glue for our JWT access tokens."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class JwtAccessTokenValidator(OAuth2Validator):
    """Validate our JWT access tokens like any other bearer token.

    oauthlib sends tokens that look like JWTs to ``validate_jwt_bearer_token``; ours
    are stored (as checksums) like opaque tokens, so the database lookup decides:
    a revoked, expired or forged token is not found or not valid. A token of a
    deactivated user stops working at once.
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

    def validate_jwt_bearer_token(
        self, token: str, scopes: list[str], request: Any
    ) -> bool:
        return self.validate_bearer_token(token, scopes, request)
