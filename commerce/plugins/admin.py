"""Admin for plugins: administrators switch them on or off and edit their settings."""

from typing import Any

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from commerce.plugins.manager import plugin_classes
from commerce.plugins.models import PluginConfiguration


class PluginConfigurationForm(WagtailAdminModelForm):
    identifier = forms.ChoiceField(choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["identifier"].choices = [
            (identifier, plugin.name or identifier)
            for identifier, plugin in plugin_classes().items()
        ]


class PluginConfigurationViewSet(ModelViewSet):
    model = PluginConfiguration
    icon = "cogs"
    menu_label = "Plugins"
    add_to_admin_menu = True
    menu_order = 910
    list_display = ["identifier", "active", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("identifier"),
            FieldPanel("active"),
            FieldPanel("configuration"),
        ],
        base_form_class=PluginConfigurationForm,
    )
