"""What other packages do when a customer logs in or registers.

The cart package registers the merge of a guest cart (the frontend sends the
guest's ``X-Cart-Token`` with the login) at start-up, so accounts imports nothing
above it.
"""

import uuid
from collections.abc import Callable

from commerce.accounts.models import User

LoginHook = Callable[..., None]  # hook(user=, cart_token=)
_hooks: list[LoginHook] = []


def login_hook_register(hook: LoginHook) -> None:
    """Call ``hook(user=, cart_token=)`` after each login that carries a cart token."""
    if hook not in _hooks:
        _hooks.append(hook)


def logged_in(*, user: User, cart_token: str) -> None:
    """Run the login hooks for a login that sent ``cart_token`` (ignored if malformed)."""
    try:
        token = uuid.UUID(cart_token.strip())
    except (AttributeError, ValueError):
        return
    for hook in _hooks:
        hook(user=user, cart_token=token)
