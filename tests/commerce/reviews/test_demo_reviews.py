"""The demo shop has reviews of products and a package, published and hidden."""

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from commerce.accounts.models import User
from commerce.catalogue.models import PackageRating, ProductRating
from commerce.enums import ReviewStatus
from commerce.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    call_command("demo_setup", verbosity=0, stdout=StringIO())
    arguments = ["--products", "8", "--packages", "2", "--orders", "12", "--quiet"]
    call_command("seed_catalogue", *arguments, stdout=StringIO())
    return arguments


def test_the_demo_shop_has_every_kind_of_review(seeded):
    reviews = Review.objects.all()

    assert reviews.filter(product__isnull=False).count() >= 3
    assert reviews.filter(package__isnull=False).count() == 1
    assert reviews.filter(status=ReviewStatus.HIDDEN).count() == 1
    assert PackageRating.objects.filter(count=1).count() == 1
    rated = APIClient().get("/api/products", {"sort": "rating"}).json()["results"]
    assert rated[0]["rating_count"] >= 1
    assert rated[0]["rating_average"] is not None


def test_seeding_again_adds_no_reviews(seeded):
    before = sorted(Review.objects.values_list("pk", "rating", "status"))
    ratings = sorted(ProductRating.objects.values_list("pk", "average", "count"))

    call_command("seed_catalogue", *seeded, stdout=StringIO())

    assert sorted(Review.objects.values_list("pk", "rating", "status")) == before
    assert (
        sorted(ProductRating.objects.values_list("pk", "average", "count")) == ratings
    )


def test_every_demo_review_page_answers_200_as_the_demo_manager(client, seeded):
    client.force_login(User.objects.get(email="manager@fantasize.local"))

    assert client.get("/admin/shop/reviews/").status_code == 200
    for review in Review.objects.all():
        for action in ("edit", "inspect"):
            response = client.get(f"/admin/shop/reviews/{action}/{review.pk}/")
            assert response.status_code == 200, (action, review.pk)
