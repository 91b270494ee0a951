"""Every cart, order and payment endpoint × anonymous/owner/other customer/staff."""

import pytest

from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.checkout_factories import VoucherFactory
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for, placeholders_fill

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "owner", "other_customer", "manager", "administrator")
CARD = {"gateway": "dummy_card", "card_number": "4242424242424242"}

# (method, path, body, expected status per persona in PERSONAS order). {line} is a
# line in the owner's cart; {order} an order of the owner; {paid} a paid one.
MATRIX = [
    ("get", "/api/cart", None, (401, 200, 200, 200, 200)),
    ("post", "/api/cart/items", {"product": "{product}"}, (401, 201, 201, 201, 201)),
    ("patch", "/api/cart/items/{line}", {"quantity": 2}, (401, 200, 404, 404, 404)),
    ("delete", "/api/cart/items/{line}", None, (401, 200, 404, 404, 404)),
    ("post", "/api/cart/voucher", {"code": "WELCOME10"}, (401, 200, 200, 200, 200)),
    ("post", "/api/cart/voucher", {"code": "NOSUCH"}, (401, 400, 400, 400, 400)),
    ("delete", "/api/cart/voucher", None, (401, 200, 200, 200, 200)),
    ("get", "/api/orders", None, (401, 200, 200, 200, 200)),
    (
        "post",
        "/api/orders",
        {"lines": [{"product": "{product}"}], "shipping_address": ADDRESS},
        (401, 201, 201, 201, 201),
    ),
    ("get", "/api/orders/{order}", None, (401, 200, 404, 200, 200)),
    (
        "patch",
        "/api/orders/{order}",
        {"status": "cancelled"},
        (401, 200, 404, 200, 200),
    ),
    ("put", "/api/orders/{paid}", {"status": "processing"}, (401, 403, 404, 200, 200)),
    # Unpaid: staff may not process it yet (a conflict), the others as above.
    ("put", "/api/orders/{order}", {"status": "processing"}, (401, 403, 404, 409, 409)),
    ("post", "/api/orders/{order}/pay", CARD, (401, 200, 404, 200, 200)),
    ("post", "/api/orders/{paid}/refund", None, (401, 403, 404, 200, 200)),
    ("get", "/api/payments/gateways", None, (200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    MATRIX,
    ids=[f"{m[0]} {m[1]}" for m in MATRIX],
)
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
def test_orders_permission_matrix(method, path, body, expected, persona_index):
    # given
    product = product_make(category_make(), price="5.00", stock=20)
    VoucherFactory(code="WELCOME10")
    owner = UserFactory()
    owner_client = client_for(owner)
    line = owner_client.post(
        "/api/cart/items", {"product": product.pk}, format="json"
    ).json()["lines"][0]["id"]
    order_body = {"lines": [{"product": product.pk}], "shipping_address": ADDRESS}
    order = owner_client.post("/api/orders", order_body, format="json").json()["id"]
    paid = owner_client.post("/api/orders", order_body, format="json").json()["id"]
    owner_client.post(f"/api/orders/{paid}/pay", CARD, format="json")
    persona = PERSONAS[persona_index]
    actor = {
        "anonymous": None,
        "owner": owner,
        "other_customer": UserFactory(),
        "manager": UserFactory(role="manager"),
        "administrator": UserFactory(role="administrator"),
    }[persona]
    values = {"product": product.pk, "line": line, "order": order, "paid": paid}

    # when
    response = getattr(client_for(actor), method)(
        path.format(**values), placeholders_fill(body, values), format="json"
    )

    # then
    assert response.status_code == expected[persona_index], response.content
