"""The site's product, package and category pages show what a shopper would see.

Every figure on them comes from the catalogue API's own representation, so the page
and the API never disagree on a price, a stock figure or an option.
"""

from decimal import Decimal
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.templatetags.static import static
from rest_framework.test import APIClient

from commerce.catalogue.models import ProductPage, ProductPageImage
from commerce.catalogue.services.sellables import product_update
from tests.commerce.catalogue_factories import (
    category_make,
    image_create,
    package_make,
    product_make,
    stock_of,
)
from tests.customization.builders import OPTIONS, attach, customization_make

pytestmark = pytest.mark.django_db


def _soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def _text(node):
    return " ".join(node.get_text(" ").split())


def _path(url):
    """The API serves absolute URLs; the site's pages link media by path."""
    return urlparse(url).path


def _stored(url):
    """The media file behind a rendition URL exists (so the browser can load it)."""
    path = urlparse(url).path
    assert path.startswith(settings.MEDIA_URL), url
    return default_storage.exists(path.removeprefix(settings.MEDIA_URL))


@pytest.fixture
def mug():
    gifts = category_make("Gifts")
    mugs = category_make("Mugs", parent=gifts)
    product = product_make(
        mugs,
        title="Photo mug",
        price="12.50",
        compare_at_price=Decimal("15.00"),
        stock=3,
        images=2,
    )
    for kind in ("button", "color", "image", "text", "upload"):
        attach(product, customization_make(kind, name=f"{kind} choice"))
    return ProductPage.objects.get(pk=product.pk)


def test_a_product_page_shows_gallery_price_stock_breadcrumbs_and_every_control(
    client, mug
):
    api = APIClient().get(f"/api/products/{mug.pk}").json()

    page = _soup(client.get(mug.url))

    crumbs = [_text(li) for li in page.select("nav.breadcrumbs li")]
    assert crumbs == ["Home", "Gifts", "Mugs", "Photo mug"]
    assert page.select_one("nav.breadcrumbs a[href$='/gifts/mugs/']")
    assert _text(page.select_one(".price")) == "€12.50"
    assert _text(page.select_one("s.was")) == "€15.00"
    assert page.select_one("meta[itemprop=priceCurrency]")["content"] == "EUR"
    assert _text(page.select_one(".availability")) == "In stock: only 3 left"

    main = page.select_one(".gallery-main img")
    assert main["src"] == _path(api["images"][0]["large"]["url"])
    thumbnails = [img["src"] for img in page.select(".gallery-thumbs img")]
    assert thumbnails == [_path(image["thumbnail"]["url"]) for image in api["images"]]
    assert all(_stored(src) for src in [main["src"], *thumbnails])

    controls = {fieldset["data-kind"]: fieldset for fieldset in page.select("fieldset")}
    assert list(controls) == ["button", "color", "image", "text", "upload"]
    buttons = [_text(label) for label in controls["button"].select("label.choice")]
    assert buttons == ["Small", "Large +€4.50"]
    swatches = controls["color"].select(".swatch")
    assert [swatch["style"] for swatch in swatches] == [
        "background-color: #ff0000",
        "background-color: #0000ff",
    ]
    assert "+€1.25" in _text(controls["color"])
    image_options = api["customizations"][2]["options"]
    choice_images = controls["image"].select("img")
    assert [img["src"] for img in choice_images] == [
        _path(option["image"]["url"]) for option in image_options
    ]
    assert [img["alt"] for img in choice_images] == ["Hearts", "Stars"]
    assert all(_stored(img["src"]) for img in choice_images)
    text = controls["text"].select_one("input[type=text]")
    assert text["maxlength"] == "12"
    assert "Up to 12 characters" in _text(controls["text"])
    assert "+€2.00" in _text(controls["text"])
    upload = controls["upload"].select_one("input[type=file]")
    assert upload["accept"] == "image/png"
    assert "PNG, up to 50 KB and 100 × 100 px" in _text(controls["upload"])
    assert len(OPTIONS["button"]) == len(api["customizations"][0]["options"])


@pytest.mark.parametrize(
    ("stock", "available", "shown", "buyable"),
    [
        (0, True, "Out of stock", False),
        (40, True, "In stock (40 available)", True),
        (40, False, "Currently unavailable", False),
    ],
)
def test_availability_on_the_page_is_the_apis(client, stock, available, shown, buyable):
    product = product_make(category_make(), stock=stock, is_available=available)
    api = APIClient().get(f"/api/products/{product.pk}").json()

    page = _soup(client.get(product.url))

    assert _text(page.select_one(".availability")) == shown
    assert api["stock"]["in_stock"] is buyable
    assert ("disabled" in page.select_one("button.buy").attrs) is not buyable


def test_a_package_page_lists_its_components_and_their_availability(client):
    category = category_make("Sets")
    candle = product_make(category, title="Candle", stock=3)
    card = product_make(category, title="Card", stock=50)
    package = package_make(
        category, [(candle, 2), (card, 1)], title="Cosy set", price="30.00"
    )
    api = APIClient().get(f"/api/packages/{package.pk}").json()

    page = _soup(client.get(package.url))

    components = [_text(li) for li in page.select(".components li")]
    assert components == ["2 × Candle", "1 × Card"]
    assert page.select_one(f".components a[href='{candle.url}']")
    assert api["stock"]["quantity"] == 1
    assert _text(page.select_one(".availability")) == "In stock: only 1 left"

    stock_of(candle, 1)
    page = _soup(client.get(package.url))

    assert _text(page.select_one(".availability")) == "Out of stock"
    assert "not enough in stock" in _text(page.select_one(".components"))


def test_a_category_page_shows_subcategories_and_its_items_with_prices(client):
    home = category_make("Home decor")
    candles = category_make("Candles", parent=home)
    product_make(home, title="Vase", price="20.00", compare_at_price=Decimal("25.00"))
    product_make(home, title="Hidden", publish=False)

    page = _soup(client.get(home.url))

    assert [_text(li) for li in page.select("nav.breadcrumbs li")] == [
        "Home",
        "Home decor",
    ]
    assert [a["href"] for a in page.select(".subcategories a")] == [candles.url]
    assert [_text(item.select_one(".name")) for item in page.select("ul.items li")] == [
        "Vase"
    ]
    assert _text(page.select_one("ul.items .price")) == "€20.00"
    assert _text(page.select_one("ul.items s.was")) == "€25.00"


def test_the_admin_preview_of_an_unsaved_product_shows_its_images_and_options():
    category = category_make("Lamps")
    customization = customization_make("color", name="Shade")
    image = image_create("lamp")
    product = ProductPage(
        title="Desk lamp", slug="desk-lamp", price=Decimal("40.00"), sku="LAMP-1"
    )
    # What the admin's preview of a new page does: a path under the parent, no pk.
    product.depth = category.depth + 1
    product.path = ProductPage._get_children_path_interval(category.path)[1]
    product.gallery_images = [ProductPageImage(image=image)]  # type: ignore[assignment]
    product.customizations = [
        ("customization", {"customization": customization, "requirement": "default"})
    ]

    response = product.make_preview_request()

    page = _soup(response)
    assert _text(page.select_one(".price")) == "€40.00"
    assert _text(page.select_one(".availability")) == "Out of stock"
    assert _stored(page.select_one(".gallery-main img")["src"])
    assert [_text(li) for li in page.select("nav.breadcrumbs li")] == [
        "Home",
        "Lamps",
        "Desk lamp",
    ]
    assert len(page.select("fieldset[data-kind=color] .swatch")) == 2


def test_the_admin_preview_of_a_draft_shows_the_draft_with_live_stock():
    product = product_make(category_make(), title="Lamp", price="10.00", stock=7)
    product_update(product=product, data={"price": "14.00"}, publish=False, user=None)
    draft = ProductPage.objects.get(pk=product.pk).get_latest_revision_as_object()

    page = _soup(draft.make_preview_request())

    assert _text(page.select_one(".price")) == "€14.00"
    assert _text(page.select_one(".availability")) == "In stock (7 available)"
    assert page.select_one(".preview-banner")


def test_the_product_page_runs_no_inline_script_under_the_sites_policy(client, mug):
    response = client.get(mug.url)

    page = _soup(response)
    scripts = page.select("script")
    assert scripts
    assert all(script.get("src") and not script.string for script in scripts)
    policy = response["Content-Security-Policy"]
    script_src = next(
        part for part in policy.split(";") if part.strip().startswith("script-src")
    )
    assert "unsafe-inline" not in script_src
    assert [script["src"] for script in scripts] == [static("commerce/storefront.js")]
    assert finders.find("commerce/storefront.js")


def test_pictures_whose_files_are_gone_leave_the_page_and_the_api_working(client):
    # given a product with two pictures and an image choice; one picture's file and
    # the choice's file are lost (a restored backup, a storage clean-up)
    category = category_make("Lamps")
    lamp = product_make(category, title="Lamp", images=2)
    motif = customization_make("image", name="Motif")
    attach(lamp, motif)
    lost = [
        lamp.gallery_images.first().image,
        motif.options[0].value["image"],
    ]
    for image in lost:
        image.renditions.all().delete()
        image.file.storage.delete(image.file.name)
    category.refresh_from_db()
    category.image = lost[0]
    category.save_revision().publish()

    # when
    detail = APIClient().get(f"/api/products/{lamp.pk}")
    listing = APIClient().get("/api/products")
    categories = APIClient().get(f"/api/categories/{category.pk}")
    page = client.get(lamp.url)

    # then each answers, without the lost pictures
    assert detail.status_code == 200
    assert len(detail.json()["images"]) == 1
    assert _stored(detail.json()["images"][0]["large"]["url"])
    [attached] = detail.json()["customizations"]
    assert attached["options"][0]["image"] is None
    assert attached["options"][1]["image"]["url"]
    assert listing.status_code == 200
    assert len(listing.json()["results"][0]["images"]) == 1
    assert categories.status_code == 200
    assert categories.json()["image"] is None
    assert len(_soup(page).select(".gallery-main img")) == 1
