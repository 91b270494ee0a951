"""Headless preview from the admin: the storefront shows the draft by signed token."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from commerce.catalogue.models import ProductPage
from commerce.catalogue.services.sellables import product_update
from commerce.enums import UserRole
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory

pytestmark = pytest.mark.django_db

STOREFRONT = "https://shop.example.com/preview?token={token}"


def _token(url):
    assert url.startswith("https://shop.example.com/preview?token=")
    return parse_qs(urlparse(url).query)["token"][0]


@pytest.fixture
def draft_lamp():
    product = product_make(category_make(), title="Lamp", price="10.00")
    product_update(product=product, data={"price": "14.00"}, publish=False, user=None)
    return ProductPage.objects.get(pk=product.pk)


def test_without_a_storefront_the_admin_previews_with_the_site_template(
    client, draft_lamp
):
    client.force_login(UserFactory(role=UserRole.MANAGER))

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[draft_lamp.pk]))
    draft = draft_lamp.get_latest_revision_as_object()

    assert draft.preview_modes == [("", "Default")]
    assert draft.make_preview_request().status_code == 200
    assert "Preview on storefront" not in edit.content.decode()
    link = reverse("commerce_storefront_preview", args=[draft_lamp.pk])
    assert client.get(link).status_code == 404


@override_settings(HEADLESS_PREVIEW_URL=STOREFRONT)
def test_the_admin_preview_opens_the_storefront_which_reads_the_draft(draft_lamp):
    draft = draft_lamp.get_latest_revision_as_object()
    assert draft.preview_modes == [("storefront", "Storefront"), ("", "Site template")]
    assert draft.default_preview_mode == "storefront"

    response = draft.make_preview_request(preview_mode="storefront")

    assert response.status_code == 302
    token = _token(response["Location"])
    storefront_read = APIClient().get(f"/api/preview/{token}")
    assert storefront_read.status_code == 200
    assert storefront_read.json()["kind"] == "product"
    assert storefront_read.json()["item"]["price"] == "14.00"
    assert APIClient().get(f"/api/products/{draft_lamp.pk}").json()["price"] == "10.00"


@override_settings(HEADLESS_PREVIEW_URL=STOREFRONT)
def test_the_storefront_token_expires(draft_lamp):
    draft = draft_lamp.get_latest_revision_as_object()
    token = _token(draft.make_preview_request(preview_mode="storefront")["Location"])

    later = timezone.now() + timedelta(
        seconds=settings.PREVIEW_TOKEN_MAX_AGE_SECONDS + 5
    )
    with time_machine.travel(later):
        response = APIClient().get(f"/api/preview/{token}")

    assert response.status_code == 404
    assert APIClient().get(f"/api/preview/{token}x").status_code == 404


@override_settings(HEADLESS_PREVIEW_URL=STOREFRONT)
def test_the_site_template_mode_stays_available_and_new_pages_use_it():
    category = category_make()
    product = product_make(category, title="Desk lamp", price="40.00")
    draft = product.get_latest_revision_as_object()
    unsaved = ProductPage(title="New lamp", slug="new-lamp", price=20, sku="NEW-1")
    unsaved.depth = category.depth + 1
    unsaved.path = ProductPage._get_children_path_interval(category.path)[1]

    by_template = draft.make_preview_request(preview_mode="")
    never_saved = unsaved.make_preview_request(preview_mode="storefront")

    assert by_template.status_code == 200
    assert "€40.00" in by_template.content.decode()
    assert never_saved.status_code == 200
    assert "€20.00" in never_saved.content.decode()


@override_settings(HEADLESS_PREVIEW_URL=STOREFRONT)
def test_the_header_menu_gives_managers_a_storefront_link_to_copy(client):
    category = category_make()
    product = product_make(category, title="Vase")
    package = package_make(category, [(product, 1)], title="Vase set")
    client.force_login(UserFactory(role=UserRole.MANAGER))

    for page, kind in ((product, "product"), (package, "package")):
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        link = reverse("commerce_storefront_preview", args=[page.pk])
        assert "Preview on storefront" in edit.content.decode()
        assert link in edit.content.decode()

        shown = client.get(link)

        assert shown.status_code == 200
        url = shown.context["preview_url"]
        assert f'value="{url}"' in shown.content.decode()
        read = APIClient().get(f"/api/preview/{_token(url)}")
        assert read.json()["kind"] == kind
        assert read.json()["item"]["id"] == page.pk

    category_edit = client.get(reverse("wagtailadmin_pages:edit", args=[category.pk]))
    assert "Preview on storefront" not in category_edit.content.decode()
    link = reverse("commerce_storefront_preview", args=[category.pk])
    assert client.get(link).status_code == 404


@override_settings(HEADLESS_PREVIEW_URL=STOREFRONT)
def test_customers_get_no_storefront_link(client):
    product = product_make(category_make())
    client.force_login(UserFactory(role=UserRole.CUSTOMER))

    response = client.get(reverse("commerce_storefront_preview", args=[product.pk]))

    assert response.status_code in (302, 403)
    assert "token" not in response.content.decode()


def _frame_src(response):
    policy = response["Content-Security-Policy"]
    return next(part.split()[1:] for part in policy.split(";") if "frame-src" in part)


def test_the_preview_panel_may_frame_the_storefront_only_when_one_is_set(
    client, draft_lamp
):
    client.force_login(UserFactory(role=UserRole.MANAGER))
    edit = reverse("wagtailadmin_pages:edit", args=[draft_lamp.pk])

    assert _frame_src(client.get(edit)) == ["'self'"]
    with override_settings(HEADLESS_PREVIEW_URL=STOREFRONT):
        assert _frame_src(client.get(edit)) == ["'self'", "https://shop.example.com"]
        assert _frame_src(client.get(draft_lamp.url)) == ["'self'"]
