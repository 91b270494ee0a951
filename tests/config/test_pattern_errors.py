"""Errors for patterns say the expected format, with an example."""

import pytest

from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.fixtures import ADDRESS, client_for

pytestmark = pytest.mark.django_db


def test_a_bad_country_says_the_format(customer):
    product = product_make(category_make())

    response = client_for(customer).post(
        "/api/orders",
        {
            "lines": [{"product": product.pk}],
            "shipping_address": {**ADDRESS, "country": "Germany"},
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["shipping_address"]["country"] == [
        "Enter a two-letter ISO 3166-1 country code in capitals, for example DE."
    ]


PHONE_MESSAGE = (
    "Enter a phone number of digits, spaces, brackets and dashes, + first if needed, "
    "for example +49 30 1234567."
)


def test_a_bad_contact_phone_says_the_format(customer):
    product = product_make(category_make())

    response = client_for(customer).post(
        "/api/orders",
        {
            "lines": [{"product": product.pk}],
            "shipping_address": ADDRESS,
            "contact_phone": "call me",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["contact_phone"] == [PHONE_MESSAGE]


def test_a_bad_profile_phone_says_the_format(customer):
    response = client_for(customer).patch(
        "/api/users/profile", {"phone": "0800-CALL-NOW"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["phone"] == [PHONE_MESSAGE]
    assert response.json()["detail"] == PHONE_MESSAGE


def test_a_bad_log_object_type_says_the_format(administrator):
    response = client_for(administrator).get(
        "/api/admin/logs", {"object_type": "Order"}
    )

    assert response.status_code == 400
    assert response.json()["errors"]["object_type"] == [
        "Enter app_label.model in lower case, for example commerce.order."
    ]


def test_a_bad_device_token_says_the_format(customer):
    response = client_for(customer).post(
        "/api/notifications/devices", {"token": "short"}, format="json"
    )

    assert response.status_code == 400
    message = response.json()["errors"]["token"][0]
    assert message.startswith("Enter a Firebase Cloud Messaging registration token")
    assert "for example dQw4w9WgXcQ:APA91bH-example_token." in message
