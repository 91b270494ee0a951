"""Customizations in the Wagtail admin: listed, edited and previewed by managers only."""

import pytest
from django.urls import reverse

from tests.commerce.factories import UserFactory
from tests.customization.builders import customization_make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"), [("manager", 200), ("administrator", 200), ("customer", 302)]
)
def test_customization_snippets_in_the_admin(client, role, expected):
    customization = customization_make("color", name="Ribbon")
    client.force_login(UserFactory(role=role))

    listing = client.get(reverse("wagtailsnippets_customization_customization:list"))
    edit = client.get(
        reverse(
            "wagtailsnippets_customization_customization:edit", args=[customization.pk]
        )
    )

    assert listing.status_code == expected
    assert edit.status_code == expected
    if expected == 200:
        assert "Ribbon" in listing.content.decode()


def test_customization_preview_renders_its_options():
    customization = customization_make("color", name="Ribbon")

    response = customization.make_preview_request()

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ribbon" in html
    assert "#ff0000" in html
    assert "+1.25" in html
