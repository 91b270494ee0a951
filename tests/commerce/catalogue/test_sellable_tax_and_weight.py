"""The catalogue services set a product's weight and an item's tax class."""

import pytest
from django.core.exceptions import ValidationError

from commerce.catalogue.models import ProductPage
from commerce.catalogue.services.sellables import product_update
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.checkout_factories import TaxClassFactory

pytestmark = pytest.mark.django_db


def test_a_product_is_created_with_its_weight_and_tax_class():
    reduced = TaxClassFactory(name="Reduced")

    product = product_make(category_make(), weight_grams=350, tax_class=reduced.pk)

    product = ProductPage.objects.get(pk=product.pk)
    assert (product.weight_grams, product.tax_class) == (350, reduced)
    assert product.unit_weight_grams() == 350
    revision = product.get_latest_revision_as_object()
    assert (revision.weight_grams, revision.tax_class_id) == (350, reduced.pk)


def test_an_update_changes_the_weight_and_returns_to_the_standard_rate():
    reduced = TaxClassFactory(name="Reduced")
    product = product_make(category_make(), weight_grams=350, tax_class=reduced.pk)

    product_update(
        product=product,
        data={"weight_grams": 400, "tax_class": None},
        publish=True,
        user=None,
    )

    product = ProductPage.objects.get(pk=product.pk)
    assert (product.weight_grams, product.tax_class_id) == (400, None)


def test_a_package_takes_a_tax_class_and_weighs_its_components():
    reduced = TaxClassFactory(name="Reduced")
    category = category_make()
    cake = product_make(category, weight_grams=1500)
    card = product_make(category, weight_grams=40)

    package = package_make(category, [(cake, 1), (card, 2)], tax_class=reduced.pk)

    assert package.tax_class_id == reduced.pk
    # 1 × 1500 g + 2 × 40 g
    assert package.unit_weight_grams() == 1580


def test_an_unknown_tax_class_is_refused():
    with pytest.raises(ValidationError) as raised:
        product_make(category_make(), tax_class=987654)

    assert raised.value.message_dict == {"tax_class": ["Unknown tax class id: 987654."]}
    assert not ProductPage.objects.exists()
