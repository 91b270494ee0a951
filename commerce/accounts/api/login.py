"""The answer to a successful login or registration."""

from typing import Any

from rest_framework.request import Request

from commerce.accounts.models import User
from commerce.accounts.services.login_hooks import logged_in
from commerce.accounts.services.tokens import token_pair_issue

# The guest cart a frontend held before the login; it merges into the customer's.
CART_TOKEN_HEADER = "X-Cart-Token"  # noqa: S105 - a header name


def login_tokens(request: Request, user: User) -> dict[str, Any]:
    """The token pair for ``user``, after the login hooks (guest cart merge) ran."""
    cart_token = request.headers.get(CART_TOKEN_HEADER, "")
    if cart_token:
        logged_in(user=user, cart_token=cart_token)
    return token_pair_issue(user=user)
