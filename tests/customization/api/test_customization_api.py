import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commerce.catalogue.models import PackagePage, ProductPage
from customization.models import Customization
from customization.selectors import pages_with_customizations
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.customization.builders import OPTIONS, attach, customization_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client():
    return client_for(UserFactory(role="manager"))


@pytest.mark.parametrize("kind", ["button", "color", "text", "upload", "image"])
def test_manager_creates_each_kind(manager_client, kind):
    options = OPTIONS.get(kind)
    if kind == "image":
        from tests.commerce.catalogue_factories import image_create

        options = [
            {"type": "image", "value": {"label": "Hearts", "image": image_create().pk}}
        ]

    response = manager_client.post(
        "/api/customizations",
        {"name": "Choice", "kind": kind, "options": options},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == kind
    assert [option["type"] for option in body["options"]] == [kind] * len(options)
    assert body["live"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "text", "options": OPTIONS["color"]},
        {
            "kind": "color",
            "options": [{"type": "color", "value": {"label": "x", "value": "#zzz"}}],
        },
        {"kind": "text", "options": OPTIONS["text"] * 2},
        {"kind": "button", "options": []},
        {"kind": "laser", "options": OPTIONS["button"]},
        {"kind": "button", "options": "not-a-list"},
        {"kind": "button", "options": [{"type": "button", "value": "junk"}]},
        {"kind": "button", "options": [{"nonsense": {"deep": [1, 2, {"x": None}]}}]},
        {"kind": "button", "name": "n" * 500, "options": OPTIONS["button"]},
    ],
    ids=[
        "type_not_matching_kind_case",
        "bad_colour_case",
        "text_with_two_options_case",
        "button_without_options_case",
        "unknown_kind_case",
        "options_not_a_list_case",
        "option_value_not_an_object_case",
        "nested_junk_case",
        "oversized_name_case",
    ],
)
def test_invalid_definitions_are_400_and_create_nothing(manager_client, body):
    response = manager_client.post(
        "/api/customizations", {"name": "Bad", **body}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert Customization.objects.count() == 0


def test_patch_makes_a_revision_and_a_draft_keeps_the_public_view(manager_client):
    customization = customization_make("color", name="Ribbon")

    draft = manager_client.patch(
        f"/api/customizations/{customization.pk}",
        {"name": "Bow", "publish": False},
        format="json",
    )
    public = APIClient().get(f"/api/customizations/{customization.pk}").json()
    published = manager_client.patch(
        f"/api/customizations/{customization.pk}", {"name": "Bow"}, format="json"
    )

    assert draft.status_code == 200
    assert public["name"] == "Ribbon"
    assert published.json()["name"] == "Bow"
    assert customization.revisions.count() == 3


def test_delete_is_refused_while_attached_and_allowed_after_detach(manager_client):
    category = category_make()
    customization = customization_make("text")
    product = attach(product_make(category), customization)
    package = attach(
        package_make(category, [(product_make(category), 1)]), customization
    )

    refused = manager_client.delete(f"/api/customizations/{customization.pk}")
    manager_client.delete(
        f"/api/products/{product.pk}/customizations/{customization.pk}"
    )
    still_refused = manager_client.delete(f"/api/customizations/{customization.pk}")
    manager_client.delete(
        f"/api/packages/{package.pk}/customizations/{customization.pk}"
    )
    deleted = manager_client.delete(f"/api/customizations/{customization.pk}")

    assert refused.status_code == 409
    assert refused.json()["code"] == "in_use"
    assert still_refused.status_code == 409
    assert deleted.status_code == 204
    assert not Customization.objects.exists()


def test_list_filters_by_kind_product_and_package():
    category = category_make()
    color = customization_make("color", name="Ribbon")
    text = customization_make("text", name="Message")
    customization_make("button", name="Size")
    product = attach(product_make(category), color)
    package = attach(package_make(category, [(product, 1)]), text)

    def names(params):
        return [
            item["name"]
            for item in APIClient().get("/api/customizations", params).json()["results"]
        ]

    assert names({"kind": "color"}) == ["Ribbon"]
    assert names({"product": product.pk}) == ["Ribbon"]
    assert names({"package": package.pk}) == ["Message"]
    assert names({}) == ["Message", "Ribbon", "Size"]


def test_item_customizations_come_in_order_with_options_and_deltas():
    category = category_make()
    color = customization_make("color", name="Ribbon", is_required=True)
    text = customization_make("text", name="Message")
    product = attach(
        attach(product_make(category), text, label="Card text"),
        color,
        requirement="optional",
    )
    package = attach(package_make(category, [(product, 1)]), color)

    product_view = APIClient().get(f"/api/products/{product.pk}/customizations").json()
    package_view = APIClient().get(f"/api/packages/{package.pk}/customizations").json()

    assert [
        (c["name"], c["label"], c["is_required"], c["position"]) for c in product_view
    ] == [
        ("Message", "Card text", False, 0),
        ("Ribbon", "Ribbon", False, 1),
    ]
    assert [(o["label"], o["price_delta"]) for o in product_view[1]["options"]] == [
        ("Red", "1.25"),
        ("Blue", "0.00"),
    ]
    assert [(c["name"], c["is_required"]) for c in package_view] == [("Ribbon", True)]


def test_unpublished_customizations_are_hidden_from_the_public():
    category = category_make()
    draft = Customization.objects.get(pk=customization_make("color", name="Secret").pk)
    draft.live = False
    draft.save()
    product = attach(product_make(category), draft)

    assert APIClient().get(f"/api/customizations/{draft.pk}").status_code == 404
    assert APIClient().get(f"/api/products/{product.pk}/customizations").json() == []


def test_products_filter_by_customization_kind():
    category = category_make()
    colourful = attach(
        product_make(category, title="Colourful"), customization_make("color")
    )
    attach(product_make(category, title="Wordy"), customization_make("text"))
    product_make(category, title="Plain")

    response = APIClient().get("/api/products", {"customization_kind": "color"})

    assert [item["name"] for item in response.json()["results"]] == ["Colourful"]
    assert response.json()["results"][0]["customizations"][0]["kind"] == "color"
    assert colourful.pk == response.json()["results"][0]["id"]


def test_pages_with_customizations_gives_the_same_answer_on_any_database():
    category = category_make()
    wanted = customization_make("color")
    other = customization_make("text")
    first = attach(product_make(category), wanted)
    attach(product_make(category), other)
    second = attach(attach(product_make(category), other), wanted)

    found = pages_with_customizations(model=ProductPage, customization_ids=[wanted.pk])

    assert sorted(found.values_list("pk", flat=True)) == sorted([first.pk, second.pk])
    assert not pages_with_customizations(
        model=PackagePage, customization_ids=[wanted.pk]
    ).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="JSONB containment needs PostgreSQL"
)
def test_attachment_lookup_uses_jsonb_containment_on_postgresql():
    category = category_make()
    wanted = customization_make("color")
    product = attach(product_make(category), wanted)
    attach(product_make(category), customization_make("text"))

    with CaptureQueriesContext(connection) as queries:
        found = list(
            pages_with_customizations(model=ProductPage, customization_ids=[wanted.pk])
        )

    assert [page.pk for page in found] == [product.pk]
    assert any("@>" in query["sql"] for query in queries.captured_queries)
