"""Tokens for existing carts and orders, line amounts, and orders' address shape."""

import uuid

from django.db import migrations
from django.db.models import F

# Orders kept line1/line2 before addresses took the saved-address field names.
LEGACY_ADDRESS_KEYS = {"line1": "street_address_1", "line2": "street_address_2"}


def forwards(apps, schema_editor):
    Cart = apps.get_model("commerce", "Cart")
    Order = apps.get_model("commerce", "Order")
    OrderLine = apps.get_model("commerce", "OrderLine")
    for model in (Cart, Order):
        for pk in model.objects.filter(token__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(token=uuid.uuid4())
    OrderLine.objects.update(net=F("line_total"), gross=F("line_total"))
    for order in Order.objects.only("pk", "shipping_address").iterator():
        address = order.shipping_address or {}
        if not any(key in address for key in LEGACY_ADDRESS_KEYS):
            continue
        renamed = {LEGACY_ADDRESS_KEYS.get(k, k): v for k, v in address.items()}
        Order.objects.filter(pk=order.pk).update(shipping_address=renamed)


class Migration(migrations.Migration):
    dependencies = [("commerce", "0016_checkout")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
