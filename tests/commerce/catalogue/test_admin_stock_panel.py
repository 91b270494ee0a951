"""Stock in the page editor: the Stock panel of products, availability of packages."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    streamfield,
)

from commerce.catalogue.models import ProductPage, ProductStock
from commerce.catalogue.services.stock import stock_adjust, stock_set
from commerce.exceptions import InsufficientStockError
from tests.commerce.catalogue_factories import category_make, package_make, product_make

FORM_ID = "page-edit-form"


def _stock(product: ProductPage) -> ProductStock:
    return ProductStock.objects.get(product=product)


def _form_data(html: str):
    """The editor's form as the browser would post it (these items attach nothing;
    the customizations stream is built by JavaScript, so it is added here)."""
    data = querydict_from_html(html, form_id=FORM_ID)
    data.update(nested_form_data({"customizations": streamfield([])}))
    return data


def _edit_form(client, product: ProductPage):
    response = client.get(f"/admin/pages/{product.pk}/edit/")
    assert response.status_code == 200
    return _form_data(response.content.decode())


def _save_draft(client, product: ProductPage, data):
    return client.post(f"/admin/pages/{product.pk}/edit/", data)


@pytest.fixture
def editor(client, manager):
    client.force_login(manager)
    return client


@pytest.mark.django_db
def test_the_product_editor_shows_stock_and_threshold(editor):
    product = product_make(category_make(), stock=8)
    ProductStock.objects.filter(product=product).update(
        low_stock_threshold=3, units_sold=11
    )

    data = _edit_form(editor, product)
    page = editor.get(f"/admin/pages/{product.pk}/edit/").content.decode()

    assert data["stock_quantity"] == "8"
    assert data["stock_quantity_seen"] == "8"
    assert data["low_stock_threshold"] == "3"
    # each field once: a second, untouched copy would be posted after the edited one
    for name in ("stock_quantity", "stock_quantity_seen", "low_stock_threshold"):
        assert page.count(f'name="{name}"') == 1, name
    assert "Units sold so far: 11" in page


@pytest.mark.django_db
def test_a_draft_save_writes_the_stock_with_an_audit_entry(editor, manager):
    # given
    product = product_make(category_make(), stock=5, title="Mug")
    data = _edit_form(editor, product)
    data["stock_quantity"] = "12"
    data["low_stock_threshold"] = "2"
    data["title"] = "Mug (draft title)"

    # when: saved as a draft, not published
    response = _save_draft(editor, product, data)

    # then
    assert response.status_code == 302
    stock = _stock(product)
    assert (stock.quantity, stock.low_stock_threshold) == (12, 2)
    product.refresh_from_db()
    assert product.title == "Mug"  # the draft is not live
    assert product.has_unpublished_changes
    entry = PageLogEntry.objects.get(page=product, action="commerce.stock.set")
    assert entry.user == manager
    assert entry.data == {"from_quantity": 5, "to_quantity": 12}
    assert PageLogEntry.objects.filter(
        page=product, action="commerce.stock.threshold_set"
    ).exists()


@pytest.mark.django_db
def test_an_unchanged_figure_leaves_orders_decrements_alone(editor):
    product = product_make(category_make(), stock=5)
    data = _edit_form(editor, product)
    stock_adjust(product_id=product.pk, delta=-2)  # an order while the editor is open

    response = _save_draft(editor, product, data)

    assert response.status_code == 302
    assert _stock(product).quantity == 3
    assert not PageLogEntry.objects.filter(action="commerce.stock.set").exists()


@pytest.mark.django_db
def test_a_stale_figure_is_refused_and_the_second_save_applies(editor):
    # given: the editor saw 5; an order takes 1 before the editor saves 9
    product = product_make(category_make(), stock=5)
    data = _edit_form(editor, product)
    stock_adjust(product_id=product.pk, delta=-1)
    data["stock_quantity"] = "9"

    # when
    response = _save_draft(editor, product, data)

    # then: a field error naming both figures, nothing written
    assert response.status_code == 200
    errors = response.context["form"].errors["stock_quantity"]
    assert "changed from 5 to 4" in errors[0]
    assert _stock(product).quantity == 4

    # and the re-shown form now holds the new figure as seen: saving again applies 9
    again = _form_data(response.content.decode())
    assert again["stock_quantity_seen"] == "4"
    assert again["stock_quantity"] == "9"
    assert _save_draft(editor, product, again).status_code == 302
    assert _stock(product).quantity == 9


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "Ensure this value is greater than or equal to 0."),
        ("many", "Enter a whole number of units, 0 or more."),
        ("2.5", "Enter a whole number of units, 0 or more."),
        ("", "Enter the units in stock (0 when there are none)."),
    ],
)
def test_bad_stock_input_is_a_field_error(editor, value, message):
    product = product_make(category_make(), stock=5)
    data = _edit_form(editor, product)
    data["stock_quantity"] = value

    response = _save_draft(editor, product, data)

    assert response.status_code == 200
    assert response.context["form"].errors["stock_quantity"] == [message]
    assert _stock(product).quantity == 5


@pytest.mark.django_db
def test_a_negative_threshold_is_a_field_error(editor):
    product = product_make(category_make(), stock=5)
    data = _edit_form(editor, product)
    data["low_stock_threshold"] = "-1"

    response = _save_draft(editor, product, data)

    assert response.status_code == 200
    assert "low_stock_threshold" in response.context["form"].errors


@pytest.mark.django_db
def test_a_stock_edit_of_a_deleted_product_is_a_field_error_not_a_500(editor, manager):
    # given: the editor opened the form; the product is deleted meanwhile
    product = product_make(category_make(), stock=5)
    data = _edit_form(editor, product)
    data["stock_quantity"] = "9"
    form_class = ProductPage.get_edit_handler().get_form_class()
    stale = ProductPage.objects.get(pk=product.pk)
    ProductPage.objects.get(pk=product.pk).delete()

    # when the save reaches the form
    form = form_class(data, instance=stale, for_user=manager, parent_page=None)

    # then
    assert not form.is_valid()
    assert "deleted" in form.errors["stock_quantity"][0]
    # and the editor's request itself answers 404, not 500
    assert _save_draft(editor, product, data).status_code == 404
    # and the service refuses with a field error too
    with pytest.raises(ValidationError) as error:
        stock_set(product_id=product.pk, quantity=9)
    assert "stock_quantity" in error.value.message_dict


@pytest.mark.django_db
def test_a_product_created_in_the_admin_gets_its_stock_row(editor):
    # given
    category = category_make()
    url = f"/admin/pages/add/commerce/productpage/{category.pk}/"
    data = _form_data(editor.get(url).content.decode())
    data.update(
        {
            "title": "Admin mug",
            "slug": "admin-mug",
            "price": "9.50",
            "sku": "ADM-1",
            "stock_quantity": "5",
            "low_stock_threshold": "",
            "action-publish": "publish",
        }
    )

    # when
    response = editor.post(url, data)

    # then
    assert response.status_code == 302, response.context["form"].errors
    product = ProductPage.objects.get(sku="ADM-1")
    assert product.live
    stock = _stock(product)
    assert (stock.quantity, stock.low_stock_threshold) == (5, None)
    assert ModelLogEntry.objects.count() == 0  # page history, not model history
    assert PageLogEntry.objects.filter(
        page=product, action="commerce.stock.set"
    ).exists()


@pytest.mark.django_db
def test_the_products_listing_shows_stock_and_marks_low_stock(editor):
    category = category_make()
    product_make(category, title="Plenty", stock=40)
    low = product_make(category, title="Scarce", stock=2)

    response = editor.get("/admin/shop/products/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-stock="40"' in html
    assert 'data-stock="2"' in html
    assert f"/admin/pages/{low.pk}/edit/" in html
    assert html.count("data-low-stock") == 1
    assert 'data-stock="2" data-low-stock' in html


@pytest.mark.django_db
def test_packages_show_their_availability_from_components(editor):
    category = category_make()
    mug = product_make(category, title="Mug", stock=7)
    pen = product_make(category, title="Pen", stock=30)
    box = package_make(category, [(mug, 2), (pen, 5)], title="Box")

    edit = editor.get(f"/admin/pages/{box.pk}/edit/").content.decode()
    listing = editor.get("/admin/shop/packages/").content.decode()

    # min(7 // 2, 30 // 5) == 3
    assert "<strong data-available>3</strong>" in edit
    assert "Box" in listing
    assert "Mug" in edit
    assert "Pen" in edit


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("listing", "ordering"),
    [
        ("products", "sku"),
        ("products", "-stock_quantity"),
        ("products", "price"),
        ("packages", "sku"),
        ("packages", "-price"),
    ],
)
def test_a_search_sorted_by_a_column_lists_the_matches_in_that_order(
    editor, listing, ordering
):
    # given
    category = category_make()
    mug = product_make(category, title="Blue mug", sku="B-2", price="9.00", stock=3)
    cup = product_make(category, title="Blue cup", sku="B-1", price="7.00", stock=8)
    product_make(category, title="Red vase", sku="A-1", stock=1)
    package_make(category, [(mug, 1)], title="Blue box", sku="P-2", price="20.00")
    package_make(category, [(cup, 1)], title="Blue set", sku="P-1", price="30.00")
    package_make(category, [(cup, 1)], title="Red kit", sku="P-0")

    # when
    response = editor.get(
        f"/admin/shop/{listing}/", {"q": "blue", "ordering": ordering}
    )

    # then
    assert response.status_code == 200
    html = response.content.decode()
    expected = {
        "sku": ["Blue cup", "Blue mug"]
        if listing == "products"
        else ["Blue set", "Blue box"],
        "-stock_quantity": ["Blue cup", "Blue mug"],
        "price": ["Blue cup", "Blue mug"],
        "-price": ["Blue set", "Blue box"],
    }[ordering]
    positions = [html.index(title) for title in expected]
    assert positions == sorted(positions)
    assert "Red vase" not in html
    assert "Red kit" not in html


@pytest.mark.django_db
def test_a_customer_never_reaches_the_shop_listings(client, customer):
    client.force_login(customer)

    for url in ("/admin/shop/products/", "/admin/shop/packages/"):
        assert client.get(url).status_code == 302


@pytest.mark.usefixtures("committed_db")
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite locks the file)",
)
def test_admin_stock_edits_and_orders_never_lose_an_update():
    """Editors add units (read the figure, save figure + 1) while orders take units.

    An editor's save that lost the race is refused and retried with the new figure,
    as the admin form does, so the end figure is exact.
    """
    # given
    product = product_make(category_make(), stock=20)
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(30)

    def order() -> None:
        start.wait()
        try:
            stock_adjust(product_id=product.pk, delta=-1)
            result = "sold"
        except InsufficientStockError:
            result = "sold out"
        except Exception as error:  # noqa: BLE001 - any other outcome fails below
            result = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    def editor_adds_one() -> None:
        start.wait()
        result = "gave up"
        try:
            for _attempt in range(50):
                seen = ProductStock.objects.get(product_id=product.pk).quantity
                try:
                    stock_set(
                        product_id=product.pk,
                        quantity=seen + 1,
                        expected_quantity=seen,
                    )
                except ValidationError:
                    continue
                result = "added"
                break
        except Exception as error:  # noqa: BLE001
            result = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    # when: 15 orders and 15 editors at once
    threads = [threading.Thread(target=order) for _ in range(15)] + [
        threading.Thread(target=editor_adds_one) for _ in range(15)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then: every change counted: 20 - 15 + 15
    assert sorted(outcomes) == ["added"] * 15 + ["sold"] * 15
    assert ProductStock.objects.get(product_id=product.pk).quantity == 20
