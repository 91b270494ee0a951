"""Shop › Products and Shop › Packages: flat page listings with stock and availability."""

from typing import Any

from django.db.models import F, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet

from commerce.admin_menu import PermissionMenuItem, ShopMenuMixin
from commerce.catalogue.models import PackagePage, ProductPage
from commerce.catalogue.selectors.sellables import package_components_prefetch
from commerce.catalogue.selectors.stock import LOW_STOCK_THRESHOLD
from commerce.money import shop_currency


class StockColumn(Column):
    """Units on hand; "low" when at or below the product's threshold."""

    cell_template_name = "commerce/admin/cells/stock_cell.html"

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> Any:
        context = super().get_cell_context_data(instance, parent_context)
        threshold = instance.stock_threshold
        context["is_low"] = instance.stock_quantity <= (
            LOW_STOCK_THRESHOLD if threshold is None else threshold
        )
        return context


class _SearchThenOrderMixin:
    """Searching with a column ordering: the search finds the pages, the database orders.

    Wagtail hands the listing's ordering to the search backend, which can only order
    by indexed filter fields; SKU, price and the annotated stock are not among them.
    """

    model: Any
    is_searching: bool
    is_explicitly_ordered: bool
    search_query: str

    def search_queryset(self, queryset: QuerySet[Any]) -> Any:
        if not (self.is_searching and self.is_explicitly_ordered):
            return super().search_queryset(queryset)  # type: ignore[misc]
        found = self.model._default_manager.autocomplete(
            self.search_query, order_by_relevance=False
        )
        return queryset.filter(pk__in=[page.pk for page in found])


class ProductIndexView(_SearchThenOrderMixin, IndexView):
    def get_base_queryset(self) -> QuerySet[ProductPage]:
        return (
            super()
            .get_base_queryset()
            .annotate(
                stock_quantity=Coalesce(
                    F("stock__quantity"), Value(0), output_field=IntegerField()
                ),
                stock_threshold=F("stock__low_stock_threshold"),
            )
        )


class PackageIndexView(_SearchThenOrderMixin, IndexView):
    def get_base_queryset(self) -> QuerySet[PackagePage]:
        return (
            super().get_base_queryset().prefetch_related(package_components_prefetch())
        )


class _ShopPageListingViewSet(ShopMenuMixin, PageListingViewSet):
    def get_menu_item(self, order: int | None = None) -> PermissionMenuItem:
        return PermissionMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.name,
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            permissions=("commerce.manage_catalogue",),
        )


def _price(page: Any) -> str:
    return f"{page.price} {shop_currency()}"


# The columns of both listings, before the stock (products) or availability column.
SELLABLE_COLUMNS = [
    *IndexView.base_columns,
    Column("sku", label="SKU", sort_key="sku", width="12%"),
    Column("price", label="Price", accessor=_price, sort_key="price", width="8%"),
]


class ProductListingViewSet(_ShopPageListingViewSet):
    model = ProductPage
    name = "shop_products"
    url_prefix = "shop/products"
    icon = "doc-full"
    menu_label = "Products"
    menu_order = 10
    index_view_class = ProductIndexView
    columns = [
        *SELLABLE_COLUMNS,
        StockColumn(
            "stock_quantity", label="Stock", sort_key="stock_quantity", width="8%"
        ),
    ]


class PackageListingViewSet(_ShopPageListingViewSet):
    model = PackagePage
    name = "shop_packages"
    url_prefix = "shop/packages"
    icon = "folder-open-inverse"
    menu_label = "Packages"
    menu_order = 20
    index_view_class = PackageIndexView
    columns = [
        *SELLABLE_COLUMNS,
        Column(
            "available",
            label="Available",
            accessor=lambda package: package.available_quantity(),
            width="8%",
        ),
    ]
