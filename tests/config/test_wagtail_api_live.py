"""Acceptance: a storefront renders a product page from the Wagtail API v2 alone."""

from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from django.core.files.storage import storages
from django.template import Context, Template
from django.test import override_settings
from wagtail.models import Site

from tests.commerce.catalogue_factories import category_make, product_make
from tests.customization.builders import attach, customization_make

# What a storefront does with one v2 item and nothing else.
PRODUCT_PAGE = Template(
    """<article>
<nav>{% for crumb in item.breadcrumbs %}<a href="/c/{{ crumb.slug }}">{{ crumb.name }}</a>{% endfor %}</nav>
<h1><a href="{{ item.meta.html_url }}">{{ item.title }}</a></h1>
<p class="price">{{ item.price }} {{ item.currency }}</p>
{% if item.is_on_sale %}<s>{{ item.compare_at_price }} {{ item.currency }}</s>{% endif %}
<p class="stock">{% if item.stock.in_stock %}In stock{% else %}Sold out{% endif %}</p>
{% for picture in item.gallery_images %}<img src="{{ picture.thumbnail.full_url }}" width="{{ picture.thumbnail.width }}">{% endfor %}
{% for customization in item.customizations %}<fieldset><legend>{{ customization.label }}</legend>
{% for option in customization.options %}<label>{% if option.image %}<img src="{{ option.image.url }}">{% endif %}{{ option.label }} (+{{ option.price_delta }})</label>
{% endfor %}</fieldset>{% endfor %}
</article>"""
)


@pytest.fixture
def media_on_disk(tmp_path):
    """Media on disk under MEDIA_ROOT, where the app's /media/ route reads it."""
    saved = dict(storages._storages)
    on_disk = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }
    with override_settings(
        MEDIA_ROOT=str(tmp_path), STORAGES={**settings.STORAGES, "default": on_disk}
    ):
        yield tmp_path
    # Restoring STORAGES builds new storage objects; model fields keep the old ones
    # (an in-memory storage holds its files), so the old ones are put back.
    storages._storages.update(saved)


def test_a_product_page_renders_from_the_v2_response_alone(
    committed_db, live_server, media_on_disk
):
    # given: the site is configured on the live server's host and port
    address = urlsplit(live_server.url)
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = address.hostname, address.port
    site.save()
    top = category_make("Flowers")
    product = product_make(
        category_make("Roses", parent=top), title="Rose", price="4.50", images=1
    )
    attach(product, customization_make("button", name="Size"))
    attach(product, customization_make("image", name="Pattern"))

    # when: the storefront asks the v2 API, once
    response = requests.get(
        f"{live_server.url}/api/v2/pages/",
        params={"type": "commerce.ProductPage", "fields": "*"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    (item,) = response.json()["items"]
    html = PRODUCT_PAGE.render(Context({"item": item}))

    # then: everything the page shows came from that response
    assert item["meta"]["html_url"] == f"{live_server.url}/shop/flowers/roses/rose/"
    assert f'<a href="{live_server.url}/shop/flowers/roses/rose/">Rose</a>' in html
    assert '<p class="price">4.50 EUR</p>' in html
    assert "In stock" in html
    assert '<a href="/c/flowers">Flowers</a><a href="/c/roses">Roses</a>' in html
    assert "Small (+0.00)" in html
    assert "Large (+4.50)" in html
    assert "Hearts (+3.00)" in html
    # and the pictures it points at answer through the live server
    pictures = [
        item["gallery_images"][0]["thumbnail"]["full_url"],
        item["customizations"][1]["options"][0]["image"]["url"],
    ]
    for url in pictures:
        assert url.startswith(f"{live_server.url}/media/images/"), url
        assert f'src="{url}"' in html
        picture = requests.get(url, timeout=30)
        assert picture.status_code == 200, url
        assert picture.headers["Content-Type"] == "image/png"
