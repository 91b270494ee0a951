from django.db import models


class UserRole(models.TextChoices):
    """Roles are Django groups; the value is the group's name."""

    ADMINISTRATOR = "administrator", "Administrator"
    MANAGER = "manager", "Manager"
    CUSTOMER = "customer", "Customer"


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    UNDER_REVIEW = "under_review", "Under review"
    PROCESSING = "processing", "Processing"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    RETURN_REQUESTED = "return_requested", "Return requested"
    RETURNED = "returned", "Returned"
    COMPLETED = "completed", "Completed"


class ReturnStatus(models.TextChoices):
    """A return request's progress; approved ones wait for the goods to arrive."""

    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    RECEIVED = "received", "Received and refunded"


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", "Unpaid"
    AUTHORIZED = "authorized", "Authorized"
    PAID = "paid", "Paid"
    REFUNDED = "refunded", "Refunded"


class PaymentAction(models.TextChoices):
    AUTHORIZE = "authorize", "Authorize"
    CAPTURE = "capture", "Capture"
    REFUND = "refund", "Refund"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    JSON = "json", "JSON"


class ExportKind(models.TextChoices):
    ORDERS = "orders", "Orders with lines"
    PRODUCTS = "products", "Products with stock"
    PACKAGES = "packages", "Packages with stock"
    CUSTOMERS = "customers", "Customers"


class ExportJobStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportPeriod(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"


class OrderEventActorRole(models.TextChoices):
    """Who changed an order, as its events show it."""

    YOU = "you", "You (the customer reading their order)"
    CUSTOMER = "customer", "The order's customer"
    SHOP = "shop", "A member of staff"


class ReviewStatus(models.TextChoices):
    """Whether a review is shown: new reviews are published at once, staff hide them."""

    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden"


class OfferKind(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage off"
    FIXED = "fixed", "Fixed amount off"
