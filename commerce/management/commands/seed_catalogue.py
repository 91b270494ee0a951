"""Seed a realistic demo catalogue: categories, products, packages, customizations.

It also composes the demo home page's sections, once the items they show exist.
"""

import random
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

from commerce.catalogue.models import (
    CategoryPage,
    PackagePage,
    ProductPage,
    ProductStock,
)
from commerce.catalogue.services.cards import cards_invalidate
from commerce.catalogue.services.categories import (
    category_create,
    shop_index_get_or_create,
)
from commerce.catalogue.services.customizations import item_customization_attach
from commerce.catalogue.services.sellables import package_create, product_create
from commerce.management.demo_attributes import (
    demo_attributes_seed,
    demo_favourites_seed,
    demo_product_attributes,
)
from commerce.management.demo_checkout import REDUCED, demo_checkout_seed
from commerce.management.demo_offers import demo_offers_seed
from commerce.management.demo_orders import demo_orders_exist, demo_orders_seed
from commerce.management.demo_reviews import demo_reviews_exist, demo_reviews_seed
from commerce.management.demo_vouchers import demo_vouchers_seed
from commerce.taxes.models import TaxClass
from customization.models import Customization
from customization.selectors import attached_entries
from customization.services import customization_create
from home.services import home_page_demo_compose

CATEGORIES = {
    "Flowers": ["Bouquets", "Roses"],
    "Gifts": ["Mugs", "T-shirts"],
    "Cakes": ["Birthday cakes"],
    "Jewellery": ["Necklaces", "Bracelets"],
    "Home decor": ["Candles", "Frames"],
    "Cards": ["Greeting cards"],
}
ADJECTIVES = [
    "Classic",
    "Deluxe",
    "Rustic",
    "Golden",
    "Midnight",
    "Spring",
    "Velvet",
    "Sunny",
]
NOUNS = {
    "Bouquets": "bouquet",
    "Roses": "rose box",
    "Mugs": "mug",
    "T-shirts": "T-shirt",
    "Birthday cakes": "cake",
    "Necklaces": "necklace",
    "Bracelets": "bracelet",
    "Candles": "candle",
    "Frames": "photo frame",
    "Greeting cards": "card",
}
# Shipping weight of one unit, in grams, by category.
WEIGHTS = {
    "Bouquets": 900,
    "Roses": 1200,
    "Mugs": 450,
    "T-shirts": 200,
    "Birthday cakes": 1500,
    "Necklaces": 80,
    "Bracelets": 60,
    "Candles": 400,
    "Frames": 650,
    "Greeting cards": 40,
}
# Categories taxed at the reduced rate (food).
REDUCED_TAX_CATEGORIES = {"Birthday cakes"}
TAGS = ["bestseller", "new", "gift", "personalised", "eco", "handmade"]
COLOURS = [
    (214, 69, 65),
    (52, 152, 219),
    (46, 204, 113),
    (155, 89, 182),
    (241, 196, 15),
]
CUSTOMIZATIONS: list[dict[str, Any]] = [
    {
        "name": "Ribbon colour",
        "kind": "color",
        "is_required": True,
        "options": [
            {
                "type": "color",
                "value": {"label": "Red", "value": "#d64541", "price_delta": "0"},
            },
            {
                "type": "color",
                "value": {"label": "Gold", "value": "#f1c40f", "price_delta": "1.50"},
            },
            {
                "type": "color",
                "value": {"label": "Navy", "value": "#1f3a5f", "price_delta": "0"},
            },
        ],
    },
    {
        "name": "Size",
        "kind": "button",
        "is_required": True,
        "options": [
            {
                "type": "button",
                "value": {"label": "Small", "value": "S", "price_delta": "0"},
            },
            {
                "type": "button",
                "value": {"label": "Medium", "value": "M", "price_delta": "4.00"},
            },
            {
                "type": "button",
                "value": {"label": "Large", "value": "L", "price_delta": "8.00"},
            },
        ],
    },
    {
        "name": "Mug pattern",
        "kind": "image",
        "options": [
            {"type": "image", "value": {"label": label, "price_delta": delta}}
            for label, delta in (("Hearts", "0"), ("Stripes", "2.00"), ("Dots", "0"))
        ],
    },
    {
        "name": "Gift message",
        "kind": "text",
        "options": [
            {
                "type": "text",
                "value": {"label": "Message", "max_length": 200, "price_delta": "0"},
            }
        ],
    },
    {
        "name": "Your photo",
        "kind": "upload",
        "needs_approval": True,
        "options": [
            {
                "type": "upload",
                "value": {
                    "label": "Photo to print",
                    "allowed_formats": ["JPEG", "PNG"],
                    "max_size_kb": 5120,
                    "max_width": 6000,
                    "max_height": 6000,
                    "price_delta": "5.00",
                },
            }
        ],
    },
]


def _pattern_image_make(label: str) -> Any:
    """A 400×400 picture of the pattern an image choice stands for."""
    image = Image.new("RGB", (400, 400), (250, 246, 240))
    draw = ImageDraw.Draw(image)
    if label == "Stripes":
        for x in range(0, 400, 40):
            draw.rectangle([x, 0, x + 19, 400], fill=(52, 152, 219))
    elif label == "Dots":
        for x in range(20, 400, 60):
            for y in range(20, 400, 60):
                draw.ellipse([x, y, x + 24, y + 24], fill=(46, 204, 113))
    else:
        for x in range(30, 400, 90):
            for y in range(30, 400, 90):
                draw.ellipse([x, y, x + 24, y + 24], fill=(214, 69, 65))
                draw.ellipse([x + 18, y, x + 42, y + 24], fill=(214, 69, 65))
                draw.polygon(
                    [(x + 1, y + 16), (x + 41, y + 16), (x + 21, y + 44)],
                    fill=(214, 69, 65),
                )
    buffer = BytesIO()
    image.save(buffer, "PNG")
    file = ImageFile(BytesIO(buffer.getvalue()), name=f"pattern-{label.lower()}.png")
    return get_image_model().objects.create(title=f"{label} pattern", file=file)


def _definition_with_images(definition: dict[str, Any]) -> dict[str, Any]:
    """Image options get pictures made now; other kinds are used as written."""
    if definition["kind"] != "image":
        return dict(definition)
    options = [
        {
            "type": "image",
            "value": {
                **option["value"],
                "image": _pattern_image_make(option["value"]["label"]).pk,
            },
        }
        for option in definition["options"]
    ]
    return {**definition, "options": options}


def _image_make(title: str, colour: tuple[int, int, int]) -> Any:
    """A locally generated picture: a gradient with the title written on it."""
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    for y in range(0, 600, 4):
        shade = tuple(min(255, c + y // 6) for c in colour)
        draw.rectangle([0, y, 800, y + 4], fill=shade)
    draw.text((40, 280), title, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    file = ImageFile(
        BytesIO(buffer.getvalue()), name=f"{title.lower().replace(' ', '-')}.jpg"
    )
    return get_image_model().objects.create(title=title, file=file)


class Command(BaseCommand):
    help = (
        "Seed a demo catalogue, shipping methods and tax rates (idempotent: existing "
        "SKUs, slugs, methods and rates are kept)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--products", type=int, default=50)
        parser.add_argument("--packages", type=int, default=10)
        parser.add_argument(
            "--orders",
            type=int,
            default=60,
            help="Demo orders over the last 60 days, placed once (0: none).",
        )
        parser.add_argument("--quiet", action="store_true")

    def _progress(self, label: str, done: int, total: int) -> None:
        if self.quiet:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        bar = "#" * filled + " " * (width - filled)
        end = "\n" if done == total else ""
        self.stdout.write(f"\r[{bar}] {done}/{total} {label}", ending=end)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        self.quiet = options["quiet"]
        rng = random.Random(42)  # noqa: S311 - demo data, not security
        created = {
            "categories": 0,
            "products": 0,
            "packages": 0,
            "customizations": 0,
            "offers": 0,
            "orders": 0,
            "reviews": 0,
        }
        checkout = demo_checkout_seed()
        attributes = demo_attributes_seed()
        self.reduced_tax_class = TaxClass.objects.get(name=REDUCED)
        with transaction.atomic():
            shop_index_get_or_create()
            customizations = self._customizations(created)
            leaves = self._categories(created)
        products = self._products(
            options["products"], leaves, customizations, rng, created
        )
        packages = self._packages(
            options["packages"], products, customizations, rng, created
        )
        created["offers"] = demo_offers_seed(products=products, packages=packages)
        showcase = self._showcase(products, customizations)
        home_page_demo_compose(
            hero_image=lambda: _image_make("Gifts made to be remembered", COLOURS[3]),
            category=CategoryPage.objects.filter(title=next(iter(CATEGORIES))).first(),
        )
        created["favourites"] = demo_favourites_seed()
        vouchers = demo_vouchers_seed()
        if options["orders"] and not demo_orders_exist():
            created["orders"] = demo_orders_seed(
                count=options["orders"], showcase=showcase, rng=rng
            )
            # The cards (read model) rendered before the orders show their sales.
            cards_invalidate(everything=True)
        if options["orders"] and not demo_reviews_exist():
            created["reviews"] = demo_reviews_seed(rng=rng)
        summary = ", ".join(
            f"{count} {name}"
            for name, count in {**created, **checkout, **attributes, **vouchers}.items()
        )
        self.stdout.write(self.style.SUCCESS(f"Catalogue seeded: created {summary}."))

    def _customizations(self, created: dict[str, int]) -> list[Customization]:
        found = []
        for definition in CUSTOMIZATIONS:
            customization = Customization.objects.filter(
                name=definition["name"]
            ).first()
            if customization is None:
                data = _definition_with_images(definition)
                customization = customization_create(data=data, publish=True, user=None)
                created["customizations"] += 1
            found.append(customization)
        return found

    def _showcase(
        self, products: list[ProductPage], customizations: list[Customization]
    ) -> ProductPage | None:
        """The first product offers a customization of every kind."""
        if not products:
            return None
        product = products[0]
        attached = {
            entry["customization"]
            for entry in attached_entries(raw_stream=product.customizations.raw_data)
        }
        for customization in customizations:
            if customization.pk not in attached:
                product = item_customization_attach(
                    item=product,
                    customization_id=customization.pk,
                    requirement="optional",
                    label="",
                    publish=True,
                    user=None,
                )
        return product

    def _categories(self, created: dict[str, int]) -> list[CategoryPage]:
        leaves: list[CategoryPage] = []
        for top_name, children in CATEGORIES.items():
            top = CategoryPage.objects.filter(title=top_name).first()
            if top is None:
                colour = COLOURS[len(leaves) % len(COLOURS)]
                top = category_create(
                    parent_id=None,
                    data={"title": top_name, "image": _image_make(top_name, colour).pk},
                    publish=True,
                    user=None,
                )
                created["categories"] += 1
            for child_name in children:
                child = CategoryPage.objects.filter(title=child_name).first()
                if child is None:
                    child = category_create(
                        parent_id=top.pk,
                        data={"title": child_name},
                        publish=True,
                        user=None,
                    )
                    created["categories"] += 1
                leaves.append(child)
        return leaves

    def _products(
        self,
        count: int,
        leaves: list[CategoryPage],
        customizations: list[Customization],
        rng: random.Random,
        created: dict[str, int],
    ) -> list[ProductPage]:
        products = []
        for number in range(1, count + 1):
            sku = f"FNT-{number:04d}"
            category = leaves[(number - 1) % len(leaves)]
            product = ProductPage.objects.filter(sku=sku).first()
            if product is None:
                with transaction.atomic():
                    product = self._product_create(
                        number, sku, category, customizations, rng
                    )
                created["products"] += 1
            products.append(product)
            self._progress("products", number, count)
        return products

    def _product_create(
        self,
        number: int,
        sku: str,
        category: CategoryPage,
        customizations: list[Customization],
        rng: random.Random,
    ) -> ProductPage:
        title = f"{rng.choice(ADJECTIVES)} {NOUNS.get(category.title, 'gift')} {number}"
        price = Decimal(rng.randrange(500, 12000)) / 100
        images = [
            _image_make(f"{title} {index + 1}", rng.choice(COLOURS)).pk
            for index in range(rng.randint(1, 3))
        ]
        data = {
            "category": category.pk,
            "title": title,
            "slug": f"{sku.lower()}-{category.slug}",
            "description": f"<p>A {title.lower()} from our {category.title.lower()} range.</p>",
            "price": price,
            "compare_at_price": (price * Decimal("1.25")).quantize(Decimal("0.01"))
            if number % 5 == 0
            else None,
            "sku": sku,
            "tags": rng.sample(TAGS, k=2),
            "images": images,
            "stock_quantity": 0 if number % 9 == 0 else rng.randint(3, 120),
            "weight_grams": WEIGHTS.get(category.title),
            "tax_class": self.reduced_tax_class.pk
            if category.title in REDUCED_TAX_CATEGORIES
            else None,
            **demo_product_attributes(number),
        }
        product = product_create(data=data, publish=True, user=None)
        ProductStock.objects.filter(product=product).update(
            units_sold=rng.randint(0, 400)
        )
        for customization in rng.sample(customizations, k=rng.randint(0, 2)):
            product = item_customization_attach(
                item=product,
                customization_id=customization.pk,
                requirement="default",
                label="",
                publish=True,
                user=None,
            )
        return product

    def _packages(
        self,
        count: int,
        products: list[ProductPage],
        customizations: list[Customization],
        rng: random.Random,
        created: dict[str, int],
    ) -> list[PackagePage]:
        packages: list[PackagePage] = []
        if len(products) < 2:
            return packages
        for number in range(1, count + 1):
            sku = f"FNT-P{number:03d}"
            existing = PackagePage.objects.filter(sku=sku).first()
            if existing is not None:
                packages.append(existing)
                self._progress("packages", number, count)
                continue
            parts = rng.sample(products, k=min(len(products), rng.randint(2, 4)))
            category = parts[0].get_parent().specific
            title = f"{rng.choice(ADJECTIVES)} gift set {number}"
            with transaction.atomic():
                package = package_create(
                    data={
                        "category": category.pk,
                        "title": title,
                        "slug": sku.lower(),
                        "description": f"<p>{title}: a hand-picked bundle.</p>",
                        "price": (
                            sum((p.price for p in parts), Decimal("0"))
                            * Decimal("0.85")
                        ).quantize(Decimal("0.01")),
                        "sku": sku,
                        "tags": ["gift"],
                        "images": [_image_make(title, rng.choice(COLOURS)).pk],
                        "components": [
                            {"product": part.pk, "quantity": rng.randint(1, 2)}
                            for part in parts
                        ],
                    },
                    publish=True,
                    user=None,
                )
                item_customization_attach(
                    item=package,
                    customization_id=next(
                        c for c in customizations if c.kind == "text"
                    ).pk,
                    requirement="optional",
                    label="Card message",
                    publish=True,
                    user=None,
                )
            created["packages"] += 1
            packages.append(package)
            self._progress("packages", number, count)
        return packages
