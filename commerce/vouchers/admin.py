"""Admin for vouchers: a snippet in the Checkout menu (logged like any snippet)."""

from typing import Any

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet

from commerce.admin_menu import CHECKOUT_MENU_HOOK
from commerce.vouchers.enums import VoucherKind
from commerce.vouchers.models import Voucher


def voucher_value_display(voucher: Voucher) -> str:
    if voucher.kind == VoucherKind.PERCENTAGE:
        return f"{voucher.value.normalize():f} %"
    if voucher.kind == VoucherKind.FIXED:
        return f"{voucher.value}"
    return "Free shipping"


def voucher_uses_display(voucher: Voucher) -> str:
    limit = "∞" if voucher.usage_limit is None else str(voucher.usage_limit)
    return f"{voucher.uses} / {limit}"


class VoucherAdminForm(WagtailAdminModelForm):
    """Saves an edit without ``uses``, which orders change under the row lock.

    A form loaded before an order was placed would otherwise write back the count
    it read.
    """

    def save(self, commit: bool = True) -> Any:
        instance = self.instance
        if not commit or instance._state.adding:
            return super().save(commit=commit)
        edited = [
            field.name
            for field in Voucher._meta.concrete_fields
            if field.editable and not field.primary_key
        ]
        instance.save(update_fields=[*edited, "updated_at"])
        self._save_m2m()
        return instance


class VoucherViewSet(SnippetViewSet):
    model = Voucher
    icon = "tag"
    menu_label = "Vouchers"
    menu_name = "vouchers"
    menu_hook = CHECKOUT_MENU_HOOK
    menu_order = 30
    list_display = [
        "code",
        "kind",
        Column("value", label="Discount", accessor=voucher_value_display),
        Column("uses", label="Uses / limit", accessor=voucher_uses_display),
        "starts_at",
        "ends_at",
        BooleanColumn("is_active", label="Active"),
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "description"]
    search_backend_name = None  # the ORM: vouchers are not in the search index
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("code"), FieldPanel("is_active")]),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("value")]),
            FieldPanel("min_order_value"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldRowPanel(
                [FieldPanel("usage_limit"), FieldPanel("usage_limit_per_customer")]
            ),
            MultiFieldPanel(
                [FieldPanel("products"), FieldPanel("categories")],
                heading="Restricted to",
                help_text="Leave both empty for every item. Packages qualify through "
                "their category.",
            ),
        ],
        base_form_class=VoucherAdminForm,
    )
