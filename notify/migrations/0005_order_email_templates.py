"""The order emails show the order: lines, choices, totals with tax, addresses, link.

Adds the "Order shipped" template (with the carrier and tracking number) and gives the
order confirmation its richer default, but only where the stored template is still
the old default: a template an administrator has edited is left as it is.
"""

from django.db import migrations, models

# The built-in order confirmation before this migration, as 0003 stored it.
OLD_ORDER_PLACED = {
    "subject": "Order {{ order.number }} received",
    "push": "We received order {{ order.number }} ({{ order.total }}).",
    "text": "Hello {{ user.name or user.email }},\n\nthank you for order "
    "{{ order.number }}. Total: {{ order.total }} {{ order.currency }}.\n",
    "html": "<p>Hello {{ user.name or user.email }},</p><p>thank you for order "
    "<strong>{{ order.number }}</strong>. Total: {{ order.total }} "
    "{{ order.currency }}.</p>",
}


def _replace(EmailTemplate, event, old, new):
    for template in EmailTemplate.objects.filter(event=event):
        if template.content == old:
            template.content = new
            template.save(update_fields=["content"])


def templates_update(apps, schema_editor):
    from notify.rendering import default_content

    EmailTemplate = apps.get_model("notify", "EmailTemplate")
    EmailTemplate.objects.get_or_create(
        event="order_shipped",
        language="en",
        defaults={"content": default_content("order_shipped")},
    )
    _replace(
        EmailTemplate, "order_placed", OLD_ORDER_PLACED, default_content("order_placed")
    )


def templates_restore(apps, schema_editor):
    from notify.rendering import default_content

    EmailTemplate = apps.get_model("notify", "EmailTemplate")
    for template in EmailTemplate.objects.filter(event="order_shipped"):
        if template.content == default_content("order_shipped"):
            template.delete()
    _replace(
        EmailTemplate, "order_placed", default_content("order_placed"), OLD_ORDER_PLACED
    )


class Migration(migrations.Migration):
    dependencies = [("notify", "0004_i14b_account_email_templates")]

    operations = [
        migrations.AlterField(
            model_name="emailtemplate",
            name="event",
            field=models.CharField(
                choices=[
                    ("welcome", "Welcome"),
                    ("order_placed", "Order placed"),
                    ("order_status_changed", "Order status changed"),
                    ("order_shipped", "Order shipped"),
                    ("order_cancelled", "Order cancelled"),
                    ("staff_new_order", "New order (staff alert)"),
                    ("announcement", "Announcement from staff"),
                    ("password_reset", "Password reset link"),
                    (
                        "email_change_confirm",
                        "Email change: confirm new address",
                    ),
                    ("email_changed", "Email change: notice to the old address"),
                    (
                        "account_exists",
                        "Sign-up with an address that has an account",
                    ),
                ],
                max_length=64,
            ),
        ),
        migrations.RunPython(templates_update, templates_restore),
    ]
