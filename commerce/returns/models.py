"""Return requests: which lines of a delivered order come back, why, and what staff decided."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from commerce.enums import ReturnStatus
from commerce.orders.models import MONEY, Order, OrderLine
from config.models import TimeStampedModel

OPEN_RETURN_STATUSES = (ReturnStatus.REQUESTED, ReturnStatus.APPROVED)


class ReturnRequest(TimeStampedModel):
    # Like orders: kept out of Wagtail's reference index (it points only at orders).
    wagtail_reference_index_ignore = True

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="return_requests",
        help_text="Who asked for the return (the order's customer).",
    )
    reason = models.CharField(max_length=1000)
    status = models.CharField(
        max_length=16,
        choices=ReturnStatus.choices,
        default=ReturnStatus.REQUESTED,
        db_index=True,
    )
    staff_note = models.CharField(max_length=500, blank=True)
    refund_amount = models.DecimalField(
        **MONEY,
        default=Decimal("0"),
        help_text="Refunded through the payment gateway when the goods arrived.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=OPEN_RETURN_STATUSES),
                name="commerce_return_one_open_per_order",
                violation_error_message="This order already has an open return.",
            ),
            models.CheckConstraint(
                condition=Q(refund_amount__gte=0),
                name="commerce_return_refund_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Return {self.pk} of order {self.order_id}"


class ReturnLine(models.Model):
    """Units of one order line that come back."""

    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.CASCADE, related_name="return_lines"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["return_request", "order_line"],
                name="commerce_return_line_unique",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="commerce_return_line_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × line {self.order_line_id}"
