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
