from django.db import migrations, models

from commerce.accounts.roles import roles_sync_migration


class Migration(migrations.Migration):
    """Managers and administrators manage shipping methods, tax classes and rates."""

    dependencies = [
        ("commerce", "0018_checkout_tokens_unique"),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="taxrate",
            name="tax_rate_unique_standard",
            constraint=models.UniqueConstraint(
                condition=models.Q(("tax_class__isnull", True)),
                fields=("country",),
                name="tax_rate_unique_standard",
                violation_error_message="This country already has a standard rate.",
            ),
        ),
        migrations.RunPython(roles_sync_migration, migrations.RunPython.noop),
    ]
