"""Admin for shipping methods: a snippet in the Checkout menu (logged like any snippet)."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet

from commerce.admin_menu import CHECKOUT_MENU_HOOK
from commerce.shipping.models import ShippingMethod


def shipping_method_countries_display(method: ShippingMethod) -> str:
    return ", ".join(str(country) for country in method.countries) or "All countries"


class ShippingMethodViewSet(SnippetViewSet):
    model = ShippingMethod
    icon = "globe"
    menu_label = "Shipping methods"
    menu_name = "shipping-methods"
    menu_hook = CHECKOUT_MENU_HOOK
    menu_order = 10
    list_display = [
        "name",
        "price",
        "free_above",
        Column(
            "countries", label="Countries", accessor=shipping_method_countries_display
        ),
        BooleanColumn("is_active", label="Active"),
        "sort_order",
    ]
    list_filter = ["is_active"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("price"), FieldPanel("free_above")]),
        FieldPanel("countries"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("min_weight_grams"), FieldPanel("max_weight_grams")]
                ),
                FieldRowPanel([FieldPanel("min_items"), FieldPanel("max_items")]),
            ],
            heading="Carts it takes",
            help_text=(
                "Leave empty for no limit. Weight limits apply only to carts whose "
                "items all have a weight."
            ),
        ),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("sort_order")]),
    ]
