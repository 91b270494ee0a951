"""Server-rendered catalogue pages: the public site and the admin's draft preview."""

import pytest
from django.urls import reverse

from commerce.catalogue.services.sellables import product_update
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_published_product_package_and_category_pages_render(client):
    category = category_make("Flowers")
    product = product_make(
        category, title="Red rose", price="5.50", images=1, tags=["love"]
    )
    package = package_make(category, [(product, 2)], title="Rose duo", price="10.00")

    for page, expected in (
        (category, ["Flowers", "Red rose"]),
        (product, ["Red rose", "5.50", "love"]),
        (package, ["Rose duo", "10.00", "2 × <a", "Red rose"]),
    ):
        response = client.get(page.url)
        assert response.status_code == 200
        for text in expected:
            assert text in response.content.decode()


def test_manager_previews_a_draft_in_the_admin(client):
    product = product_make(category_make(), title="Lamp", price="10.00")
    product_update(product=product, data={"price": "14.00"}, publish=False, user=None)
    client.force_login(UserFactory(role="manager"))

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[product.pk]))

    assert response.status_code == 200
    assert "14.00" in response.content.decode()
    assert "10.00" in client.get(product.url).content.decode()


def test_seeded_style_catalogue_is_browsable_in_the_admin(client):
    category = category_make("Gifts")
    product_make(category, title="Mug")
    client.force_login(UserFactory(role="manager"))

    response = client.get(reverse("wagtailadmin_explore", args=[category.pk]))

    assert response.status_code == 200
    assert "Mug" in response.content.decode()
