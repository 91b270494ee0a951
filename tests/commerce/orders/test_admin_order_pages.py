"""Every order renders in the admin: each customization kind as the customer chose it."""

import re
from io import BytesIO

import pytest
from django.core import mail
from PIL import Image
from wagtail.images import get_image_model

from commerce.enums import OrderStatus, UserRole
from commerce.orders.models import Order, OrderLine
from commerce.orders.placement import RequestedLine, order_place
from commerce.payments.services import order_pay
from customization.models import CustomerUpload
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, TEST_CARD, client_for
from tests.customization.builders import attach, customization_make, upload_make
from tests.notify.helpers import outbox_drain

pytestmark = pytest.mark.django_db

ORDERS_URL = "/admin/commerce/order/"


@pytest.fixture
def media(settings, tmp_path):
    """Images on disk and served at MEDIA_URL, as under ``make run``."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def _option(customization, index=0):
    return str(customization.options[index].id)


def _order_with_every_kind(customer):
    product = product_make(category_make(), title="Mug", stock=10)
    kinds = {
        kind: customization_make(kind, name=f"{kind} choice")
        for kind in ("button", "color", "image", "text", "upload")
    }
    for customization in kinds.values():
        product = attach(product, customization)
    upload = upload_make(customer)
    choices = [
        {"customization": kinds["button"].pk, "value": _option(kinds["button"], 1)},
        {"customization": kinds["color"].pk, "value": _option(kinds["color"])},
        {"customization": kinds["image"].pk, "value": _option(kinds["image"])},
        {"customization": kinds["text"].pk, "value": "Happy day"},
        {"customization": kinds["upload"].pk, "value": str(upload.pk)},
    ]
    order = order_place(
        customer=customer,
        lines=[RequestedLine("product", product.pk, 1, choices)],
        contact={},
        shipping_address=ADDRESS,
        gift={},
    )
    return order, kinds, upload


@pytest.fixture
def staff_client(client, manager):
    client.force_login(manager)
    return client


def test_the_inspect_page_shows_every_kind_as_chosen(staff_client, customer, media):
    # given
    order, kinds, upload = _order_with_every_kind(customer)

    # when
    response = staff_client.get(f"{ORDERS_URL}inspect/{order.pk}/")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "Large (L)" in page  # button: label and value
    assert 'data-swatch="#ff0000"' in page  # colour with its swatch
    assert "Red" in page
    assert "Happy day" in page  # text
    image_src = re.search(r'<img src="([^"]+)" alt="Hearts" data-choice-image', page)
    assert image_src, "the image choice shows its thumbnail"
    assert staff_client.get(image_src.group(1)).status_code == 200
    upload_url = f"{ORDERS_URL}upload/{upload.pk}/"
    assert f'src="{upload_url}?size=thumbnail"' in page
    assert "(+4.50)" in page  # the button's price delta


def test_the_upload_thumbnail_is_a_small_jpeg_for_staff_only(client, manager, customer):
    # given: a 90×60 photo
    buffer = BytesIO()
    Image.new("RGB", (90, 60), (0, 120, 0)).save(buffer, "PNG")
    upload = upload_make(customer, data=buffer.getvalue())
    url = f"{ORDERS_URL}upload/{upload.pk}/"

    # when: staff ask for the thumbnail
    client.force_login(manager)
    thumbnail = client.get(url, {"size": "thumbnail"})
    full = client.get(url)

    # then
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert Image.open(BytesIO(thumbnail.content)).size == (90, 60)
    assert full.status_code == 200
    assert full["Content-Type"] == "image/png"
    # and the customer (or anyone without the permission) gets nothing
    client.force_login(customer)
    assert client.get(url, {"size": "thumbnail"}).status_code in (302, 403)
    client.logout()
    assert client.get(url).status_code == 302


def test_an_upload_whose_file_is_gone_answers_404_not_500(staff_client, customer):
    upload = upload_make(customer)
    upload.file.storage.delete(upload.file.name)

    response = staff_client.get(f"{ORDERS_URL}upload/{upload.pk}/?size=thumbnail")

    assert response.status_code == 404


def test_the_order_list_shows_the_choices_compactly(staff_client, customer, media):
    order, _, upload = _order_with_every_kind(customer)

    response = staff_client.get(ORDERS_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert order.number in page
    assert 'data-swatch="#ff0000"' in page
    assert "data-choice-image" in page
    assert f"{ORDERS_URL}upload/{upload.pk}/?size=thumbnail" in page


def test_an_order_renders_after_its_customizations_image_and_upload_are_deleted(
    staff_client, customer, media
):
    # given
    order, kinds, upload = _order_with_every_kind(customer)
    image_ids = [block.value["image"].pk for block in kinds["image"].options]
    for customization in kinds.values():
        customization.delete()
    get_image_model().objects.filter(pk__in=image_ids).delete()
    CustomerUpload.objects.filter(pk=upload.pk).delete()

    # when
    response = staff_client.get(f"{ORDERS_URL}inspect/{order.pk}/")
    listing = staff_client.get(ORDERS_URL)

    # then: the snapshot still says what was chosen
    assert response.status_code == 200
    assert listing.status_code == 200
    page = response.content.decode()
    assert "Hearts" in page
    assert "(image no longer in the library)" in page
    assert "(photo removed)" in page
    assert 'data-swatch="#ff0000"' in page


@pytest.mark.parametrize(
    "snapshot",
    [
        [{"kind": "image", "label": "Pattern", "option_label": "Dots"}],
        [{"kind": "image", "image_id": "not-a-number"}],
        [{"kind": "upload", "upload_id": "../../etc/passwd"}],
        [{"kind": "color", "value": "red;background:url(x)"}],
        [{"kind": "future-kind", "value": {"nested": [1, 2]}}],
        ["just text", 42, None],
        [{"kind": "image", "image_id": "\u00b2"}],
        [{"kind": "image", "image_id": "9" * 5000}],
        [{"kind": "image", "image_id": 10**30}],
        [{"kind": "image", "image_id": -1}],
        [{"kind": "image", "image_id": True}],
        {"kind": "image", "image_id": 1},
        "a string",
        [],
    ],
)
def test_any_snapshot_renders_without_a_500(staff_client, customer, snapshot):
    order = Order.objects.create(
        number="FNT-ODD",
        customer=customer,
        contact_email=customer.email,
        subtotal="1.00",
        total="1.00",
    )
    OrderLine.objects.create(
        order=order,
        name="Odd",
        sku="ODD",
        unit_price="1.00",
        price_delta="0.00",
        quantity=1,
        line_total="1.00",
        customizations=snapshot,
    )

    inspect = staff_client.get(f"{ORDERS_URL}inspect/{order.pk}/")
    listing = staff_client.get(ORDERS_URL)
    own = client_for(customer).get(f"/api/orders/{order.pk}")

    assert inspect.status_code == 200
    assert listing.status_code == 200
    assert own.status_code == 200
    assert "url(x)" not in inspect.content.decode().split("data-swatch")[-1][:40]


@pytest.mark.parametrize("action", ["inspect", "history", "edit", "delete"])
@pytest.mark.parametrize("pk", ["abc", "\u00b2", "9" * 40, "-1"])
def test_an_order_url_with_an_impossible_id_is_a_404(staff_client, action, pk):
    assert staff_client.get(f"{ORDERS_URL}{action}/{pk}/").status_code == 404


def test_a_transition_of_an_impossible_order_id_is_a_404(staff_client):
    response = staff_client.post(
        f"{ORDERS_URL}transition/abc/", {"status": "processing"}
    )

    assert response.status_code == 404


def _under_review_order(customer):
    product = product_make(category_make(), stock=5)
    photo = customization_make("upload", needs_approval=True)
    product = attach(product, photo)
    upload = upload_make(customer)
    return order_place(
        customer=customer,
        lines=[
            RequestedLine(
                "product",
                product.pk,
                1,
                [{"customization": photo.pk, "value": str(upload.pk)}],
            )
        ],
        contact={},
        shipping_address=ADDRESS,
        gift={},
    )


def _paid(order, gateway="dummy_card"):
    data = {"card_number": TEST_CARD} if gateway == "dummy_card" else {}
    order_pay(order_id=order.pk, actor=order.customer, gateway_id=gateway, data=data)
    return order


UNPAID_NOTE = (
    "The order is unpaid: it can be processed once paid or authorized for payment "
    "on delivery."
)


def test_under_review_orders_offer_approve_and_reject(staff_client, customer):
    order = _paid(_under_review_order(customer))
    assert order.status == OrderStatus.UNDER_REVIEW

    page = staff_client.get(f"{ORDERS_URL}inspect/{order.pk}/").content.decode()

    assert re.search(r'data-transition="processing">\s*Approve\s*<', page)
    assert re.search(r'data-transition="cancelled">\s*Reject\s*<', page)
    assert '<textarea id="id_reject_reason" name="note"' in page
    assert ">Processing<" not in page
    assert "data-payment-wait" not in page


def test_an_unpaid_order_under_review_offers_only_reject_and_says_why(
    staff_client, customer
):
    order = _under_review_order(customer)

    page = staff_client.get(f"{ORDERS_URL}inspect/{order.pk}/").content.decode()

    assert 'data-transition="processing"' not in page
    assert re.search(r'data-transition="cancelled">\s*Reject\s*<', page)
    assert re.search(rf"data-payment-wait>{re.escape(UNPAID_NOTE)}<", page)


@pytest.mark.parametrize("gateway", ["dummy_card", "cash_on_delivery"])
def test_approve_moves_the_order_on(staff_client, customer, gateway):
    order = _paid(_under_review_order(customer), gateway)

    response = staff_client.post(
        f"{ORDERS_URL}transition/{order.pk}/", {"status": "processing"}
    )

    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PROCESSING


def test_approving_an_unpaid_order_is_refused_with_the_reason(staff_client, customer):
    order = _under_review_order(customer)

    response = staff_client.post(
        f"{ORDERS_URL}transition/{order.pk}/", {"status": "processing"}, follow=True
    )

    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNDER_REVIEW
    assert f"Order {order.number} was not changed: {UNPAID_NOTE}" in (
        response.content.decode()
    )


def test_reject_needs_a_reason(staff_client, customer):
    order = _under_review_order(customer)

    response = staff_client.post(
        f"{ORDERS_URL}transition/{order.pk}/",
        {"status": "cancelled", "note": "   "},
        follow=True,
    )

    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNDER_REVIEW
    assert "give the customer a reason" in response.content.decode()


def test_the_rejection_reason_reaches_the_customer(staff_client, customer):
    # given
    order = _under_review_order(customer)
    outbox_drain()
    mail.outbox.clear()

    # when
    staff_client.post(
        f"{ORDERS_URL}transition/{order.pk}/",
        {"status": "cancelled", "note": "The photo is too blurry to print."},
    )
    outbox_drain()

    # then
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    to_customer = [m for m in mail.outbox if m.to == [customer.email]]
    assert len(to_customer) == 1
    assert "The photo is too blurry to print." in to_customer[0].body


def test_pending_orders_keep_their_status_buttons(staff_client):
    customer = UserFactory(role=UserRole.CUSTOMER)
    product = product_make(category_make(), stock=5)
    order = order_place(
        customer=customer,
        lines=[RequestedLine("product", product.pk, 1, [])],
        contact={},
        shipping_address=ADDRESS,
        gift={},
    )

    unpaid = staff_client.get(f"{ORDERS_URL}inspect/{order.pk}/").content.decode()
    _paid(order, "cash_on_delivery")
    page = staff_client.get(f"{ORDERS_URL}inspect/{order.pk}/").content.decode()

    assert re.search(r'data-transition="processing">\s*Start processing\s*<', page)
    assert re.search(r'data-transition="cancelled">\s*Cancel order\s*<', page)
    assert "Approve" not in page
    assert 'data-transition="processing"' not in unpaid
    assert re.search(r'data-transition="cancelled">\s*Cancel order\s*<', unpaid)
    assert "data-payment-wait" in unpaid
