from django.db import migrations


def home_page_create(apps, schema_editor):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    page_model = apps.get_model("wagtailcore", "Page")
    site_model = apps.get_model("wagtailcore", "Site")
    home_page_model = apps.get_model("home", "HomePage")
    locale_model = apps.get_model("wagtailcore", "Locale")

    # Replace the welcome page that Wagtail's own migrations create.
    page_model.objects.filter(depth=2, slug="home").delete()
    content_type, _ = content_type_model.objects.get_or_create(model="homepage", app_label="home")
    home = home_page_model.objects.create(
        title="Fantasize",
        draft_title="Fantasize",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale_model.objects.order_by("pk").first(),
    )
    site_model.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Fantasize"},
    )
    root = page_model.objects.get(depth=1)
    root.numchild = page_model.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(home_page_create, migrations.RunPython.noop)]
