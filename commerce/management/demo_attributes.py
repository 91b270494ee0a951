"""Demo brands (with logos), materials and the demo customer's favourites.

Brands and materials are looked up by slug and created only when missing; products
get them when ``seed_catalogue`` creates them (``demo_product_attributes``). The demo
customer gets favourites once, when they have none.
"""

from io import BytesIO
from typing import Any

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

from commerce.accounts.models import User
from commerce.catalogue.models import Brand, Material, PackagePage, ProductPage
from commerce.catalogue.services.favourites import favourite_add

DEMO_CUSTOMER_EMAIL = "customer@fantasize.local"
# (name, slug, logo colour)
BRANDS: list[tuple[str, str, tuple[int, int, int]]] = [
    ("Bloom & Co", "bloom-and-co", (196, 62, 98)),
    ("Northwind Crafts", "northwind-crafts", (38, 84, 124)),
    ("Lumen Atelier", "lumen-atelier", (214, 160, 40)),
    ("Oak & Ember", "oak-and-ember", (120, 78, 48)),
]
MATERIALS: list[tuple[str, str]] = [
    ("Ceramic", "ceramic"),
    ("Cotton", "cotton"),
    ("Glass", "glass"),
    ("Oak", "oak"),
    ("Paper", "paper"),
    ("Silver", "silver"),
    ("Soy wax", "soy-wax"),
]


def _logo_make(name: str, colour: tuple[int, int, int]) -> Any:
    """A 400×200 wordmark: the brand's name on its colour."""
    image = Image.new("RGB", (400, 200), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([12, 12, 388, 188], outline=(255, 255, 255), width=4)
    draw.text((40, 90), name, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    slug = name.lower().replace(" ", "-").replace("&", "and")
    file = ImageFile(BytesIO(buffer.getvalue()), name=f"logo-{slug}.png")
    return get_image_model().objects.create(title=f"{name} logo", file=file)


def demo_attributes_seed() -> dict[str, int]:
    """Create the demo brands (each with a logo) and materials that are missing."""
    created = {"brands": 0, "materials": 0}
    for name, slug, colour in BRANDS:
        if not Brand.objects.filter(slug=slug).exists():
            Brand.objects.create(name=name, slug=slug, logo=_logo_make(name, colour))
            created["brands"] += 1
    for name, slug in MATERIALS:
        _, was_created = Material.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
        created["materials"] += int(was_created)
    return created


def demo_product_attributes(number: int) -> dict[str, Any]:
    """The brand and materials of the ``number``-th demo product (1-based).

    Every fifth product has no brand, so listings show both cases.
    """
    brands = list(Brand.objects.filter(slug__in=[b[1] for b in BRANDS]))
    materials = list(Material.objects.filter(slug__in=[m[1] for m in MATERIALS]))
    if not brands or not materials:
        return {}
    brand = None if number % 5 == 0 else brands[number % len(brands)]
    count = 1 + number % 2
    chosen = [materials[(number + step) % len(materials)] for step in range(count)]
    return {
        "brand": brand.pk if brand is not None else None,
        "materials": [material.pk for material in chosen],
    }


def demo_favourites_seed() -> int:
    """Give the demo customer a few favourites (products and a package) once."""
    customer = User.objects.filter(email__iexact=DEMO_CUSTOMER_EMAIL).first()
    if customer is None or customer.favourites.exists():
        return 0
    products = ProductPage.objects.live().filter(is_active=True).order_by("pk")[:3]
    packages = PackagePage.objects.live().filter(is_active=True).order_by("pk")[:1]
    added = 0
    for item in [*products, *packages]:
        favourite_add(user=customer, kind=item.kind, item_id=item.pk)
        added += 1
    return added
