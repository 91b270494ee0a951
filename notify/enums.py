from django.db import models


class EmailEvent(models.TextChoices):
    """Events with an email template; the value is the template key."""

    WELCOME = "welcome", "Welcome"
    ORDER_PLACED = "order_placed", "Order placed"
    ORDER_STATUS_CHANGED = "order_status_changed", "Order status changed"
    ORDER_SHIPPED = "order_shipped", "Order shipped"
    ORDER_CANCELLED = "order_cancelled", "Order cancelled"
    ORDER_RETURN = (
        "order_return",
        "Order return: requested, approved, rejected, refunded",
    )
    STAFF_NEW_ORDER = "staff_new_order", "New order (staff alert)"
    ANNOUNCEMENT = "announcement", "Announcement from staff"
    PASSWORD_RESET = "password_reset", "Password reset link"
    EMAIL_CHANGE_CONFIRM = "email_change_confirm", "Email change: confirm new address"
    EMAIL_CHANGED = "email_changed", "Email change: notice to the old address"
    ACCOUNT_EXISTS = "account_exists", "Sign-up with an address that has an account"
