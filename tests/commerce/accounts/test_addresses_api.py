"""Saved addresses: /api/users/addresses, validated per country, the caller's own."""

import threading

import pytest
from django.db import connection

from commerce.accounts.models import Address
from commerce.accounts.services.addresses import address_update
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db

URL = "/api/users/addresses"
PARIS = {
    "name": "Ada Lovelace",
    "street_address_1": "1 rue de Rivoli",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
    "phone": "01 23 45 67 89",
}
CALIFORNIA = {
    "name": "Grace Hopper",
    "company": "Navy",
    "street_address_1": "1600 Amphitheatre Pkwy",
    "city": "Mountain View",
    "postal_code": "94043",
    "region": "California",
    "country": "US",
    "phone": "+1 650 253 0000",
}


@pytest.fixture
def ada():
    return UserFactory(email="ada@example.com")


def test_the_first_address_is_both_defaults_and_answers_normalized(ada):
    response = client_for(ada).post(URL, PARIS, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["country"] == "FR"
    assert body["phone"] == "+33123456789"
    assert (body["is_default_shipping"], body["is_default_billing"]) == (True, True)
    assert Address.objects.get().user == ada


def test_the_region_and_postal_code_follow_the_country(ada):
    response = client_for(ada).post(URL, CALIFORNIA, format="json")
    london = client_for(ada).post(
        URL,
        {
            "name": "Ada",
            "street_address_1": "10 Downing St",
            "city": "London",
            "postal_code": "sw1a 2aa",
            "country": "GB",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["region"] == "CA"
    assert london.status_code == 201, london.content
    assert london.json()["postal_code"] == "SW1A 2AA"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postal_code": "9404"}, "postal_code"),
        ({"region": ""}, "region"),
        ({"region": "Atlantis"}, "region"),
        ({"country": "XX"}, "country"),
        ({"phone": "12"}, "phone"),
        ({"street_address_1": ""}, "street_address_1"),
        ({"city": "x" * 300}, "city"),
    ],
    ids=[
        "zip_case",
        "no_state_case",
        "unknown_state_case",
        "country_case",
        "phone_case",
        "street_case",
        "long_city_case",
    ],
)
def test_bad_addresses_answer_400_with_the_field_and_save_nothing(ada, change, field):
    response = client_for(ada).post(URL, {**CALIFORNIA, **change}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Address.objects.exists()


def test_a_bad_phone_says_the_format_it_wants(ada):
    response = client_for(ada).post(URL, {**PARIS, "phone": "123"}, format="json")

    assert response.status_code == 400
    [message] = response.json()["errors"]["phone"]
    assert message.startswith("Enter a valid phone number for FR, e.g. +33 ")


def test_a_new_default_takes_over_from_the_old_one(ada):
    client = client_for(ada)
    first = client.post(URL, PARIS, format="json").json()
    second = client.post(
        URL, {**CALIFORNIA, "is_default_shipping": True}, format="json"
    ).json()

    listed = {a["id"]: a for a in client.get(URL).json()["results"]}

    assert listed[first["id"]]["is_default_shipping"] is False
    assert listed[first["id"]]["is_default_billing"] is True
    assert listed[second["id"]]["is_default_shipping"] is True
    assert listed[second["id"]]["is_default_billing"] is False


def test_update_validates_the_whole_address_again_and_delete_removes_it(ada):
    client = client_for(ada)
    created = client.post(URL, CALIFORNIA, format="json").json()

    moved = client.patch(
        f"{URL}/{created['id']}", {"country": "GB", "region": ""}, format="json"
    )
    fixed = client.patch(
        f"{URL}/{created['id']}",
        {"country": "GB", "region": "", "postal_code": "SW1A 2AA"},
        format="json",
    )
    deleted = client.delete(f"{URL}/{created['id']}")

    assert moved.status_code == 400  # a US ZIP is no British postcode
    assert list(moved.json()["errors"]) == ["postal_code"]
    assert fixed.status_code == 200, fixed.content
    assert (fixed.json()["country"], fixed.json()["company"]) == ("GB", "Navy")
    assert deleted.status_code == 204
    assert not Address.objects.exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_someone_elses_address_is_not_found(ada, method):
    address_id = client_for(ada).post(URL, PARIS, format="json").json()["id"]
    other = client_for(UserFactory())

    response = getattr(other, method)(f"{URL}/{address_id}", {}, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Address.objects.get().city == "Paris"


def test_anonymous_callers_get_401_and_lists_are_paginated(ada):
    client = client_for(ada)
    for number in range(3):
        client.post(URL, {**PARIS, "name": f"Ada {number}"}, format="json")

    anonymous = client_for(None).get(URL)
    page = client.get(URL, {"page_size": 2}).json()

    assert anonymous.status_code == 401
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert client.get(URL, {"sort": "name"}).status_code == 400


@pytest.mark.usefixtures("committed_db")
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and concurrent writers need PostgreSQL",
)
def test_concurrent_default_changes_leave_one_default():
    user = UserFactory()
    client = client_for(user)
    ids = [
        client.post(URL, {**PARIS, "name": f"A{n}"}, format="json").json()["id"]
        for n in range(6)
    ]
    addresses = list(Address.objects.filter(pk__in=ids))
    errors = []

    def make_default(address):
        try:
            address_update(address=address, data={"is_default_shipping": True})
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=make_default, args=(a,)) for a in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Address.objects.filter(user=user, is_default_shipping=True).count() == 1
