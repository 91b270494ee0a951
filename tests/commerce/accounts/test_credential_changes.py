"""Tokens do not outlive a password change or a deactivation made outside the API.

The API's services revoke explicitly; Wagtail's account page and the users admin
save the user through the framework, which must have the same effect.
"""

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.test import Client
from oauth2_provider.models import AccessToken, RefreshToken

from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Good-Passphrase-7"


def test_a_password_change_on_wagtails_account_page_revokes_the_api_sessions():
    # given a manager signed in to the API and to the admin
    manager = UserFactory(role="manager")
    api = client_for(manager)
    assert api.get("/api/users/profile").status_code == 200
    admin = Client()
    admin.force_login(manager)

    # when the password is changed on the account page
    response = admin.post(
        "/admin/account/",
        {
            "name_email-email": manager.email,
            "name_email-first_name": "Mia",
            "name_email-last_name": "Manager",
            "password-old_password": DEFAULT_PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
            "locale-preferred_language": "en",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
        },
    )

    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)
    assert api.get("/api/users/profile").status_code == 401
    assert not AccessToken.objects.filter(user=manager).exists()
    assert not RefreshToken.objects.filter(user=manager, revoked__isnull=True).exists()


def test_a_password_set_through_djangos_form_revokes_every_token():
    customer = UserFactory()
    api = client_for(customer)

    form = SetPasswordForm(
        customer, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert form.is_valid(), form.errors
    form.save()

    assert api.get("/api/users/profile").status_code == 401


def test_a_deactivation_saved_outside_the_services_revokes_every_token():
    customer = UserFactory()
    api = client_for(customer)

    customer.is_active = False
    customer.save()
    customer.is_active = True
    customer.save()

    assert api.get("/api/users/profile").status_code == 401


def test_other_saves_leave_the_tokens_alone():
    customer = UserFactory()
    api = client_for(customer)

    customer.name = "Renamed"
    customer.save()
    customer.save(update_fields=["last_login"])

    assert api.get("/api/users/profile").status_code == 200
