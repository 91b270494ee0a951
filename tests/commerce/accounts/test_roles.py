import pytest
from django.contrib.auth.models import Group

from commerce.enums import UserRole
from tests.commerce.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMINISTRATOR_ONLY = (
    "commerce.add_user",
    "commerce.change_user",
    "commerce.delete_user",
    "commerce.view_user",
    "auth.add_group",
    "auth.change_group",
    "auth.delete_group",
    "oauth2_provider.add_application",
)
STAFF = (
    "wagtailadmin.access_admin",
    "wagtailimages.add_image",
    "wagtaildocs.add_document",
)


def test_the_migration_creates_exactly_the_three_roles():
    assert set(Group.objects.values_list("name", flat=True)) == {
        "administrator",
        "manager",
        "customer",
    }


@pytest.mark.parametrize("permission", ADMINISTRATOR_ONLY + STAFF)
def test_administrators_hold_every_permission(permission):
    assert UserFactory(role=UserRole.ADMINISTRATOR).has_perm(permission)


@pytest.mark.parametrize("permission", STAFF)
def test_managers_hold_staff_permissions(permission):
    assert UserFactory(role=UserRole.MANAGER).has_perm(permission)


@pytest.mark.parametrize("permission", ADMINISTRATOR_ONLY)
def test_managers_cannot_manage_users_roles_or_applications(permission):
    assert not UserFactory(role=UserRole.MANAGER).has_perm(permission)


def test_customers_hold_no_model_permissions():
    customer = UserFactory(role=UserRole.CUSTOMER)

    assert customer.get_all_permissions() == set()
    assert Group.objects.get(name="customer").permissions.count() == 0


@pytest.mark.parametrize(
    "url",
    ["/admin/pages/{home}/edit/", "/admin/images/", "/admin/documents/"],
    ids=["page_edit", "images", "documents"],
)
def test_managers_can_work_on_pages_images_and_documents_in_the_admin(client, url):
    from home.models import HomePage

    client.force_login(UserFactory(role=UserRole.MANAGER))

    response = client.get(url.format(home=HomePage.objects.get().pk))

    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/admin/users/", "/admin/groups/"])
def test_managers_cannot_open_users_or_roles_in_the_admin(client, url):
    client.force_login(UserFactory(role=UserRole.MANAGER))

    response = client.get(url)

    assert response.status_code == 302
