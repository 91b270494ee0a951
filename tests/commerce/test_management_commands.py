from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient
from wagtail.models import Revision

from commerce.accounts.models import User
from commerce.catalogue.models import (
    CategoryPage,
    PackageComponent,
    PackagePage,
    ProductPage,
    ProductStock,
    ShopIndexPage,
)
from commerce.shipping.models import ShippingMethod
from commerce.taxes.models import TaxClass, TaxRate
from customization.models import Customization

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_setup_creates_one_account_per_role_once():
    # when
    first = _run("demo_setup")
    second = _run("demo_setup")

    # then
    users = {
        user.email: [g.name for g in user.groups.all()] for user in User.objects.all()
    }
    assert users == {
        "admin@fantasize.local": ["administrator"],
        "manager@fantasize.local": ["manager"],
        "customer@fantasize.local": ["customer"],
    }
    assert first.count("(created)") == 3
    assert second.count("(exists)") == 3


def test_demo_logins_printed_by_demo_setup_work():
    output = _run("demo_setup")
    line = next(
        line for line in output.splitlines() if "customer@fantasize.local" in line
    )
    password = line.split()[2]

    response = APIClient().post(
        "/api/users/login",
        {"email": "customer@fantasize.local", "password": password},
        format="json",
    )

    assert response.status_code == 200


def test_seed_catalogue_is_complete_and_idempotent():
    # when
    _run("seed_catalogue", "--products", "8", "--packages", "3", "--quiet")
    counts = (
        ProductPage.objects.live().count(),
        PackagePage.objects.live().count(),
        ProductStock.objects.count(),
        CategoryPage.objects.count(),
        Customization.objects.filter(live=True).count(),
        Revision.objects.count(),
    )
    _run("seed_catalogue", "--products", "8", "--packages", "3", "--quiet")

    # then
    assert ShopIndexPage.objects.count() == 1
    assert counts[:5] == (8, 3, 8, 16, 5)
    assert (
        ProductPage.objects.live().count(),
        PackagePage.objects.live().count(),
        ProductStock.objects.count(),
        CategoryPage.objects.count(),
        Customization.objects.filter(live=True).count(),
        Revision.objects.count(),
    ) == counts
    assert all(product.gallery_images.exists() for product in ProductPage.objects.all())
    assert all(
        PackageComponent.objects.filter(package=package).count() >= 2
        for package in PackagePage.objects.all()
    )
    assert all(product.revisions.exists() for product in ProductPage.objects.all())


def test_seeded_catalogue_is_served_by_the_api():
    _run("seed_catalogue", "--products", "6", "--packages", "2", "--quiet")

    products = APIClient().get("/api/products", {"page_size": 50}).json()
    packages = APIClient().get("/api/packages").json()

    assert products["count"] == 6
    assert packages["count"] == 2
    assert all(item["images"] for item in products["results"])


def _checkout_settings() -> tuple[list, list, list]:
    methods = list(
        ShippingMethod.objects.values_list(
            "pk",
            "name",
            "price",
            "countries",
            "free_above",
            "max_items",
            "max_weight_grams",
            "is_active",
            "updated_at",
        )
    )
    rates = list(
        TaxRate.objects.values_list("pk", "country", "tax_class__name", "rate")
    )
    return methods, rates, list(TaxClass.objects.values_list("pk", "name"))


def test_seed_catalogue_sets_up_shipping_taxes_and_weights_once():
    # when
    first = _run("seed_catalogue", "--products", "5", "--packages", "1", "--quiet")
    after_first = _checkout_settings()
    second = _run("seed_catalogue", "--products", "5", "--packages", "1", "--quiet")

    # then
    methods = {method.name: method for method in ShippingMethod.objects.all()}
    assert list(methods) == ["Standard", "Express", "Letter post", "Worldwide"]
    standard, express = methods["Standard"], methods["Express"]
    assert (standard.price, standard.free_above, len(standard.countries)) == (
        Decimal("4.90"),
        Decimal("50.00"),
        27,
    )
    assert "DE" in standard.countries
    assert "GB" not in standard.countries
    assert (express.price, express.max_items) == (Decimal("12.90"), 10)
    assert [str(country) for country in express.countries] == ["DE", "FR", "NL"]
    assert methods["Letter post"].max_weight_grams == 500
    assert (methods["Worldwide"].price, methods["Worldwide"].countries) == (
        Decimal("19.90"),
        [],
    )
    assert set(TaxRate.objects.values_list("country", "tax_class__name", "rate")) == {
        ("DE", None, Decimal("19.00")),
        ("DE", "Reduced", Decimal("7.00")),
        ("FR", None, Decimal("20.00")),
        ("FR", "Reduced", Decimal("5.50")),
        ("NL", None, Decimal("21.00")),
        ("NL", "Reduced", Decimal("9.00")),
        ("GB", None, Decimal("20.00")),
    }
    # Every demo product has a weight; the cake (product 5) is taxed at the reduced rate.
    products = ProductPage.objects.order_by("sku")
    assert all(product.weight_grams for product in products)
    assert [
        p.sku for p in products if p.tax_class and p.tax_class.name == "Reduced"
    ] == ["FNT-0005"]
    assert PackagePage.objects.get().unit_weight_grams() > 0
    assert "4 shipping methods, 1 tax classes, 7 tax rates" in first
    assert "0 shipping methods, 0 tax classes, 0 tax rates" in second
    assert _checkout_settings() == after_first


def test_seed_catalogue_keeps_what_staff_changed_in_the_checkout_settings():
    # given
    _run("seed_catalogue", "--products", "0", "--packages", "0", "--quiet")
    ShippingMethod.objects.filter(name="Standard").update(price=Decimal("5.50"))
    TaxRate.objects.filter(country="GB").delete()

    # when
    _run("seed_catalogue", "--products", "0", "--packages", "0", "--quiet")

    # then the edit stays, the deleted rate comes back
    assert ShippingMethod.objects.get(name="Standard").price == Decimal("5.50")
    assert TaxRate.objects.get(country="GB").rate == Decimal("20.00")
