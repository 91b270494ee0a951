"""Shop › Brands and Shop › Materials: snippets (logged like any snippet)."""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.snippets import SnippetViewSet

from commerce.admin_menu import SHOP_MENU_HOOK
from commerce.catalogue.models import Brand, Material


class BrandViewSet(SnippetViewSet):
    model = Brand
    icon = "pick"
    menu_label = "Brands"
    menu_name = "brands"
    menu_hook = SHOP_MENU_HOOK
    menu_order = 30
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("logo")]


class MaterialViewSet(SnippetViewSet):
    model = Material
    icon = "list-ul"
    menu_label = "Materials"
    menu_name = "materials"
    menu_hook = SHOP_MENU_HOOK
    menu_order = 40
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    panels = [FieldPanel("name"), FieldPanel("slug")]
