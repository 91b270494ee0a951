"""The Checkout menu: shipping methods, tax rates and classes as snippets."""

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from commerce.management.demo_checkout import demo_checkout_seed
from commerce.shipping.models import ShippingMethod
from commerce.taxes.models import TaxClass, TaxRate

pytestmark = pytest.mark.django_db

SNIPPETS = {
    ShippingMethod: "/admin/snippets/commerce/shippingmethod/",
    TaxRate: "/admin/snippets/commerce/taxrate/",
    TaxClass: "/admin/snippets/commerce/taxclass/",
}
OBJECT_PAGES = ("edit", "delete", "history")


def _demo_pages() -> list[str]:
    urls = []
    for model, base in SNIPPETS.items():
        urls += [base, f"{base}add/"]
        for pk in model.objects.values_list("pk", flat=True):
            urls += [f"{base}{page}/{pk}/" for page in OBJECT_PAGES]
    return urls


@pytest.fixture
def demo_checkout():
    demo_checkout_seed()


@pytest.mark.usefixtures("demo_checkout")
@pytest.mark.parametrize("persona", ["manager", "administrator"])
def test_staff_open_every_checkout_admin_page_of_the_demo_data(
    client, request, persona
):
    # given
    client.force_login(request.getfixturevalue(persona))
    urls = _demo_pages()

    # when
    statuses = {url: client.get(url).status_code for url in urls}

    # then 4 methods, 7 rates and 1 class, with 3 pages each, plus 3 lists and 3 forms
    assert len(urls) == 12 * 3 + 6
    assert statuses == dict.fromkeys(urls, 200)


@pytest.mark.usefixtures("demo_checkout")
def test_the_lists_show_their_columns(client, manager):
    client.force_login(manager)

    methods = client.get(SNIPPETS[ShippingMethod]).content.decode()
    rates = client.get(SNIPPETS[TaxRate]).content.decode()

    for text in ("Standard", "4.90", "50.00", "Worldwide", "All countries"):
        assert text in methods
    assert "DE, FR, NL" in methods
    for text in ("Germany", "Standard rate", "Reduced", "19.00%", "5.50%"):
        assert text in rates


@pytest.mark.usefixtures("demo_checkout")
def test_the_checkout_menu_is_shown_to_managers(client, manager):
    client.force_login(manager)

    page = client.get("/admin/").content.decode()

    for label in ("Checkout", "Shipping methods", "Tax rates", "Tax classes"):
        assert label in page


@pytest.mark.usefixtures("demo_checkout")
def test_a_customer_cannot_open_the_checkout_admin(client, customer):
    client.force_login(customer)

    for url in _demo_pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "permission",
    [
        f"commerce.{action}_{model}"
        for model in ("shippingmethod", "taxclass", "taxrate")
        for action in ("add", "change", "delete", "view")
    ],
)
def test_managers_and_administrators_manage_shipping_and_taxes(
    manager, administrator, customer, permission
):
    assert manager.has_perm(permission)
    assert administrator.has_perm(permission)
    assert not customer.has_perm(permission)


def test_a_manager_adds_a_shipping_method_and_the_audit_log_records_it(client, manager):
    # given
    client.force_login(manager)

    # when
    response = client.post(
        f"{SNIPPETS[ShippingMethod]}add/",
        {
            "name": "Courier",
            "description": "Same day",
            "price": "9.90",
            "free_above": "",
            "countries": ["DE", "AT"],
            "min_weight_grams": "",
            "max_weight_grams": "20000",
            "min_items": "",
            "max_items": "",
            "is_active": "on",
            "sort_order": "5",
        },
    )

    # then
    assert response.status_code == 302
    method = ShippingMethod.objects.get()
    assert (method.name, method.price, method.max_weight_grams) == (
        "Courier",
        Decimal("9.90"),
        20000,
    )
    assert [str(country) for country in method.countries] == ["AT", "DE"]
    entry = ModelLogEntry.objects.get(object_id=str(method.pk))
    assert (entry.action, entry.user_id) == ("wagtail.create", manager.pk)


def test_a_shipping_method_whose_maximum_is_below_its_minimum_is_refused(
    client, manager
):
    client.force_login(manager)

    response = client.post(
        f"{SNIPPETS[ShippingMethod]}add/",
        {
            "name": "Backwards",
            "price": "1.00",
            "min_items": "5",
            "max_items": "2",
            "sort_order": "0",
        },
    )

    assert response.status_code == 200
    assert "The maximum must not be below the minimum." in response.content.decode()
    assert not ShippingMethod.objects.exists()


@pytest.mark.usefixtures("demo_checkout")
def test_a_second_standard_rate_for_a_country_is_refused(client, manager):
    client.force_login(manager)

    response = client.post(
        f"{SNIPPETS[TaxRate]}add/", {"country": "DE", "tax_class": "", "rate": "16"}
    )

    assert response.status_code == 200
    assert "This country already has a standard rate." in response.content.decode()
    assert TaxRate.objects.filter(country="DE", tax_class=None).count() == 1
    assert TaxRate.objects.get(country="DE", tax_class=None).rate == Decimal("19.00")


@pytest.mark.usefixtures("demo_checkout")
def test_a_manager_edits_and_deletes_a_tax_rate_with_log_entries(client, manager):
    # given
    client.force_login(manager)
    rate = TaxRate.objects.get(country="GB")

    # when
    edited = client.post(
        f"{SNIPPETS[TaxRate]}edit/{rate.pk}/",
        {"country": "GB", "tax_class": "", "rate": "17.50"},
    )
    deleted = client.post(f"{SNIPPETS[TaxRate]}delete/{rate.pk}/")

    # then
    assert (edited.status_code, deleted.status_code) == (302, 302)
    assert not TaxRate.objects.filter(country="GB").exists()
    assert list(
        ModelLogEntry.objects.filter(object_id=str(rate.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    ) == ["wagtail.edit", "wagtail.delete"]
