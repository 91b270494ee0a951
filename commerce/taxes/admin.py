"""Admin for tax classes and rates: snippets in the Checkout menu."""

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from commerce.admin_menu import CHECKOUT_MENU_HOOK
from commerce.taxes.models import TaxClass, TaxRate


def tax_rate_class_display(rate: TaxRate) -> str:
    return rate.tax_class.name if rate.tax_class else "Standard rate"


def tax_rate_percent_display(rate: TaxRate) -> str:
    return f"{rate.rate}%"


class TaxRateViewSet(SnippetViewSet):
    model = TaxRate
    icon = "decimal"
    menu_label = "Tax rates"
    menu_name = "tax-rates"
    menu_hook = CHECKOUT_MENU_HOOK
    menu_order = 20
    list_display = [
        "country",
        Column("tax_class", label="Tax class", accessor=tax_rate_class_display),
        Column("rate", label="Rate", accessor=tax_rate_percent_display),
    ]
    list_filter = ["country", "tax_class"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TaxRate]:
        return TaxRate.objects.select_related("tax_class")


class TaxClassViewSet(SnippetViewSet):
    model = TaxClass
    icon = "list-ul"
    menu_label = "Tax classes"
    menu_name = "tax-classes"
    menu_hook = CHECKOUT_MENU_HOOK
    menu_order = 30
    list_display = ["name"]
