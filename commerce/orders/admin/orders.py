"""Orders in the admin (wagtail-modeladmin): list, filters, search, inspect, transitions.

Orders are never created, edited or deleted here; staff move them through the
lifecycle with the buttons on the inspect page, which call ``order_transition``.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin import display as admin_display
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import re_path
from django.utils import timezone
from django.views.decorators.http import require_POST
from PIL import Image, UnidentifiedImageError
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView, InspectView

from commerce.accounts.models import User
from commerce.admin_menu import PermissionMenuItem
from commerce.enums import OrderStatus, PaymentStatus
from commerce.orders.admin.order_choices import SMALL_THUMBNAIL_SPEC, line_choices
from commerce.orders.models import Order
from commerce.orders.selectors import order_get
from commerce.orders.services import (
    TRANSITIONS,
    UNPAID_MESSAGE,
    order_transition,
    order_transition_payment_allows,
)
from config.exceptions import ApplicationError
from customization.models import CustomerUpload

UPLOAD_THUMBNAIL_SIZE = (160, 160)


# The orders the reports and the dashboard count: every order placed but cancelled ones.
NOT_CANCELLED = "not_cancelled"


class StatusFilter(SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: Any, model_admin: Any) -> Any:
        return [*OrderStatus.choices, (NOT_CANCELLED, "All but cancelled")]

    def queryset(self, request: Any, queryset: QuerySet[Order]) -> QuerySet[Order]:
        if self.value() == NOT_CANCELLED:
            return queryset.exclude(status=OrderStatus.CANCELLED)
        return queryset.filter(status=self.value()) if self.value() else queryset


class PaymentStatusFilter(SimpleListFilter):
    title = "payment"
    parameter_name = "payment_status"

    def lookups(self, request: Any, model_admin: Any) -> Any:
        return PaymentStatus.choices

    def queryset(self, request: Any, queryset: QuerySet[Order]) -> QuerySet[Order]:
        return (
            queryset.filter(payment_status=self.value()) if self.value() else queryset
        )


def created_range(value: str | None) -> tuple[date, date] | None:
    """The (first, last) local dates of a "created" filter choice."""
    today = timezone.localdate()
    ranges = {
        "today": (today, today),
        "week": (today - timedelta(days=today.weekday()), today),
        "7d": (today - timedelta(days=6), today),
        "30d": (today - timedelta(days=29), today),
        "month": (today.replace(day=1), today),
        "year": (today.replace(month=1, day=1), today),
    }
    return ranges.get(value or "")


class CreatedFilter(SimpleListFilter):
    title = "placed"
    parameter_name = "created"

    def lookups(self, request: Any, model_admin: Any) -> Any:
        return [
            ("today", "Today"),
            ("week", "This week"),
            ("7d", "Past 7 days"),
            ("30d", "Past 30 days"),
            ("month", "This month"),
            ("year", "This year"),
        ]

    def queryset(self, request: Any, queryset: QuerySet[Order]) -> QuerySet[Order]:
        bounds = created_range(self.value())
        if bounds is None:
            return queryset
        return queryset.filter(
            created_at__date__gte=bounds[0], created_at__date__lte=bounds[1]
        )


class CustomerFilter(SimpleListFilter):
    """Customers with recent orders as choices; ``?customer=<id>`` takes anyone."""

    title = "customer"
    parameter_name = "customer"

    def lookups(self, request: Any, model_admin: Any) -> Any:
        recent = (
            User.objects.filter(orders__isnull=False)
            .order_by("-orders__created_at")
            .values_list("pk", "email")[:200]
        )
        seen: dict[int, str] = {}
        for pk, email in recent:
            seen.setdefault(pk, email)
            if len(seen) == 20:
                break
        return list(seen.items())

    def queryset(self, request: Any, queryset: QuerySet[Order]) -> QuerySet[Order]:
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(customer_id=int(value))
        return queryset


def admin_order_filters(request: HttpRequest) -> dict[str, Any]:
    """The list's filters and search as ``order_filter`` arguments (for export jobs)."""
    filters: dict[str, Any] = {}
    for name in ("status", "payment_status", "customer"):
        if request.GET.get(name):
            filters[name] = request.GET[name]
    bounds = created_range(request.GET.get("created"))
    if bounds:
        filters["created_from"], filters["created_to"] = (d.isoformat() for d in bounds)
    if request.GET.get("q"):
        filters["search"] = request.GET["q"]
    return filters


class OrderPermissionHelper(PermissionHelper):
    def user_can_list(self, user: Any) -> bool:
        return bool(user.has_perm("commerce.view_order"))

    def user_can_inspect_obj(self, user: Any, obj: Any) -> bool:
        return self.user_can_list(user)

    def user_can_create(self, user: Any) -> bool:
        return False

    def user_can_edit_obj(self, user: Any, obj: Any) -> bool:
        return False

    def user_can_delete_obj(self, user: Any, obj: Any) -> bool:
        return False


class OrderButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj: Any, exclude: Any = None, **kwargs: Any) -> Any:
        return super().get_buttons_for_obj(
            obj, exclude=[*(exclude or []), "edit", "delete"], **kwargs
        )


class OrderIndexView(IndexView):
    """The order list with each order's customization choices as thumbnails."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        orders = list(context["object_list"])
        choices = line_choices(
            [line for order in orders for line in order.lines.all()],
            spec=SMALL_THUMBNAIL_SPEC,
        )
        for order in orders:
            order.choice_displays = [
                choice for line in order.lines.all() for choice in choices[line.pk]
            ]
        context["object_list"] = orders
        return context


@dataclass(frozen=True)
class TransitionAction:
    status: str
    label: str
    needs_reason: bool = False

    @property
    def asks_tracking(self) -> bool:
        return self.status == OrderStatus.SHIPPED


TRANSITION_LABELS: dict[str, str] = {
    OrderStatus.PENDING: "Back to pending",
    OrderStatus.UNDER_REVIEW: "Send to review",
    OrderStatus.PROCESSING: "Start processing",
    OrderStatus.SHIPPED: "Mark shipped",
    OrderStatus.DELIVERED: "Mark delivered",
    OrderStatus.CANCELLED: "Cancel order",
}


def order_transition_actions(
    status: str, payment_status: str
) -> list[TransitionAction]:
    """The buttons of an order's inspect page; under review: Approve and Reject.

    Moves that need the payment secured are left out while the order is unpaid.
    """
    if status == OrderStatus.UNDER_REVIEW:
        actions = [
            TransitionAction(OrderStatus.PROCESSING, "Approve"),
            TransitionAction(OrderStatus.CANCELLED, "Reject", needs_reason=True),
        ]
    else:
        actions = [
            TransitionAction(to_status, TRANSITION_LABELS[to_status])
            for to_status in sorted(TRANSITIONS.get(status, set()))
        ]
    return [
        action
        for action in actions
        if order_transition_payment_allows(
            payment_status=payment_status, to_status=action.status
        )
    ]


def order_waits_for_payment(order: Order) -> bool:
    """Whether a next step of the lifecycle is held back until the order is paid."""
    return any(
        not order_transition_payment_allows(
            payment_status=order.payment_status, to_status=to_status
        )
        for to_status in TRANSITIONS.get(order.status, set())
    )


class OrderInspectView(InspectView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        order = order_get(
            order_id=self.instance.pk, viewer=self.request.user, is_staff=True
        )
        lines = list(order.lines.all())
        choices = line_choices(lines)
        can_change = self.request.user.has_perm("commerce.change_order")
        return super().get_context_data(
            order=order,
            lines=[{"line": line, "choices": choices[line.pk]} for line in lines],
            transitions=(
                order_transition_actions(order.status, order.payment_status)
                if can_change
                else []
            ),
            payment_wait=UNPAID_MESSAGE
            if can_change and order_waits_for_payment(order)
            else "",
            transition_url=self.url_helper.get_action_url("transition", order.pk),
            history_url=self.url_helper.get_action_url("history", order.pk),
            upload_url_name=self.url_helper.get_action_url_name("upload"),
            can_view_uploads=self.request.user.has_perm(
                "customization.view_customerupload"
            ),
            **kwargs,
        )


def _uuid(value: Any) -> Any:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _order_pk(value: str) -> str:
    """``value`` when it can be an order's primary key; otherwise the page is a 404."""
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise Http404
    return value


class OrderAdmin(ModelAdmin):
    model = Order
    menu_label = "Orders"
    menu_icon = "list-ul"
    menu_order = 100
    add_to_admin_menu = False
    list_display = (
        "number",
        "created_at",
        "customer",
        "status",
        "payment_status",
        "total",
        "choices",
    )
    list_filter = (StatusFilter, PaymentStatusFilter, CreatedFilter, CustomerFilter)
    list_select_related = ("customer",)
    search_fields = ("number", "customer__email", "contact_email")
    list_per_page = 50
    ordering = ("-created_at", "-pk")
    inspect_view_enabled = True
    inspect_view_class = OrderInspectView
    index_view_class = OrderIndexView
    inspect_template_name = "commerce/admin/order_inspect.html"
    index_template_name = "commerce/admin/order_index.html"
    permission_helper_class = OrderPermissionHelper
    button_helper_class = OrderButtonHelper

    def get_menu_item(self, order: int | None = None) -> PermissionMenuItem:
        return PermissionMenuItem(
            label=self.get_menu_label(),
            url=self.url_helper.index_url,
            name="orders",
            icon_name=self.get_menu_icon(),
            order=self.get_menu_order(),
            permissions=("commerce.view_order",),
        )

    def get_admin_urls_for_registration(self) -> tuple[Any, ...]:
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                self.url_helper.get_action_url_pattern("transition"),
                self.transition_view,
                name=self.url_helper.get_action_url_name("transition"),
            ),
            re_path(
                self.url_helper.get_action_url_pattern("upload"),
                self.upload_view,
                name=self.url_helper.get_action_url_name("upload"),
            ),
        )

    def inspect_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        return super().inspect_view(request, _order_pk(instance_pk))

    def edit_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        return super().edit_view(request, _order_pk(instance_pk))

    def delete_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        return super().delete_view(request, _order_pk(instance_pk))

    def history_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        return super().history_view(request, _order_pk(instance_pk))

    def transition_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        return _transition(request, _order_pk(instance_pk), self)

    def upload_view(
        self, request: HttpRequest, instance_pk: str
    ) -> HttpResponse | FileResponse:
        """A customer's photo from an order, for staff who may view uploads.

        ``?size=thumbnail`` answers a small JPEG copy for the order pages.
        """
        if not request.user.has_perm("customization.view_customerupload"):
            raise PermissionDenied
        upload = get_object_or_404(CustomerUpload, pk=_uuid(instance_pk))
        try:
            if request.GET.get("size") == "thumbnail":
                return _thumbnail_response(upload)
            return FileResponse(
                upload.file.open("rb"), content_type=upload.content_type
            )
        except (OSError, UnidentifiedImageError) as error:
            raise Http404("The photo's file is missing or unreadable.") from error

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return super().get_queryset(request).prefetch_related("lines")

    @admin_display(description="Choices")
    def choices(self, obj: Order) -> str:
        displays = getattr(obj, "choice_displays", None) or []
        if not displays:
            return "—"
        return render_to_string(
            "commerce/admin/includes/order_choices_compact.html",
            {
                "choices": displays,
                "upload_url_name": self.url_helper.get_action_url_name("upload"),
            },
        )


def _thumbnail_response(upload: CustomerUpload) -> HttpResponse:
    with upload.file.open("rb") as file, Image.open(file) as image:
        image.thumbnail(UPLOAD_THUMBNAIL_SIZE)
        output = BytesIO()
        image.convert("RGB").save(output, format="JPEG", quality=85)
    response = HttpResponse(output.getvalue(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def _transition(
    request: HttpRequest, instance_pk: str, admin: OrderAdmin
) -> HttpResponse:
    if not request.user.has_perm("commerce.change_order"):
        raise PermissionDenied
    order = get_object_or_404(Order, pk=instance_pk)
    to_status = request.POST.get("status", "")
    note = request.POST.get("note", "").strip()[:500]
    rejecting = (
        order.status == OrderStatus.UNDER_REVIEW and to_status == OrderStatus.CANCELLED
    )
    if rejecting and not note:
        messages.error(
            request,
            f"Order {order.number} was not rejected: give the customer a reason.",
        )
        return redirect(admin.url_helper.get_action_url("inspect", order.pk))
    try:
        order_transition(
            order_id=order.pk,
            actor=request.user,
            to_status=to_status,
            note=note,
            tracking_carrier=request.POST.get("tracking_carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
        )
    except DjangoValidationError as error:
        problems = " ".join(error.messages)
        messages.error(request, f"Order {order.number} was not changed: {problems}")
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, f"Order {order.number} was not changed: {error}")
    else:
        label = OrderStatus(to_status).label
        done = "was rejected" if rejecting else f"is now {label.lower()}"
        messages.success(request, f"Order {order.number} {done}.")
    return redirect(admin.url_helper.get_action_url("inspect", order.pk))
