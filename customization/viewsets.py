from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.views.snippets import SnippetViewSet

from customization.models import Customization


class CustomizationFilterSet(WagtailFilterSet):
    class Meta:
        model = Customization
        fields = ["kind", "is_required", "needs_approval", "live"]


class CustomizationViewSet(SnippetViewSet):
    model = Customization
    icon = "cog"
    menu_label = "Customizations"
    menu_name = "customizations"
    # The Shop menu (commerce/admin_menu.py); a string so this app needs no import.
    menu_hook = "register_shop_menu_item"
    menu_order = 110
    list_display = [
        "name",
        "kind",
        "is_required",
        "needs_approval",
        "live",
        "updated_at",
    ]
    filterset_class = CustomizationFilterSet
    search_fields = ["name"]
