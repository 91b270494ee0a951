"""Seed a large catalogue and order history fast, for the benchmark only.

Creating 10,000 products through the catalogue services (a treebeard insert, a
revision and a publish each) takes tens of minutes, so products are written in bulk:
Wagtail page rows with tree paths computed here, then the product rows, stock, tags
and a gallery image each. They are published pages without revisions (the API reads
never load revisions). The categories, customizations and a few packages still go
through the services. Orders and their lines are bulk inserts too.

Run through benchmarks/run.py, or: DJANGO_SETTINGS_MODULE=... python benchmarks/seed.py
--products 10000 --orders 100000. Seeding is skipped when the database already holds
that many benchmark products and orders.
"""

import argparse
import json
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag  # noqa: E402
from wagtail.models import Page  # noqa: E402

from commerce.accounts.models import User  # noqa: E402
from commerce.catalogue.models import (  # noqa: E402
    CategoryPage,
    PackagePage,
    ProductPage,
    ProductPageImage,
    ProductPageTag,
    ProductStock,
)
from commerce.catalogue.services.sellables import package_create  # noqa: E402
from commerce.management.commands.seed_catalogue import (  # noqa: E402
    ADJECTIVES,
    COLOURS,
    NOUNS,
    TAGS,
    _image_make,
)
from commerce.orders.models import Order, OrderLine  # noqa: E402
from customization.models import Customization  # noqa: E402

SKU_PREFIX = "BENCH-"
CUSTOMER_PREFIX = "bench-customer-"
CUSTOMERS = 200
BATCH = 2000


def _log(message: str, started: float) -> None:
    print(f"  {message} ({time.monotonic() - started:.1f}s)", flush=True)  # noqa: T201


def _leaf_categories() -> list[CategoryPage]:
    call_command("seed_catalogue", products=0, packages=0, quiet=True)
    return [
        category
        for category in CategoryPage.objects.order_by("path")
        if not CategoryPage.objects.child_of(category).exists()
    ]


def _customization_stream(customizations: list[Customization], rng) -> str:
    blocks = [
        {
            "type": "customization",
            "value": {"customization": c.pk, "requirement": "default", "label": ""},
            "id": str(uuid.uuid4()),
        }
        for c in rng.sample(customizations, k=rng.randint(0, 2))
    ]
    return json.dumps(blocks)


@transaction.atomic
def products_create(count: int, rng: random.Random) -> None:
    started = time.monotonic()
    leaves = _leaf_categories()
    customizations = list(Customization.objects.filter(live=True).order_by("pk"))
    existing = ProductPage.objects.filter(sku__startswith=SKU_PREFIX).count()
    content_type = ContentType.objects.get_for_model(ProductPage)
    now = timezone.now()
    pages, details = [], []
    next_position = {leaf.pk: leaf.numchild for leaf in leaves}
    for number in range(existing + 1, count + 1):
        leaf = leaves[number % len(leaves)]
        next_position[leaf.pk] += 1
        title = f"{rng.choice(ADJECTIVES)} {NOUNS.get(leaf.title, 'gift')} {number}"
        slug = f"bench-{number}"
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                url_path=f"{leaf.url_path}{slug}/",
                depth=leaf.depth + 1,
                path=Page._get_path(leaf.path, leaf.depth + 1, next_position[leaf.pk]),
                numchild=0,
                locale_id=leaf.locale_id,
                translation_key=uuid.uuid4(),
            )
        )
        price = Decimal(rng.randrange(500, 12000)) / 100
        details.append(
            (
                f"<p>A {title.lower()} from our {leaf.title.lower()} range.</p>",
                price,
                (price * Decimal("1.25")).quantize(Decimal("0.01"))
                if number % 5 == 0
                else None,
                f"{SKU_PREFIX}{number:06d}",
                True,
                True,
                _customization_stream(customizations, rng),
            )
        )
    if not pages:
        return
    created = Page.objects.bulk_create(pages, batch_size=BATCH)
    _log(f"{len(created)} page rows", started)
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO commerce_productpage (page_ptr_id, description, price,"
            " compare_at_price, sku, is_active, is_available, customizations)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [(page.pk, *row) for page, row in zip(created, details, strict=True)],
        )
    _log("product rows", started)
    for leaf in leaves:
        CategoryPage.objects.filter(pk=leaf.pk).update(numchild=next_position[leaf.pk])
    ProductStock.objects.bulk_create(
        [
            ProductStock(
                product_id=page.pk,
                quantity=0 if index % 9 == 0 else rng.randint(3, 200),
                units_sold=rng.randint(0, 400),
            )
            for index, page in enumerate(created)
        ],
        batch_size=BATCH,
    )
    tags = [Tag.objects.get_or_create(name=name, slug=name)[0] for name in TAGS]
    ProductPageTag.objects.bulk_create(
        [
            ProductPageTag(content_object_id=page.pk, tag=tag)
            for page in created
            for tag in rng.sample(tags, k=2)
        ],
        batch_size=BATCH,
    )
    images = [
        _image_make(f"Bench picture {index}", COLOURS[index % len(COLOURS)])
        for index in range(10)
    ]
    ProductPageImage.objects.bulk_create(
        [
            ProductPageImage(page_id=page.pk, image=rng.choice(images), sort_order=0)
            for page in created
        ],
        batch_size=BATCH,
    )
    _log("stock, tags and images", started)


def packages_create(count: int, rng: random.Random) -> None:
    started = time.monotonic()
    existing = PackagePage.objects.filter(sku__startswith=SKU_PREFIX).count()
    product_ids = list(
        ProductPage.objects.filter(sku__startswith=SKU_PREFIX).values_list(
            "pk", flat=True
        )[:2000]
    )
    products = ProductPage.objects.in_bulk(product_ids)
    for number in range(existing + 1, count + 1):
        parts = [products[pk] for pk in rng.sample(product_ids, k=3)]
        category = parts[0].get_parent().specific
        package_create(
            data={
                "category": category.pk,
                "title": f"{rng.choice(ADJECTIVES)} bench set {number}",
                "slug": f"bench-set-{number}",
                "price": Decimal("30.00"),
                "sku": f"{SKU_PREFIX}P{number:04d}",
                "tags": ["gift"],
                "components": [{"product": p.pk, "quantity": 1} for p in parts],
            },
            publish=True,
            user=None,
        )
    _log(f"{count - existing} packages (services)", started)


def customers_create() -> list[int]:
    password = make_password("bench-password-not-secret")
    existing = set(
        User.objects.filter(email__startswith=CUSTOMER_PREFIX).values_list(
            "email", flat=True
        )
    )
    User.objects.bulk_create(
        [
            User(email=email, name=f"Bench {index}", password=password)
            for index in range(CUSTOMERS)
            if (email := f"{CUSTOMER_PREFIX}{index}@example.com") not in existing
        ]
    )
    customers = list(
        User.objects.filter(email__startswith=CUSTOMER_PREFIX).order_by("pk")
    )
    group = Group.objects.get(name="customer")
    group.user_set.add(*customers)
    return [customer.pk for customer in customers]


def orders_create(count: int, rng: random.Random) -> None:
    started = time.monotonic()
    existing = Order.objects.filter(number__startswith="B").count()
    customer_ids = customers_create()
    products = list(
        ProductPage.objects.filter(sku__startswith=SKU_PREFIX).values_list(
            "pk", "title", "sku", "price"
        )[:5000]
    )
    statuses = ["pending", "processing", "shipped", "delivered", "cancelled"]
    address = {
        "name": "Bench",
        "street_address_1": "1 Road",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
    }
    for start in range(existing, count, BATCH * 5):
        size = min(BATCH * 5, count - start)
        orders, lines_per_order = [], []
        for index in range(start, start + size):
            lines = [
                (product, rng.randint(1, 3))
                for product in rng.sample(products, k=rng.randint(1, 3))
            ]
            total = sum((p[3] * q for p, q in lines), Decimal("0"))
            orders.append(
                Order(
                    number=f"B{index:09d}",
                    customer_id=rng.choice(customer_ids),
                    status=rng.choice(statuses),
                    contact_email="bench@example.com",
                    shipping_address=address,
                    subtotal=total,
                    total=total,
                )
            )
            lines_per_order.append(lines)
        with transaction.atomic():
            created = Order.objects.bulk_create(orders, batch_size=BATCH)
            OrderLine.objects.bulk_create(
                [
                    OrderLine(
                        order_id=order.pk,
                        product_id=product[0],
                        name=product[1],
                        sku=product[2],
                        unit_price=product[3],
                        price_delta=Decimal("0"),
                        quantity=quantity,
                        line_total=product[3] * quantity,
                    )
                    for order, lines in zip(created, lines_per_order, strict=True)
                    for product, quantity in lines
                ],
                batch_size=BATCH,
            )
        _log(f"{start + size} orders", started)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Spread the history over a year (created_at is auto_now_add).
            cursor.execute(
                "UPDATE commerce_order SET created_at = now() - random() * "
                "interval '365 days' WHERE number LIKE 'B%'"
            )
            # VACUUM as well: a database that has run a while has its visibility map
            # set by autovacuum, so index-only scans (a list's count) read no row.
            cursor.execute("VACUUM ANALYZE")
    _log("order dates spread, tables vacuumed and analysed", started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--packages", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(7)  # noqa: S311 - benchmark data
    started = time.monotonic()
    products_create(args.products, rng)
    packages_create(
        args.packages if args.packages is not None else max(5, args.products // 200),
        rng,
    )
    orders_create(args.orders, rng)
    _log("seeded", started)


if __name__ == "__main__":
    main()
