"""Guests upload photos with their cart token (X-Cart-Token) and only they see them."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from customization import services
from customization.models import CustomerUpload
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.customization.builders import guest_upload_make, png_bytes, upload_make

pytestmark = pytest.mark.django_db

CART_TOKEN_ERROR = {"cart_token": ["Unknown or expired cart token."]}


def _guest(token: uuid.UUID | str | None) -> APIClient:
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_X_CART_TOKEN=str(token))
    return client


def _header(token: uuid.UUID) -> dict[str, str]:
    return {"HTTP_X_CART_TOKEN": str(token)}


def _post(client: APIClient, **headers: str):
    return client.post(
        "/api/uploads",
        {"file": SimpleUploadedFile("dot.png", png_bytes(), "image/png")},
        format="multipart",
        **headers,
    )


def _reads(
    client: APIClient, upload: CustomerUpload, **headers: str
) -> tuple[int, int]:
    detail = client.get(f"/api/uploads/{upload.pk}", **headers)
    file = client.get(f"/api/uploads/{upload.pk}/file", **headers)
    return detail.status_code, file.status_code


def test_a_guest_uploads_with_its_cart_token_and_gets_it_back(guest_token):
    # given
    client = _guest(guest_token)

    # when
    response = _post(client)

    # then
    assert response.status_code == 201, response.content
    upload = CustomerUpload.objects.get()
    assert response.json()["id"] == str(upload.pk)
    assert (upload.owner_id, upload.guest_token) == (None, guest_token)
    assert upload.file.name == f"uploads/guests/{upload.pk}.png"
    assert str(guest_token) not in upload.file.name
    detail = client.get(f"/api/uploads/{upload.pk}")
    assert detail.status_code == 200
    assert detail.json()["id"] == str(upload.pk)
    file = client.get(f"/api/uploads/{upload.pk}/file")
    assert file.status_code == 200
    assert file["Content-Type"] == "image/png"
    assert file["Cache-Control"] == "private, no-store"
    content = b"".join(file.streaming_content)
    assert len(content) == upload.size
    assert content.startswith(b"\x89PNG\r\n")


def test_the_token_header_is_read_in_any_letter_case(guest_token):
    response = _post(_guest(str(guest_token).upper()))

    assert response.status_code == 201, response.content
    assert CustomerUpload.objects.get().guest_token == guest_token


@pytest.mark.parametrize(
    "token",
    [str(uuid.uuid4()), "not-a-token", "1" * 65],
    ids=["unknown_case", "malformed_case", "too_long_case"],
)
def test_an_unknown_or_malformed_token_is_a_400_and_nothing_is_stored(
    guest_token, token
):
    response = _post(_guest(token))

    assert response.status_code == 400
    assert response.json()["errors"] == CART_TOKEN_ERROR
    assert CustomerUpload.objects.count() == 0


def test_an_expired_cart_token_is_refused(live_guest_tokens, guest_token):
    # given: the cart was live, then it expired
    live_guest_tokens.discard(guest_token)

    # when
    response = _post(_guest(guest_token))

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == CART_TOKEN_ERROR
    assert CustomerUpload.objects.count() == 0


def test_without_a_registered_cart_check_every_guest_token_is_refused(monkeypatch):
    monkeypatch.setattr(services, "_guest_token_validator", None)

    response = _post(_guest(uuid.uuid4()))

    assert response.status_code == 400
    assert response.json()["errors"] == CART_TOKEN_ERROR
    assert CustomerUpload.objects.count() == 0


@pytest.mark.parametrize("token", ["", "   "], ids=["empty_case", "blank_case"])
def test_an_anonymous_upload_without_a_token_is_401(guest_token, token):
    response = _post(_guest(token))

    assert response.status_code == 401
    assert CustomerUpload.objects.count() == 0


def test_a_logged_in_customer_uploads_as_themselves_whatever_the_header(guest_token):
    # given
    customer = UserFactory()

    # when
    response = _post(client_for(customer), **_header(guest_token))

    # then
    assert response.status_code == 201, response.content
    upload = CustomerUpload.objects.get()
    assert (upload.owner_id, upload.guest_token) == (customer.pk, None)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("the_guest", (200, 200)),
        ("other_live_guest", (404, 404)),
        ("unknown_token", (404, 404)),
        ("malformed_token", (404, 404)),
        ("no_token", (401, 401)),
        ("other_customer", (404, 404)),
        ("other_customer_with_the_token", (404, 404)),
        ("manager", (200, 200)),
    ],
    ids=lambda value: f"{value}_case" if isinstance(value, str) else None,
)
def test_a_guest_upload_is_private_to_its_cart_token_and_staff(
    live_guest_tokens, guest_token, persona, expected
):
    # given
    upload = guest_upload_make(guest_token)
    other_token = uuid.uuid4()
    live_guest_tokens.add(other_token)
    callers = {
        "the_guest": (_guest(guest_token), {}),
        "other_live_guest": (_guest(other_token), {}),
        "unknown_token": (_guest(uuid.uuid4()), {}),
        "malformed_token": (_guest("nope"), {}),
        "no_token": (_guest(None), {}),
        "other_customer": (client_for(UserFactory()), {}),
        "other_customer_with_the_token": (
            client_for(UserFactory()),
            _header(guest_token),
        ),
        "manager": (client_for(UserFactory(role="manager")), {}),
    }
    client, headers = callers[persona]

    # when
    statuses = _reads(client, upload, **headers)

    # then
    assert statuses == expected


def test_a_cart_token_never_reaches_a_customers_upload(guest_token):
    upload = upload_make(UserFactory())

    assert _reads(_guest(guest_token), upload) == (404, 404)


def test_an_expired_cart_token_no_longer_reaches_its_uploads(
    live_guest_tokens, guest_token
):
    upload = guest_upload_make(guest_token)
    live_guest_tokens.discard(guest_token)

    assert _reads(_guest(guest_token), upload) == (404, 404)


def test_after_adoption_the_customer_reads_the_upload_and_the_token_does_not(
    guest_token,
):
    # given
    customer = UserFactory()
    upload = guest_upload_make(guest_token)

    # when
    services.uploads_guest_adopt(guest_token=guest_token, owner_id=customer.pk)

    # then
    assert _reads(client_for(customer), upload) == (200, 200)
    assert _reads(_guest(guest_token), upload) == (404, 404)


def test_guest_uploads_are_rate_limited_per_cart_token(live_guest_tokens, settings):
    # given
    settings.CUSTOMER_UPLOAD_RATE_PER_ACCOUNT = "2/minute"
    first, second = next(iter(live_guest_tokens)), uuid.uuid4()
    live_guest_tokens.add(second)

    # when
    statuses = [_post(_guest(first)).status_code for _ in range(3)]
    other = _post(_guest(second))

    # then
    assert statuses == [201, 201, 429]
    assert other.status_code == 201
    assert CustomerUpload.objects.filter(guest_token=first).count() == 2
    assert CustomerUpload.objects.filter(guest_token=second).count() == 1
