"""Demo shipping methods, tax classes and tax rates for ``seed_catalogue``.

Each is looked up by its name (a rate by country and class) and created only when
missing: running again changes nothing, and what staff edited in the admin stays.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction

from commerce.shipping.models import ShippingMethod
from commerce.taxes.models import TaxClass, TaxRate

EU_COUNTRIES = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
]  # fmt: skip
REDUCED = "Reduced"
SHIPPING_METHODS: list[dict[str, Any]] = [
    {
        "name": "Standard",
        "description": "2–4 working days in the EU; free from €50.",
        "price": Decimal("4.90"),
        "countries": EU_COUNTRIES,
        "free_above": Decimal("50.00"),
        "sort_order": 10,
    },
    {
        "name": "Express",
        "description": "Next working day, up to 10 items.",
        "price": Decimal("12.90"),
        "countries": ["DE", "FR", "NL"],
        "max_items": 10,
        "sort_order": 20,
    },
    {
        "name": "Letter post",
        "description": "Cards and small gifts up to 500 g, in the EU.",
        "price": Decimal("2.50"),
        "countries": EU_COUNTRIES,
        "max_weight_grams": 500,
        "sort_order": 30,
    },
    {
        "name": "Worldwide",
        "description": "Tracked parcel to any country, 5–10 working days.",
        "price": Decimal("19.90"),
        "countries": [],
        "sort_order": 40,
    },
]
# (country, tax class name or None for the standard rate, percent)
TAX_RATES: list[tuple[str, str | None, Decimal]] = [
    ("DE", None, Decimal("19.00")),
    ("DE", REDUCED, Decimal("7.00")),
    ("FR", None, Decimal("20.00")),
    ("FR", REDUCED, Decimal("5.50")),
    ("NL", None, Decimal("21.00")),
    ("NL", REDUCED, Decimal("9.00")),
    ("GB", None, Decimal("20.00")),
]


@transaction.atomic
def demo_checkout_seed() -> dict[str, int]:
    """Create the missing demo methods, classes and rates; returns how many of each."""
    created = {"shipping methods": 0, "tax classes": 0, "tax rates": 0}
    for data in SHIPPING_METHODS:
        if not ShippingMethod.objects.filter(name=data["name"]).exists():
            method = ShippingMethod(**data)
            method.full_clean()
            method.save()
            created["shipping methods"] += 1
    classes: dict[str, TaxClass] = {}
    for name in sorted({name for _, name, _ in TAX_RATES if name}):
        classes[name], new = TaxClass.objects.get_or_create(name=name)
        created["tax classes"] += int(new)
    for country, class_name, rate in TAX_RATES:
        tax_class = classes[class_name] if class_name else None
        if not TaxRate.objects.filter(country=country, tax_class=tax_class).exists():
            TaxRate.objects.create(country=country, tax_class=tax_class, rate=rate)
            created["tax rates"] += 1
    return created
