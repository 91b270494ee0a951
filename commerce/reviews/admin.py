"""Shop › Reviews: staff read every review and publish or hide it.

Reviews are written by customers through the API; here only the status changes,
through ``review_status_set`` (which logs the change and recomputes the rating).
"""

from typing import Any

from django.db.models import QuerySet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from commerce.admin_menu import PermissionMenuItem, ShopMenuMixin
from commerce.catalogue.models import line_kind
from commerce.reviews.models import Review
from commerce.reviews.services import review_status_set


def review_item_display(review: Review) -> str:
    item = getattr(review, line_kind(review))
    return f"{item.title} ({line_kind(review)})" if item is not None else "—"


class ReviewIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[Review]:
        queryset: QuerySet[Review] = (
            super().get_base_queryset().select_related("customer", "product", "package")
        )
        return queryset


class ReviewEditView(EditView):
    """Saves only the status, through the service."""

    def save_instance(self) -> Review:
        return review_status_set(
            review_id=self.object.pk,
            status=self.form.cleaned_data["status"],
            actor=self.request.user,
        )


class ReviewViewSet(ShopMenuMixin, ModelViewSet):
    model = Review
    name = "shop_reviews"
    url_prefix = "shop/reviews"
    icon = "comment"
    menu_label = "Reviews"
    menu_order = 150
    list_display = [
        "__str__",
        Column("item", label="Item", accessor=review_item_display),
        "title",
        "customer",
        "status",
        "created_at",
    ]
    list_filter = ["status", "rating"]
    search_fields = ["title", "text", "customer__email"]
    index_view_class = ReviewIndexView
    edit_view_class = ReviewEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("customer", read_only=True),
                        FieldPanel("rating", read_only=True),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("product", read_only=True),
                        FieldPanel("package", read_only=True),
                    ]
                ),
                FieldPanel("title", read_only=True),
                FieldPanel("text", read_only=True),
            ],
            heading="Review",
        ),
        FieldPanel(
            "status",
            help_text="Hidden reviews are not shown nor counted in the rating.",
        ),
    ]

    def get_menu_item(self, order: int | None = None) -> Any:
        return PermissionMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="shop-reviews",
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            permissions=("commerce.change_review",),
        )
