import uuid

import pytest

from customization import services


@pytest.fixture
def live_guest_tokens(monkeypatch: pytest.MonkeyPatch) -> set[uuid.UUID]:
    """The tokens of live guest carts: one to start with; a test may add more.

    Registers a guest-cart check that accepts exactly these tokens, as the cart app
    registers its own; the check registered before the test is put back after it.
    """
    tokens = {uuid.uuid4()}
    monkeypatch.setattr(
        services, "_guest_token_validator", services._guest_token_validator
    )
    services.guest_token_validator_register(lambda token: token in tokens)
    return tokens


@pytest.fixture
def guest_token(live_guest_tokens: set[uuid.UUID]) -> uuid.UUID:
    """The token of a live guest cart."""
    return next(iter(live_guest_tokens))
