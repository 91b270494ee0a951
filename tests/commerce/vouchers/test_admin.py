"""Vouchers in the Checkout menu: every demo voucher's pages, the form, the log."""

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from commerce.management.demo_vouchers import demo_vouchers_seed
from commerce.vouchers.admin import VoucherViewSet
from commerce.vouchers.models import Voucher
from tests.commerce.catalogue_factories import category_make, product_make

pytestmark = pytest.mark.django_db

BASE = "/admin/snippets/commerce/voucher/"
OBJECT_PAGES = ("edit", "delete", "history", "usage")


@pytest.fixture
def demo_vouchers():
    category_make("Flowers")
    return demo_vouchers_seed()


@pytest.mark.parametrize("persona", ["manager", "administrator"])
def test_staff_open_every_voucher_admin_page_of_the_demo_data(
    client, request, demo_vouchers, persona
):
    # given
    client.force_login(request.getfixturevalue(persona))
    urls = [BASE, f"{BASE}add/", f"{BASE}?kind=fixed", f"{BASE}?q=flowers"]
    for pk in Voucher.objects.values_list("pk", flat=True):
        urls += [f"{BASE}{page}/{pk}/" for page in OBJECT_PAGES]

    # when
    statuses = {url: client.get(url).status_code for url in urls}

    # then: 7 vouchers of every kind and state
    assert demo_vouchers == {"vouchers": 7}
    assert statuses == dict.fromkeys(urls, 200)


def test_the_list_shows_each_voucher_s_discount_and_uses(
    client, manager, demo_vouchers
):
    client.force_login(manager)

    page = client.get(BASE).content.decode()

    for text in ("WELCOME10", "10 %", "Free shipping", "3 / 3", "0 / 500", "0 / ∞"):
        assert text in page


def test_the_demo_vouchers_are_seeded_once_and_keep_staff_edits(demo_vouchers):
    Voucher.objects.filter(code="SAVE5").update(value=Decimal("6.00"))

    again = demo_vouchers_seed()

    assert again == {"vouchers": 0}
    assert Voucher.objects.get(code="SAVE5").value == Decimal("6.00")
    assert [
        c.title for c in Voucher.objects.get(code="FLOWERS15").categories.all()
    ] == ["Flowers"]


def test_a_manager_adds_a_restricted_voucher_and_the_audit_log_records_it(
    client, manager
):
    # given
    category = category_make("Vases")
    product = product_make(category_make("Lamps"))
    client.force_login(manager)

    # when: typed in lower case, stored upper-case
    response = client.post(
        f"{BASE}add/",
        {
            "code": " vases20 ",
            "is_active": "on",
            "description": "",
            "kind": "percentage",
            "value": "20",
            "min_order_value": "",
            "starts_at": "",
            "ends_at": "",
            "usage_limit": "100",
            "usage_limit_per_customer": "",
            "products": [product.pk],
            "categories": [category.pk],
        },
    )

    # then
    assert response.status_code == 302, response.content.decode()[:3000]
    voucher = Voucher.objects.get()
    assert (voucher.code, voucher.value, voucher.usage_limit, voucher.uses) == (
        "VASES20",
        Decimal("20.00"),
        100,
        0,
    )
    assert list(voucher.products.all()) == [product]
    assert list(voucher.categories.all()) == [category]
    entry = ModelLogEntry.objects.get(object_id=str(voucher.pk))
    assert (entry.action, entry.user_id) == ("wagtail.create", manager.pk)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "welcome10"}, "Another voucher has this code."),
        ({"value": "120"}, "Give a percentage above 0 and at most 100."),
        ({"kind": "fixed", "value": "0"}, "Give the amount off."),
        (
            {"starts_at": "2030-06-02 00:00", "ends_at": "2030-06-01 00:00"},
            "The end must be after the start.",
        ),
        ({"code": "TWO WORDS"}, "Letters, digits, hyphens and underscores only."),
    ],
    ids=[
        "duplicate_code_any_case",
        "percentage_above_100",
        "fixed_zero",
        "ends_before_start",
        "code_with_space",
    ],
)
def test_the_form_refuses_invalid_vouchers(client, manager, fields, message):
    # given
    Voucher.objects.create(code="WELCOME10", value=10)
    client.force_login(manager)
    data = {
        "code": "NEW",
        "is_active": "on",
        "kind": "percentage",
        "value": "10",
        **fields,
    }

    # when
    response = client.post(f"{BASE}add/", data)

    # then
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Voucher.objects.count() == 1


def test_the_limit_cannot_go_below_the_uses_so_far(client, manager):
    voucher = Voucher.objects.create(code="USED", value=10, usage_limit=5)
    Voucher.objects.filter(pk=voucher.pk).update(uses=4)
    client.force_login(manager)

    response = client.post(
        f"{BASE}edit/{voucher.pk}/",
        {
            "code": "USED",
            "is_active": "on",
            "kind": "percentage",
            "value": "10",
            "usage_limit": "3",
        },
    )

    assert response.status_code == 200
    assert "The limit cannot be below the uses so far." in response.content.decode()
    assert Voucher.objects.get().usage_limit == 5


@pytest.mark.parametrize(
    "permission",
    [
        *(
            f"commerce.{action}_voucher"
            for action in ("add", "change", "delete", "view")
        ),
        "commerce.view_voucherusage",
    ],
)
def test_managers_and_administrators_manage_vouchers(
    manager, administrator, customer, permission
):
    assert manager.has_perm(permission)
    assert administrator.has_perm(permission)
    assert not customer.has_perm(permission)


def test_an_edit_keeps_the_uses_counted_since_the_form_was_loaded(manager):
    # given: the form holds the voucher as read, then an order uses it
    voucher = Voucher.objects.create(code="LIVE", value=10, usage_limit=5)
    form_class = VoucherViewSet.edit_handler.bind_to_model(Voucher).get_form_class()
    form = form_class(
        {
            "code": "LIVE",
            "is_active": "on",
            "kind": "percentage",
            "value": "15",
            "usage_limit": "5",
        },
        instance=voucher,
        for_user=manager,
    )
    assert form.is_valid(), form.errors
    Voucher.objects.filter(pk=voucher.pk).update(uses=2)

    # when
    form.save()

    # then
    saved = Voucher.objects.get()
    assert (saved.value, saved.uses) == (Decimal("15.00"), 2)
