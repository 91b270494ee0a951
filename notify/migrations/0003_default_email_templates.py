from django.db import migrations


def templates_create(apps, schema_editor):
    from notify.enums import EmailEvent
    from notify.rendering import default_content

    EmailTemplate = apps.get_model("notify", "EmailTemplate")
    for event in EmailEvent.values:
        EmailTemplate.objects.get_or_create(
            event=event, language="en", defaults={"content": default_content(event)}
        )


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_notifications")]

    operations = [migrations.RunPython(templates_create, migrations.RunPython.noop)]
