from django.db import models


class UserRole(models.TextChoices):
    """Roles are Django groups; the value is the group's name."""

    ADMINISTRATOR = "administrator", "Administrator"
    MANAGER = "manager", "Manager"
    CUSTOMER = "customer", "Customer"
