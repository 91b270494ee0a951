from django.db import models


class EmailEvent(models.TextChoices):
    """Events with an email template; the value is the template key."""

    WELCOME = "welcome", "Welcome"
    ORDER_PLACED = "order_placed", "Order placed"
    ORDER_STATUS_CHANGED = "order_status_changed", "Order status changed"
    ORDER_CANCELLED = "order_cancelled", "Order cancelled"
    STAFF_NEW_ORDER = "staff_new_order", "New order (staff alert)"
    ANNOUNCEMENT = "announcement", "Announcement from staff"
