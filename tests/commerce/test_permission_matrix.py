"""Every endpoint of the accounts API × anonymous/customer/manager/administrator."""

import pytest

from commerce.accounts.services.tokens import token_pair_issue
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory
from tests.commerce.review_factories import review_make

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "customer", "manager", "administrator")


def _request(client, method, path, body):
    return getattr(client, method)(path, body, format="json")


# (method, path, body, expected status per persona in PERSONAS order)
MATRIX = [
    ("get", "/api/users/profile", None, (401, 200, 200, 200)),
    ("patch", "/api/users/profile", {"name": "Renamed"}, (401, 200, 200, 200)),
    ("post", "/api/users/logout", {}, (401, 204, 204, 204)),
    ("get", "/api/users/favourites", None, (401, 200, 200, 200)),
    # Page 1 is Wagtail's root, no product: refused on its field, once signed in.
    ("post", "/api/users/favourites", {"product": 1}, (401, 400, 400, 400)),
    ("delete", "/api/users/favourites/product/1", None, (401, 204, 204, 204)),
    ("get", "/api/brands", None, (200, 200, 200, 200)),
    ("get", "/api/materials", None, (200, 200, 200, 200)),
    ("get", "/api/users", None, (401, 403, 403, 200)),
    ("get", "/api/users/{target}", None, (401, 403, 403, 200)),
    ("get", "/api/admin/returns", None, (401, 403, 200, 200)),
    ("post", "/api/admin/returns/999999/approve", {}, (401, 403, 404, 404)),
    ("patch", "/api/users/{target}", {"name": "Changed"}, (401, 403, 403, 200)),
    ("patch", "/api/users/{target}", {"role": "manager"}, (401, 403, 403, 200)),
    (
        "post",
        "/api/users/register",
        {"email": "{persona}-new@example.com", "password": DEFAULT_PASSWORD},
        (201, 201, 201, 201),
    ),
    (
        "post",
        "/api/users/login",
        {"email": "target@example.com", "password": DEFAULT_PASSWORD},
        (200, 200, 200, 200),
    ),
    (
        "post",
        "/api/users/token/refresh",
        {"refresh_token": "{refresh}"},
        (200, 200, 200, 200),
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    MATRIX,
    ids=[f"{m[0]} {m[1]} {sorted((m[2] or {}).keys())}" for m in MATRIX],
)
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
def test_permission_matrix(persona_client, method, path, body, expected, persona_index):
    # given
    persona = PERSONAS[persona_index]
    client, _user = persona_client(persona)
    target = UserFactory(email="target@example.com")
    refresh = token_pair_issue(user=target)["refresh_token"]
    values = {"target": target.pk, "persona": persona, "refresh": refresh}
    path = path.format(**values)
    if body is not None:
        body = {
            key: value.format(**values) if isinstance(value, str) else value
            for key, value in body.items()
        }

    # when
    response = _request(client, method, path, body)

    # then
    assert response.status_code == expected[persona_index], response.content


# Reviews (tests/commerce/reviews/test_moderation.py has the full matrix): nobody
# here received the product, so writing a review is 403 for every role.
REVIEW_MATRIX = [
    ("get", "/api/products/{product}/reviews", None, (200, 200, 200, 200)),
    ("post", "/api/products/{product}/reviews", {"rating": 5}, (401, 403, 403, 403)),
    ("get", "/api/admin/reviews", None, (401, 403, 200, 200)),
    ("post", "/api/admin/reviews/{review}/hide", {}, (401, 403, 200, 200)),
    ("post", "/api/admin/reviews/{review}/publish", {}, (401, 403, 200, 200)),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    REVIEW_MATRIX,
    ids=[f"{m[0]} {m[1]}" for m in REVIEW_MATRIX],
)
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
def test_review_permission_matrix(
    persona_client, method, path, body, expected, persona_index
):
    # given
    client, _user = persona_client(PERSONAS[persona_index])
    product = product_make(category_make())
    review = review_make(UserFactory(email="reviewer@example.com"), product, 4)
    path = path.format(product=product.pk, review=review.pk)

    # when
    response = _request(client, method, path, body)

    # then
    assert response.status_code == expected[persona_index], response.content


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("customer", 302), ("manager", 200), ("administrator", 200)],
    ids=["anonymous_case", "customer_case", "manager_case", "administrator_case"],
)
def test_wagtail_admin_is_for_managers_and_administrators(client, persona, expected):
    if persona != "anonymous":
        client.force_login(UserFactory(role=persona))

    response = client.get("/admin/")

    assert response.status_code == expected
    if expected == 302:
        assert "/admin/login/" in response["Location"]
