"""The demo_setup command: one login per role, idempotent, refused in production."""

from io import StringIO

import pytest
from django.contrib.auth import password_validation
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from rest_framework.test import APIClient
from wagtail.models import Site

from commerce.accounts.models import User
from commerce.enums import UserRole
from commerce.management.commands.demo_setup import DEMO_ACCOUNTS
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory

pytestmark = pytest.mark.django_db


def _demo_setup(*args: str) -> str:
    out = StringIO()
    call_command("demo_setup", *args, stdout=out)
    return out.getvalue()


def _printed_password(output: str, email: str) -> str:
    line = next(line for line in output.splitlines() if email in line.split())
    return line.split()[2]


def _roles_by_email() -> dict[str, list[str]]:
    return {
        user.email: sorted(group.name for group in user.groups.all())
        for user in User.objects.prefetch_related("groups")
    }


@pytest.fixture
def production_settings():
    # One override for both: a nested override_settings reads SETTINGS_MODULE as None.
    with override_settings(SETTINGS_MODULE="config.settings.production", DEBUG=False):
        yield


def test_demo_setup_creates_one_account_per_role_and_nothing_on_a_second_run():
    # when
    first = _demo_setup()
    users_after_first = sorted(User.objects.values_list("pk", "email", "password"))
    second = _demo_setup()

    # then
    assert _roles_by_email() == {
        "admin@fantasize.local": ["administrator"],
        "manager@fantasize.local": ["manager"],
        "customer@fantasize.local": ["customer"],
    }
    assert User.objects.filter(is_superuser=True).exists() is False
    assert sorted(User.objects.values_list("pk", "email", "password")) == (
        users_after_first
    )
    assert first.count("(created)") == 3
    assert "(exists)" not in first
    assert second.count("(exists)") == 3
    assert "(created)" not in second


@pytest.mark.parametrize(
    "account", DEMO_ACCOUNTS, ids=[account.role.value for account in DEMO_ACCOUNTS]
)
def test_demo_login_printed_by_demo_setup_works_through_the_api(account):
    # given
    output = _demo_setup()
    password = _printed_password(output, account.email)

    # when
    response = APIClient().post(
        "/api/users/login",
        {"email": account.email, "password": password},
        format="json",
    )

    # then
    assert password == account.password
    assert response.status_code == 200
    assert response.json()["access_token"]


@pytest.mark.parametrize(
    "account", DEMO_ACCOUNTS, ids=[account.role.value for account in DEMO_ACCOUNTS]
)
def test_demo_passwords_pass_the_password_validators(account):
    user = User(email=account.email, name=account.name)

    password_validation.validate_password(account.password, user=user)


def test_demo_setup_never_promotes_an_existing_account():
    # given
    existing = UserFactory(email="manager@fantasize.local", role=UserRole.CUSTOMER)
    existing.set_password("Someone-Elses-Secret-31")
    existing.save(update_fields=["password"])

    # when
    output = _demo_setup()

    # then
    existing.refresh_from_db()
    assert existing.check_password("Someone-Elses-Secret-31")
    assert [group.name for group in existing.groups.all()] == ["customer"]
    assert User.objects.filter(email__iexact="manager@fantasize.local").count() == 1
    assert output.count("(created)") == 2
    assert output.count("(exists as customer, left unchanged)") == 1


@pytest.mark.usefixtures("production_settings")
def test_demo_setup_refuses_production_settings_without_debug():
    # when
    with pytest.raises(CommandError, match="--force"):
        _demo_setup()

    # then
    assert User.objects.exists() is False


@pytest.mark.usefixtures("production_settings")
def test_demo_setup_runs_with_production_settings_when_forced():
    # when
    output = _demo_setup("--force")

    # then
    assert output.count("(created)") == 3
    assert User.objects.count() == 3


def test_demo_setup_points_the_local_site_at_the_port_the_server_runs_on():
    # given the Site the migrations create (localhost:80)
    product = product_make(category_make(), title="Rose")

    # when
    with override_settings(WAGTAILADMIN_BASE_URL="http://localhost:9300"):
        output = _demo_setup()

    # then page URLs (API v2 html_url, the admin's "view live") use that port
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 9300)
    assert "Site: http://localhost:9300" in output
    body = APIClient().get(f"/api/v2/pages/{product.pk}/", HTTP_HOST="localhost").json()
    assert body["meta"]["html_url"].startswith("http://localhost:9300/")


def test_demo_setup_leaves_a_configured_site_alone():
    Site.objects.filter(is_default_site=True).update(hostname="shop.example.com")

    with override_settings(WAGTAILADMIN_BASE_URL="http://localhost:9300"):
        _demo_setup()

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("shop.example.com", 80)
