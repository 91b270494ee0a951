"""Admin for offers: a snippet in the Checkout menu (logged like any snippet).

Saving or deleting an offer here applies it to the catalogue's prices at once
(``offer_prices_refresh``, from the hooks in ``commerce/wagtail_hooks.py``); the
minute task applies scheduled starts and ends.
"""

from typing import Any

from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet

from commerce.admin_menu import CHECKOUT_MENU_HOOK
from commerce.catalogue.models import Offer
from commerce.catalogue.services.offers import offer_prices_refresh
from commerce.enums import OfferKind


def offer_value_display(offer: Offer) -> str:
    if offer.kind == OfferKind.PERCENTAGE:
        return f"{offer.value.normalize():f} %"
    return f"−{offer.value}"


def offer_state_display(offer: Offer) -> str:
    now = timezone.now()
    if not offer.is_active:
        return "Inactive"
    if offer.starts_at > now:
        return "Scheduled"
    if offer.ends_at is not None and offer.ends_at <= now:
        return "Ended"
    return "Running"


class OfferViewSet(SnippetViewSet):
    model = Offer
    icon = "tag"
    menu_label = "Offers"
    menu_name = "offers"
    menu_hook = CHECKOUT_MENU_HOOK
    menu_order = 5
    list_display = [
        "name",
        Column("value", label="Discount", accessor=offer_value_display),
        "starts_at",
        "ends_at",
        Column("state", label="State", accessor=offer_state_display),
        BooleanColumn("is_active", label="Active"),
    ]
    list_filter = ["is_active", "kind"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("value")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("is_active"),
            ],
            heading="Schedule",
        ),
        MultiFieldPanel(
            [
                FieldPanel("products"),
                FieldPanel("packages"),
                FieldPanel("categories"),
            ],
            heading="Applies to",
            help_text=(
                "Where offers overlap, each item gets the single offer giving the "
                "lowest price; offers never add up."
            ),
        ),
    ]


def offer_admin_saved(request: Any, instance: Any) -> None:
    """after_create_snippet / after_edit_snippet: apply the offer's prices."""
    if isinstance(instance, Offer):
        offer_prices_refresh()


def offer_admin_deleted(request: Any, instances: Any) -> None:
    """after_delete_snippet: take deleted offers off the prices."""
    if any(isinstance(instance, Offer) for instance in instances):
        offer_prices_refresh()
