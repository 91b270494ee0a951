import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commerce.accounts.models import User
from commerce.enums import UserRole
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(administrator):
    return client_for(administrator)


def test_list_is_paginated(admin_client):
    UserFactory.create_batch(5)

    response = admin_client.get("/api/users", {"page_size": 2, "page": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    assert len(body["results"]) == 2
    assert body["previous"] is not None
    assert body["next"] is not None


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("administrator", {"admin@example.com", "root@example.com"}),
        ("manager", {"m@example.com"}),
        ("customer", {"c1@example.com", "c2@example.com"}),
    ],
    ids=["administrator_case", "manager_case", "customer_case"],
)
def test_list_filters_by_role(admin_client, role, expected):
    UserFactory(email="m@example.com", role=UserRole.MANAGER)
    UserFactory(email="c1@example.com")
    UserFactory(email="c2@example.com")
    UserFactory(email="root@example.com", is_superuser=True)

    response = admin_client.get("/api/users", {"role": role})

    assert {user["email"] for user in response.json()["results"]} == expected


def test_list_searches_email_and_name(admin_client):
    UserFactory(email="zed@example.com", name="Someone")
    UserFactory(email="other@example.com", name="Zed Zedson")
    UserFactory(email="nobody@example.com", name="Nobody")

    response = admin_client.get("/api/users", {"search": "zed"})

    assert {user["email"] for user in response.json()["results"]} == {
        "zed@example.com",
        "other@example.com",
    }


def test_list_rejects_unknown_role(admin_client):
    response = admin_client.get("/api/users", {"role": "emperor"})

    assert response.status_code == 400
    assert "role" in response.json()["errors"]


def test_list_query_count_does_not_grow_with_page_size(
    admin_client, django_assert_num_queries
):
    UserFactory.create_batch(30)
    with CaptureQueriesContext(connection) as small:
        admin_client.get("/api/users", {"page_size": 3})

    with django_assert_num_queries(len(small.captured_queries)):
        response = admin_client.get("/api/users", {"page_size": 30})

    assert len(response.json()["results"]) == 30


def test_patch_changes_role(admin_client):
    user = UserFactory(email="promote@example.com")

    response = admin_client.patch(
        f"/api/users/{user.pk}", {"role": "manager"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["role"] == "manager"
    assert list(user.groups.values_list("name", flat=True)) == ["manager"]


def test_patch_last_administrator_cannot_be_demoted(admin_client, administrator):
    response = admin_client.patch(
        f"/api/users/{administrator.pk}", {"role": "customer"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "last_administrator"
    assert list(administrator.groups.values_list("name", flat=True)) == [
        "administrator"
    ]


def test_patch_rejects_unknown_role_and_bad_types(admin_client):
    user = UserFactory()

    unknown = admin_client.patch(
        f"/api/users/{user.pk}", {"role": "root"}, format="json"
    )
    bad_type = admin_client.patch(
        f"/api/users/{user.pk}", {"is_active": "maybe"}, format="json"
    )

    assert unknown.status_code == 400
    assert bad_type.status_code == 400
    assert list(user.groups.values_list("name", flat=True)) == ["customer"]


def test_unknown_user_is_404_in_the_error_format(admin_client):
    response = admin_client.get("/api/users/999999")

    assert response.status_code == 404
    assert response.json() == {
        "type": "https://fantasize.dev/errors/not_found",
        "title": "Not found",
        "status": 404,
        "detail": "Not found.",
        "code": "not_found",
    }


def test_deactivating_a_user_blocks_their_login(admin_client, api_client):
    user = UserFactory(email="bye@example.com")

    admin_client.patch(f"/api/users/{user.pk}", {"is_active": False}, format="json")

    assert not User.objects.get(pk=user.pk).is_active
    login = api_client.post(
        "/api/users/login",
        {"email": "bye@example.com", "password": "Correct-Horse-Battery-9"},
        format="json",
    )
    assert login.status_code == 401
