"""Drafts honestly: writes answer with what they saved; staff read drafts on request."""

import pytest

from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rose():
    return product_make(category_make("Flowers"), title="Rose", price="4.50")


def test_a_draft_patch_answers_with_the_draft_and_the_live_version_stays(
    rose, manager, api_client
):
    # given: an anonymous read is cached
    assert api_client.get(f"/api/products/{rose.pk}").json()["name"] == "Rose"
    staff = client_for(manager)

    # when
    response = staff.patch(
        f"/api/products/{rose.pk}",
        {"name": "Red rose", "price": "5.00", "publish": False},
        format="json",
    )

    # then: the answer is the draft
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["price"]) == ("Red rose", "5.00")
    assert (body["live"], body["has_unpublished_changes"]) == (True, True)
    # and the live version is what everyone reads by default
    for client in (api_client, staff):
        live = client.get(f"/api/products/{rose.pk}").json()
        assert (live["name"], live["price"]) == ("Rose", "4.50")
    # and staff read the draft on request
    draft = staff.get(f"/api/products/{rose.pk}", {"version": "draft"}).json()
    assert (draft["name"], draft["price"], draft["stock"]["quantity"]) == (
        "Red rose",
        "5.00",
        5,
    )


def test_a_draft_create_answers_with_the_unpublished_item(manager):
    category = category_make()

    response = client_for(manager).post(
        "/api/products",
        {
            "category": category.pk,
            "name": "Tulip",
            "price": "2.00",
            "sku": "T-1",
            "publish": False,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["live"]) == ("Tulip", False)


def test_a_package_draft_is_readable_by_staff(manager):
    category = category_make()
    box = package_make(category, [(product_make(category), 1)], title="Box")
    staff = client_for(manager)

    staff.patch(f"/api/packages/{box.pk}", {"name": "Gift box", "publish": False})

    assert staff.get(f"/api/packages/{box.pk}").json()["name"] == "Box"
    draft = staff.get(f"/api/packages/{box.pk}", {"version": "draft"}).json()
    assert (draft["name"], draft["has_unpublished_changes"]) == ("Gift box", True)


@pytest.mark.parametrize("persona", ["anonymous", "customer"])
def test_drafts_are_refused_to_customers_and_anonymous_even_after_a_staff_read(
    rose, manager, persona_client, persona
):
    # given: staff saved and read a draft
    staff = client_for(manager)
    staff.patch(f"/api/products/{rose.pk}", {"name": "Secret", "publish": False})
    assert staff.get(f"/api/products/{rose.pk}?version=draft").json()["name"] == (
        "Secret"
    )
    client, _ = persona_client(persona)

    # when
    refused = client.get(f"/api/products/{rose.pk}?version=draft")
    by_slug = client.get(f"/api/products/{rose.slug}?version=draft")
    default = client.get(f"/api/products/{rose.pk}")

    # then
    assert (refused.status_code, by_slug.status_code) == (403, 403)
    assert refused.json()["code"] == "permission_denied"
    assert "Secret" not in refused.content.decode()
    assert default.json()["name"] == "Rose"


def test_an_unknown_version_is_a_400(rose, api_client):
    response = api_client.get(f"/api/products/{rose.pk}", {"version": "old"})

    assert response.status_code == 400
    assert "version" in response.json()["errors"]
