from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from commerce.catalogue.services.categories import category_create
from commerce.catalogue.services.sellables import product_create

pytestmark = pytest.mark.django_db


def test_wagtail_api_v2_lists_live_products_with_their_fields_anonymously():
    # given
    category = category_create(
        parent_id=None, data={"title": "Flowers"}, publish=True, user=None
    )
    product_create(
        data={
            "category": category.pk,
            "title": "Rose",
            "price": Decimal("4.50"),
            "sku": "R-1",
        },
        publish=True,
        user=None,
    )
    product_create(
        data={
            "category": category.pk,
            "title": "Draft",
            "price": Decimal("1.00"),
            "sku": "D-1",
        },
        publish=False,
        user=None,
    )

    # when
    response = APIClient().get(
        "/api/v2/pages/", {"type": "commerce.ProductPage", "fields": "price,sku,tags"}
    )

    # then
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(item["title"], item["price"], item["sku"]) for item in items] == [
        ("Rose", "4.50", "R-1")
    ]


@pytest.mark.parametrize("endpoint", ["/api/v2/images/", "/api/v2/documents/"])
def test_wagtail_api_v2_media_endpoints_are_public(endpoint):
    assert APIClient().get(endpoint).status_code == 200
