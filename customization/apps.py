from django.apps import AppConfig


class CustomizationConfig(AppConfig):
    name = "customization"
    default_auto_field = "django.db.models.BigAutoField"
