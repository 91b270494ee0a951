"""The richer order emails reach existing installs only where no one edited them."""

import importlib

import pytest
from django.apps import apps

from notify.models import EmailTemplate
from notify.rendering import default_content, email_render, sample_context
from notify.services import template_content_validate

pytestmark = pytest.mark.django_db

migration = importlib.import_module("notify.migrations.0005_order_email_templates")
EDITED = {"subject": "Thanks! {{ order.number }}", "text": "ok", "html": "", "push": ""}


def _content(event: str, language: str = "en") -> dict:
    return EmailTemplate.objects.get(event=event, language=language).content


def test_a_new_install_has_the_order_templates():
    assert _content("order_placed") == default_content("order_placed")
    assert _content("order_shipped") == default_content("order_shipped")


def test_the_migration_upgrades_the_unedited_confirmation_only():
    # given: an install from before, with one edited translation
    EmailTemplate.objects.filter(event="order_placed").update(
        content=migration.OLD_ORDER_PLACED
    )
    EmailTemplate.objects.create(event="order_placed", language="de", content=EDITED)
    EmailTemplate.objects.filter(event="order_shipped").delete()

    # when
    migration.templates_update(apps, None)

    # then
    assert _content("order_placed") == default_content("order_placed")
    assert _content("order_placed", "de") == EDITED
    assert _content("order_shipped") == default_content("order_shipped")

    # and back
    migration.templates_restore(apps, None)
    assert _content("order_placed") == migration.OLD_ORDER_PLACED
    assert _content("order_placed", "de") == EDITED
    assert not EmailTemplate.objects.filter(event="order_shipped").exists()


def test_an_edited_confirmation_is_left_as_it_is():
    EmailTemplate.objects.filter(event="order_placed").update(content=EDITED)

    migration.templates_update(apps, None)

    assert _content("order_placed") == EDITED


@pytest.mark.parametrize("event", ["order_placed", "order_shipped"])
def test_the_defaults_pass_the_editor_checks_and_preview(event):
    content = default_content(event)

    assert template_content_validate(content, event=event) == content
    rendered = email_render(content=content, context=sample_context(event))
    assert "Engraved mug" in rendered["text"]
    assert "See your order: https://shop.example.com/orders/" in rendered["text"]
    assert "Tax (included): 6.79 EUR" in rendered["text"]
