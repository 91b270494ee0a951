"""Registers the shop's admin: the Shop menu, its items and the audit log actions.

To add an item to the Shop menu, see ``commerce/admin_menu.py``.
"""

from typing import Any

from django.contrib import messages
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from commerce.accounts.admin.oauth import OAuthApplicationViewSet
from commerce.accounts.admin.users import (
    ShopUserViewSet,
    roles_menu_item,
    users_bulk_delete,
)
from commerce.admin_menu import SHOP_MENU_HOOK, CheckoutMenuGroup, ShopMenuGroup
from commerce.catalogue.admin.attributes import BrandViewSet, MaterialViewSet
from commerce.catalogue.admin.listings import (
    PackageListingViewSet,
    ProductListingViewSet,
)
from commerce.catalogue.admin.offers import (
    OfferViewSet,
    offer_admin_deleted,
    offer_admin_saved,
)
from commerce.catalogue.admin.preview import (
    storefront_preview_header_buttons,
    storefront_preview_urls,
)
from commerce.catalogue.admin.stock_panels import stock_change_apply
from commerce.orders.admin.orders import OrderAdmin
from commerce.plugins.admin import PluginConfigurationViewSet
from commerce.reports.admin.dashboard import shop_dashboard_panels
from commerce.reports.admin.order_exports import OrderExportIndexView
from commerce.reports.admin.reports import ShopExportsViewSet, ShopReportsViewSet
from commerce.returns.admin import ShopReturnsViewSet
from commerce.reviews.admin import ReviewViewSet
from commerce.shipping.admin import ShippingMethodViewSet
from commerce.taxes.admin import TaxClassViewSet, TaxRateViewSet
from commerce.vouchers.admin import VoucherViewSet


@hooks.register("register_admin_viewset")
def register_shop_menu() -> ShopMenuGroup:
    return ShopMenuGroup()


@hooks.register("register_admin_viewset")
def register_checkout_menu() -> CheckoutMenuGroup:
    return CheckoutMenuGroup()


register_snippet(OfferViewSet)
register_snippet(ShippingMethodViewSet)
hooks.register("after_create_snippet", offer_admin_saved)
hooks.register("after_edit_snippet", offer_admin_saved)
hooks.register("after_delete_snippet", offer_admin_deleted)
register_snippet(TaxRateViewSet)
register_snippet(TaxClassViewSet)
register_snippet(BrandViewSet)
register_snippet(MaterialViewSet)
register_snippet(VoucherViewSet)


@hooks.register("register_admin_viewset")
def register_shop_products() -> ProductListingViewSet:
    return ProductListingViewSet()


@hooks.register("register_admin_viewset")
def register_shop_packages() -> PackageListingViewSet:
    return PackageListingViewSet()


@hooks.register("register_admin_viewset")
def register_shop_reviews() -> ReviewViewSet:
    return ReviewViewSet()


@hooks.register("register_admin_viewset")
def register_shop_users() -> ShopUserViewSet:
    return ShopUserViewSet()


@hooks.register("register_admin_viewset")
def register_shop_reports() -> ShopReportsViewSet:
    return ShopReportsViewSet()


@hooks.register("register_admin_viewset")
def register_shop_exports() -> ShopExportsViewSet:
    return ShopExportsViewSet()


@hooks.register("register_admin_viewset")
def register_shop_returns() -> ShopReturnsViewSet:
    return ShopReturnsViewSet()


class ShopOrderAdmin(OrderAdmin):
    index_view_class = OrderExportIndexView


order_admin = ShopOrderAdmin()
order_admin.register_with_wagtail()
hooks.register(SHOP_MENU_HOOK, order_admin.get_menu_item)
hooks.register(SHOP_MENU_HOOK, roles_menu_item)


@hooks.register("construct_settings_menu")
def hide_wagtail_users(request: Any, menu_items: list[Any]) -> None:
    """Shop › Users replaces Wagtail's user admin, whose forms expect first/last names."""
    menu_items[:] = [item for item in menu_items if item.name != "users"]


@hooks.register("register_log_actions")
def register_shop_log_actions(actions: Any) -> None:
    actions.register_action(
        "commerce.order.transition", "Change order status", "Changed the order status"
    )
    actions.register_action("commerce.order.refund", "Refund order", "Refunded")
    actions.register_action(
        "commerce.return.request", "Request return", "Asked to return items"
    )
    actions.register_action("commerce.return.approve", "Approve return", "Approved")
    actions.register_action("commerce.return.reject", "Reject return", "Rejected")
    actions.register_action(
        "commerce.return.receive", "Receive return", "Received and refunded"
    )
    actions.register_action(
        "commerce.user.role_change", "Change role", "Changed the user's role"
    )
    actions.register_action("commerce.stock.set", "Set stock", "Set the stock")
    actions.register_action(
        "commerce.stock.threshold_set",
        "Set low-stock threshold",
        "Set the low-stock threshold",
    )
    actions.register_action("commerce.export", "Export data", "Exported data")
    actions.register_action("commerce.review.hide", "Hide review", "Hid the review")
    actions.register_action(
        "commerce.review.publish", "Publish review", "Published the review"
    )


@hooks.register("register_admin_viewset")
def oauth_application_viewset_register() -> OAuthApplicationViewSet:
    return OAuthApplicationViewSet()


@hooks.register("register_admin_viewset")
def plugin_viewset_register() -> PluginConfigurationViewSet:
    return PluginConfigurationViewSet("plugins")


hooks.register("register_admin_urls", storefront_preview_urls)
hooks.register("register_page_header_buttons", storefront_preview_header_buttons)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def product_stock_save(request: Any, page: Any) -> None:
    """The product editor's Stock panel: written on every save, drafts included."""
    for error in stock_change_apply(page=page, user=request.user):
        messages.error(request, f"The stock was not saved: {error}")


hooks.register("construct_homepage_panels", shop_dashboard_panels)
hooks.register("before_bulk_action", users_bulk_delete)
