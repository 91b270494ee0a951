"""Signed preview tokens: a headless frontend fetches the latest draft of a page."""

from django.conf import settings
from django.core import signing

from commerce.exceptions import CatalogueNotFoundError

PREVIEW_SALT = "fantasize.catalogue.preview"


def preview_token_create(*, kind: str, page_id: int) -> str:
    """A signed token that lets a headless frontend fetch the latest draft of a page."""
    return signing.dumps(
        {"kind": kind, "id": page_id}, salt=PREVIEW_SALT, compress=True
    )


def preview_token_read(*, token: str) -> tuple[str, int]:
    try:
        data = signing.loads(
            token, salt=PREVIEW_SALT, max_age=settings.PREVIEW_TOKEN_MAX_AGE_SECONDS
        )
    except signing.BadSignature as error:
        raise CatalogueNotFoundError(
            "The preview link is invalid or has expired."
        ) from error
    return str(data["kind"]), int(data["id"])
