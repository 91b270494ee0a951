"""The "Shop" and "Checkout" menus of the Wagtail admin.

Add an item to it in one of two ways (see ``commerce/wagtail_hooks.py``):

* a Wagtail ``ViewSet`` or ``SnippetViewSet``: inherit ``ShopMenuMixin`` (or set
  ``menu_hook = SHOP_MENU_HOOK``) and register it as usual, with
  ``register_admin_viewset`` or ``register_snippet``;
* anything else (a modeladmin, a plain view): register a function returning a
  ``MenuItem`` with ``@hooks.register(SHOP_MENU_HOOK)``.

Items are shown only to users allowed to use them; the menu hides when empty.
"""

from typing import Any

from django.http import HttpRequest
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

SHOP_MENU_HOOK = "register_shop_menu_item"
CHECKOUT_MENU_HOOK = "register_checkout_menu_item"


class ShopMenuGroup(ViewSetGroup):
    menu_label = "Shop"
    menu_name = "shop"
    menu_icon = "tag"
    menu_order = 150
    submenu_hook = SHOP_MENU_HOOK


class CheckoutMenuGroup(ViewSetGroup):
    """Shop settings the checkout reads: shipping methods, tax classes and rates.

    Its items set ``menu_hook = CHECKOUT_MENU_HOOK``, like the Shop menu's.
    """

    menu_label = "Checkout"
    menu_name = "checkout"
    menu_icon = "sliders"
    menu_order = 160
    submenu_hook = CHECKOUT_MENU_HOOK


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding any of ``permissions``."""

    def __init__(self, *args: Any, permissions: tuple[str, ...] = (), **kwargs: Any):
        self.permissions = permissions
        super().__init__(*args, **kwargs)

    def is_shown(self, request: HttpRequest) -> bool:
        return any(request.user.has_perm(p) for p in self.permissions)


class ShopMenuMixin:
    """Put a viewset's menu item in the Shop menu."""

    menu_hook = SHOP_MENU_HOOK
