"""Validation of a customer's choices, for every kind, and the snapshot it returns."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commerce.catalogue.models import ProductPage
from customization.selectors import item_customizations
from customization.services import choices_validate, customization_update
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.customization.builders import (
    attach,
    customization_make,
    jpeg_bytes,
    png_bytes,
    upload_make,
)

pytestmark = pytest.mark.django_db


def _offered(product):
    product = ProductPage.objects.get(pk=product.pk)
    return item_customizations(raw_stream=product.customizations.raw_data)


def _product_with(*customizations, requirement="default"):
    product = product_make(category_make())
    for customization in customizations:
        product = attach(product, customization, requirement=requirement)
    return product


def _option_id(customization, index):
    return str(customization.options[index].id)


@pytest.mark.parametrize(
    ("kind", "index", "delta", "snapshot_value"),
    [
        ("button", 1, Decimal("4.50"), {"value": "L", "option_label": "Large"}),
        ("color", 0, Decimal("1.25"), {"value": "#ff0000", "option_label": "Red"}),
        ("image", 0, Decimal("3.00"), {"option_label": "Hearts"}),
    ],
    ids=["button_case", "color_case", "image_case"],
)
def test_choice_kinds_accept_an_offered_option(kind, index, delta, snapshot_value):
    customization = customization_make(kind, is_required=True)
    product = _product_with(customization)

    result = choices_validate(
        attached=_offered(product),
        choices=[
            {
                "customization": customization.pk,
                "value": _option_id(customization, index),
            }
        ],
        owner_id=None,
    )

    assert result.price_delta_total == delta
    line = result.snapshot[0]
    assert line["customization_id"] == customization.pk
    assert line["name"] == customization.name
    assert line["price_delta"] == str(delta)
    for key, value in snapshot_value.items():
        assert line[key] == value


def test_text_kind_accepts_text_within_the_limit():
    customization = customization_make("text", name="Gift message")
    product = _product_with(customization)

    result = choices_validate(
        attached=_offered(product),
        choices=[{"customization": customization.pk, "value": "Happy day!"}],
        owner_id=None,
    )

    assert result.price_delta_total == Decimal("2.00")
    assert result.snapshot[0]["value"] == "Happy day!"


def test_upload_kind_accepts_the_callers_matching_upload():
    owner = UserFactory()
    customization = customization_make("upload", name="Your photo", needs_approval=True)
    product = _product_with(customization)
    upload = upload_make(owner)

    result = choices_validate(
        attached=_offered(product),
        choices=[{"customization": customization.pk, "value": str(upload.pk)}],
        owner_id=owner.pk,
    )

    assert result.price_delta_total == Decimal("5.00")
    assert result.upload_ids == [str(upload.pk)]
    assert result.needs_approval is True
    assert result.snapshot[0]["upload_id"] == str(upload.pk)


def test_all_kinds_together_sum_their_deltas():
    owner = UserFactory()
    customizations = [
        customization_make(kind) for kind in ("button", "color", "text", "upload")
    ]
    product = _product_with(*customizations)
    upload = upload_make(owner)
    button, color, text, photo = customizations

    result = choices_validate(
        attached=_offered(product),
        choices=[
            {"customization": button.pk, "value": _option_id(button, 1)},
            {"customization": color.pk, "value": _option_id(color, 0)},
            {"customization": text.pk, "value": "Hi"},
            {"customization": photo.pk, "value": str(upload.pk)},
        ],
        owner_id=owner.pk,
    )

    assert result.price_delta_total == Decimal("12.75")
    assert [line["kind"] for line in result.snapshot] == [
        "button",
        "color",
        "text",
        "upload",
    ]


def _error_for(product, choices, owner_id=None):
    with pytest.raises(ValidationError) as error:
        choices_validate(attached=_offered(product), choices=choices, owner_id=owner_id)
    return error.value.message_dict["customizations"][0]


def test_missing_required_customization_is_named():
    customization = customization_make("color", name="Ribbon", is_required=True)
    product = _product_with(customization)

    assert _error_for(product, []) == "Ribbon: this customization is required."


def test_unknown_option_is_named():
    customization = customization_make("button", name="Size")
    product = _product_with(customization)

    message = _error_for(product, [{"customization": customization.pk, "value": "XXL"}])

    assert message.startswith("Size: ")


@pytest.mark.parametrize(
    "value",
    ["x" * 13, "", "   ", 42],
    ids=["too_long_case", "empty_case", "blank_case", "not_text_case"],
)
def test_bad_text_is_named(value):
    customization = customization_make("text", name="Message", is_required=True)
    product = _product_with(customization)

    message = _error_for(product, [{"customization": customization.pk, "value": value}])

    assert message.startswith("Message: ")


def test_foreign_upload_is_refused():
    owner, other = UserFactory(), UserFactory()
    customization = customization_make("upload", name="Photo")
    product = _product_with(customization)
    upload = upload_make(other)

    message = _error_for(
        product,
        [{"customization": customization.pk, "value": str(upload.pk)}],
        owner.pk,
    )

    assert message == "Photo: unknown upload."


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (jpeg_bytes(), "photo.jpg", "Photo: JPEG images are not accepted here."),
        (png_bytes((120, 50)), "wide.png", "Photo: the photo has too many pixels."),
    ],
    ids=["wrong_type_case", "too_many_pixels_case"],
)
def test_upload_not_matching_the_option_is_refused(data, name, message):
    owner = UserFactory()
    customization = customization_make("upload", name="Photo")
    product = _product_with(customization)
    upload = upload_make(owner, data, name)

    assert (
        _error_for(
            product,
            [{"customization": customization.pk, "value": str(upload.pk)}],
            owner.pk,
        )
        == message
    )


def test_upload_over_the_options_size_is_refused():
    owner = UserFactory()
    customization = customization_make("upload", name="Photo")
    product = _product_with(customization)
    upload = upload_make(owner)
    type(upload).objects.filter(pk=upload.pk).update(size=60 * 1024)

    message = _error_for(
        product,
        [{"customization": customization.pk, "value": str(upload.pk)}],
        owner.pk,
    )

    assert message == "Photo: the photo is too large."


def test_customization_not_offered_and_double_answers_are_refused():
    offered = customization_make("text", name="Message")
    elsewhere = customization_make("text", name="Other")
    product = _product_with(offered)

    not_offered = _error_for(product, [{"customization": elsewhere.pk, "value": "hi"}])
    twice = _error_for(
        product,
        [
            {"customization": offered.pk, "value": "a"},
            {"customization": offered.pk, "value": "b"},
        ],
    )

    assert not_offered == f"Customization {elsewhere.pk} is not offered here."
    assert twice == "Message: answered twice."


@pytest.mark.parametrize(
    ("requirement", "is_required"),
    [("required", True), ("optional", False), ("default", True)],
    ids=["required_case", "optional_case", "default_case"],
)
def test_attachment_can_override_the_requirement(requirement, is_required):
    customization = customization_make("color", name="Ribbon", is_required=True)
    product = _product_with(customization, requirement=requirement)

    assert _offered(product)[0].is_required is is_required


def test_snapshot_does_not_change_when_the_definition_changes():
    # given
    customization = customization_make("color", name="Ribbon")
    product = _product_with(customization)
    result = choices_validate(
        attached=_offered(product),
        choices=[
            {"customization": customization.pk, "value": _option_id(customization, 0)}
        ],
        owner_id=None,
    )
    kept = [dict(line) for line in result.snapshot]

    # when
    options = [
        {
            "type": "color",
            "value": {"label": "Crimson", "value": "#990000", "price_delta": "9.99"},
        },
    ]
    customization_update(
        customization=customization,
        data={"name": "Bow colour", "options": options},
        publish=True,
        user=None,
    )

    # then
    assert result.snapshot == kept
    assert kept[0]["name"] == "Ribbon"
    assert kept[0]["option_label"] == "Red"
    assert kept[0]["price_delta"] == "1.25"
