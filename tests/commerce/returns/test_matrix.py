"""Every returns endpoint × anonymous, the order's customer, another customer and staff."""

import pytest
import time_machine

from commerce.returns.models import ReturnRequest
from commerce.returns.services import return_approve, return_request_create
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.commerce.returns.conftest import DELIVERED_AT

pytestmark = pytest.mark.django_db

WITHIN = DELIVERED_AT.replace(day=2)
ROLES = ("anonymous", "owner", "other_customer", "manager", "administrator")
# (method, path, body, state the return is in first, expected status per role)
MATRIX = [
    (
        "post",
        "/api/orders/{order}/returns",
        {"reason": "x"},
        None,
        (401, 201, 404, 403, 403),
    ),
    (
        "get",
        "/api/orders/{order}/returns",
        None,
        "requested",
        (401, 200, 404, 200, 200),
    ),
    ("get", "/api/admin/returns", None, "requested", (401, 403, 403, 200, 200)),
    (
        "post",
        "/api/admin/returns/{ret}/approve",
        {},
        "requested",
        (401, 403, 403, 200, 200),
    ),
    (
        "post",
        "/api/admin/returns/{ret}/reject",
        {"note": "No"},
        "requested",
        (401, 403, 403, 200, 200),
    ),
    (
        "post",
        "/api/admin/returns/{ret}/receive",
        {},
        "approved",
        (401, 403, 403, 200, 200),
    ),
    ("post", "/api/admin/returns/999999/receive", {}, None, (401, 403, 403, 404, 404)),
]


@time_machine.travel(WITHIN, tick=False)
@pytest.mark.parametrize(
    ("method", "path", "body", "state", "expected"),
    MATRIX,
    ids=[f"{row[0]} {row[1]}" for row in MATRIX],
)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_returns_permission_matrix(
    delivered, customer, manager, method, path, body, state, expected, role_index
):
    # given
    asked = None
    if state is not None:
        asked = return_request_create(
            order_id=delivered.pk, customer=customer, reason="x"
        )
        if state == "approved":
            return_approve(return_id=asked.pk, actor=manager)
    role = ROLES[role_index]
    actor = {
        "anonymous": None,
        "owner": customer,
        "other_customer": UserFactory(),
        "manager": UserFactory(role="manager"),
        "administrator": UserFactory(role="administrator"),
    }[role]
    url = path.format(order=delivered.pk, ret=asked.pk if asked else 0)
    statuses_before = list(ReturnRequest.objects.values_list("status", flat=True))

    # when
    response = getattr(client_for(actor), method)(url, body, format="json")

    # then
    assert response.status_code == expected[role_index], response.content
    if response.status_code >= 400 and method == "post":
        assert list(ReturnRequest.objects.values_list("status", flat=True)) == (
            statuses_before
        )


@time_machine.travel(WITHIN, tick=False)
def test_the_customer_reads_no_staff_identities(delivered, customer, manager):
    asked = return_request_create(order_id=delivered.pk, customer=customer, reason="x")
    return_approve(return_id=asked.pk, actor=manager, note="Send it")

    customer_view = client_for(customer).get(f"/api/orders/{delivered.pk}/returns")
    staff_view = client_for(manager).get("/api/admin/returns", {"status": "approved"})

    (mine,) = customer_view.json()["results"]
    assert "decided_by" not in mine
    assert mine["staff_note"] == "Send it"
    assert staff_view.json()["count"] == 1
    assert staff_view.json()["results"][0]["decided_by"] == {
        "id": manager.pk,
        "email": manager.email,
    }
    assert staff_view.json()["results"][0]["customer"] == {
        "id": customer.pk,
        "email": customer.email,
    }
    bad = client_for(manager).get("/api/admin/returns", {"status": "lost"})
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["status"]
