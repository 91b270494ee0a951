from django.db import migrations

from commerce.accounts.roles import roles_sync_migration


class Migration(migrations.Migration):
    dependencies = [("commerce", "0004_catalogue_permission")]

    operations = [migrations.RunPython(roles_sync_migration, migrations.RunPython.noop)]
