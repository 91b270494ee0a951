"""Catalogue builders for tests: real pages through the catalogue services."""

from decimal import Decimal
from io import BytesIO
from itertools import count
from typing import Any

from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model

from commerce.catalogue.models import (
    Brand,
    CategoryPage,
    Material,
    PackagePage,
    ProductPage,
)
from commerce.catalogue.services.categories import category_create
from commerce.catalogue.services.sellables import package_create, product_create
from commerce.catalogue.services.stock import stock_set

_sequence = count(1)


def image_create(title: str = "picture") -> Any:
    buffer = BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(buffer, "PNG")
    file = ImageFile(BytesIO(buffer.getvalue()), name=f"{title}.png")
    return get_image_model().objects.create(title=title, file=file)


def brand_make(name: str | None = None, *, logo: bool = True) -> Brand:
    name = name or f"Brand {next(_sequence)}"
    slug = name.lower().replace(" ", "-")
    image = image_create(f"{slug}-logo") if logo else None
    return Brand.objects.create(name=name, slug=slug, logo=image)


def material_make(name: str | None = None) -> Material:
    name = name or f"Material {next(_sequence)}"
    return Material.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def category_make(
    title: str | None = None, parent: CategoryPage | None = None
) -> CategoryPage:
    title = title or f"Category {next(_sequence)}"
    return category_create(
        parent_id=parent.pk if parent else None,
        data={"title": title},
        publish=True,
        user=None,
    )


def product_make(
    category: CategoryPage,
    *,
    title: str | None = None,
    price: str = "10.00",
    stock: int = 5,
    publish: bool = True,
    images: int = 0,
    **fields: Any,
) -> ProductPage:
    number = next(_sequence)
    data = {
        "category": category.pk,
        "title": title or f"Product {number}",
        "price": Decimal(price),
        "sku": fields.pop("sku", f"SKU-{number}"),
        "stock_quantity": stock,
        "images": [image_create(f"img-{number}-{i}").pk for i in range(images)],
        **fields,
    }
    return product_create(data=data, publish=publish, user=None)


def package_make(
    category: CategoryPage,
    components: list[tuple[ProductPage, int]],
    *,
    price: str = "20.00",
    publish: bool = True,
    **fields: Any,
) -> PackagePage:
    number = next(_sequence)
    data = {
        "category": category.pk,
        "title": fields.pop("title", f"Package {number}"),
        "price": Decimal(price),
        "sku": fields.pop("sku", f"PKG-{number}"),
        "components": [{"product": p.pk, "quantity": q} for p, q in components],
        **fields,
    }
    return package_create(data=data, publish=publish, user=None)


def stock_of(product: ProductPage, quantity: int) -> None:
    stock_set(product_id=product.pk, quantity=quantity)
