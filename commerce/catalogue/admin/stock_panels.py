"""Stock in the page editor: a "Stock" panel on products, availability on packages.

Stock is not content: it lives in ``ProductStock``, outside the page's revisions. The
product form carries it as plain form fields; the page's save (a draft save too)
writes them through the stock services in the ``after_create_page`` and
``after_edit_page`` hooks (``commerce/wagtail_hooks.py``), which log the change.

The form also sends back the figure the editor saw (``stock_quantity_seen``): the
write is refused when orders changed the stock meanwhile, so an order's decrement is
never overwritten by a stale figure. Models import this module, so it imports the
models and services only inside functions.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import Panel

STOCK_CHANGE_ATTRIBUTE = "_admin_stock_change"
STOCK_WRITTEN_ATTRIBUTE = "_admin_stock_written"


@dataclass(frozen=True)
class StockChange:
    """What the editor asked for; ``None`` leaves a figure as it is."""

    quantity: int | None
    seen_quantity: int | None
    threshold_changed: bool
    threshold: int | None


def _stock_of(page_id: int | None) -> Any:
    from commerce.catalogue.models import ProductStock

    if page_id is None:
        return None
    return ProductStock.objects.filter(product_id=page_id).first()


class ProductPageForm(WagtailAdminPageForm):
    stock_quantity = forms.IntegerField(
        label="Units in stock",
        min_value=0,
        max_value=2_147_483_647,
        required=False,
        help_text="Units on hand now. Saved with the page, a draft too; not part of "
        "its revisions.",
        error_messages={"invalid": "Enter a whole number of units, 0 or more."},
    )
    stock_quantity_seen = forms.IntegerField(required=False, widget=forms.HiddenInput())
    low_stock_threshold = forms.IntegerField(
        label="Low stock at",
        min_value=0,
        max_value=2_147_483_647,
        required=False,
        error_messages={"invalid": "Enter a whole number, 0 or more, or leave empty."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from commerce.catalogue.selectors.stock import LOW_STOCK_THRESHOLD

        super().__init__(*args, **kwargs)
        self.fields["low_stock_threshold"].help_text = (
            "Shown as low stock at this many units or fewer. Empty: the shop's "
            f"default ({LOW_STOCK_THRESHOLD})."
        )
        stock = _stock_of(self.instance.pk)
        quantity = stock.quantity if stock is not None else 0
        self.units_sold = stock.units_sold if stock is not None else 0
        self.initial["stock_quantity"] = quantity
        self.initial["stock_quantity_seen"] = quantity
        self.initial["low_stock_threshold"] = (
            stock.low_stock_threshold if stock is not None else None
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            "stock_quantity" not in self.errors
            and cleaned.get("stock_quantity") is None
        ):
            self.add_error(
                "stock_quantity", "Enter the units in stock (0 when there are none)."
            )
        if self.instance.pk is not None and not self._page_exists():
            self.add_error(
                "stock_quantity",
                "This product was deleted meanwhile; its stock cannot be saved.",
            )
            return cleaned
        self._conflict_check(cleaned)
        return cleaned

    def _page_exists(self) -> bool:
        from commerce.catalogue.models import ProductPage

        return ProductPage.objects.filter(pk=self.instance.pk).exists()

    def _conflict_check(self, cleaned: dict[str, Any]) -> None:
        quantity = cleaned.get("stock_quantity")
        seen = cleaned.get("stock_quantity_seen")
        if self.instance.pk is None or quantity is None or quantity == seen:
            return
        stock = _stock_of(self.instance.pk)
        current = stock.quantity if stock is not None else 0
        if seen is not None and current != seen:
            self.add_error(
                "stock_quantity",
                f"The stock changed from {seen} to {current} while you were editing "
                "(orders or another editor). Check the figure and save again.",
            )
            # Saving again applies the figure now in the field, against the new stock.
            self.data = self.data.copy()
            self.data[self.add_prefix("stock_quantity_seen")] = str(current)

    def save(self, commit: bool = True) -> Any:
        is_new = self.instance.pk is None
        page = super().save(commit=commit)
        quantity = self.cleaned_data.get("stock_quantity")
        seen = self.cleaned_data.get("stock_quantity_seen")
        if seen is None:
            seen = self.initial.get("stock_quantity_seen")
        threshold = self.cleaned_data.get("low_stock_threshold")
        setattr(
            page,
            STOCK_CHANGE_ATTRIBUTE,
            StockChange(
                quantity=quantity if is_new or quantity != seen else None,
                seen_quantity=None if is_new else seen,
                threshold_changed=threshold != self.initial.get("low_stock_threshold"),
                threshold=threshold,
            ),
        )
        return page

    def get_field_updates_for_resave(self) -> list[tuple[str, str]]:
        """After an autosave, the open editor takes the written figure as seen."""
        updates = list(super().get_field_updates_for_resave())
        written = getattr(self.instance, STOCK_WRITTEN_ATTRIBUTE, None)
        if written is not None:
            updates.append((self.add_prefix("stock_quantity_seen"), str(written)))
        return updates


def stock_change_apply(*, page: Any, user: Any) -> list[str]:
    """Write the stock the product form asked for; returns error messages, if any."""
    from django.core.exceptions import ValidationError

    from commerce.catalogue.services.stock import stock_set, stock_threshold_set

    change: StockChange | None = getattr(page, STOCK_CHANGE_ATTRIBUTE, None)
    if change is None:
        return []
    errors = []
    try:
        if change.quantity is not None:
            stock = stock_set(
                product_id=page.pk,
                quantity=change.quantity,
                user=user,
                expected_quantity=change.seen_quantity,
            )
            setattr(page, STOCK_WRITTEN_ATTRIBUTE, stock.quantity)
        if change.threshold_changed:
            stock_threshold_set(
                product_id=page.pk, threshold=change.threshold, user=user
            )
    except ValidationError as error:
        errors = list(error.messages)
    delattr(page, STOCK_CHANGE_ATTRIBUTE)
    return errors


class StockPanel(Panel):
    """Units in stock and the low-stock threshold of a product, with units sold."""

    FIELDS = ("stock_quantity", "low_stock_threshold")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("heading", "Stock")
        super().__init__(**kwargs)

    def get_form_options(self) -> dict[str, Any]:
        # Claim the fields, or the editor renders them a second time at the form's
        # end and the browser posts the untouched copies too.
        return {"fields": [*self.FIELDS, "stock_quantity_seen"]}

    class BoundPanel(Panel.BoundPanel):
        template_name = "commerce/admin/panels/stock_panel.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            context["fields"] = [self.form[name] for name in StockPanel.FIELDS]
            context["seen_field"] = self.form["stock_quantity_seen"]
            context["units_sold"] = getattr(self.form, "units_sold", 0)
            return context


class PackageAvailabilityPanel(Panel):
    """How many of a package can be sold now, from its components' stock (read-only)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("heading", "Availability")
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "commerce/admin/panels/package_availability_panel.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            from commerce.catalogue.models import PackagePage
            from commerce.catalogue.selectors.sellables import package_queryset
            from commerce.catalogue.selectors.stock import package_available_quantity

            context = super().get_context_data(parent_context)
            package = None
            if self.instance.pk is not None:
                package = (
                    package_queryset(include_unpublished=True)
                    .filter(pk=self.instance.pk)
                    .first()
                )
            if package is None:
                context.update(saved=False)
                return context
            components = list(package.components.all())
            context.update(
                saved=isinstance(package, PackagePage),
                available=package_available_quantity(package=package),
                components=[
                    {
                        "component": component,
                        "stock": getattr(
                            getattr(component.product, "stock", None), "quantity", 0
                        ),
                    }
                    for component in components
                ],
            )
            for entry in context["components"]:
                entry["packages"] = entry["stock"] // entry["component"].quantity
            return context
