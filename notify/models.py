"""Notifications and their delivery.

The outbox, in-app rows, devices, email templates and webhooks. This app takes plain
data; it knows nothing of orders or products.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.models import PreviewableMixin

from notify.enums import EmailEvent


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class OutboxMessage(models.Model):
    """One side effect to deliver at least once, written with the change behind it."""

    topic = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    available_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk} ({self.status})"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In-app"
    EMAIL = "email", "Email"
    PUSH = "push", "Push"


class Notification(models.Model):
    """What one recipient sees in the app; email and push copies go through the outbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    channels = models.JSONField(default=list, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Which channels a user wants besides the in-app list (always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(default=True)
    push = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.user_id}: email={self.email} push={self.push}"


class DevicePlatform(models.TextChoices):
    ANDROID = "android", "Android"
    IOS = "ios", "iOS"
    WEB = "web", "Web"


class DeviceToken(models.Model):
    """A Firebase Cloud Messaging registration token of one of a user's devices."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices"
    )
    token = models.CharField(max_length=512, unique=True)
    platform = models.CharField(
        max_length=16, choices=DevicePlatform.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id}: …{self.token[-8:]}"


class EmailTemplate(PreviewableMixin, models.Model):
    """Subject, text and HTML of one event's email in one language, as JSON.

    ``content`` is ``{"subject": …, "text": …, "html": …, "push": …}``; each value is
    a sandboxed template filled from plain data (see notify.rendering).
    """

    event = models.CharField(max_length=64, choices=EmailEvent.choices)
    language = models.CharField(max_length=12, default="en")
    content = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"], name="notify_email_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.language})"

    def get_preview_template(self, request, mode_name):
        return "notify/email_template_preview.html"

    def get_preview_context(self, request, mode_name):
        from notify.rendering import email_render, sample_context

        context = super().get_preview_context(request, mode_name)
        context["rendered"] = email_render(
            content=self.content, context=sample_context(self.event)
        )
        return context


class Webhook(models.Model):
    """An endpoint that receives signed event deliveries."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    secret = models.CharField(
        max_length=128, help_text="Shared secret for the HMAC-SHA256 signature."
    )
    events = models.JSONField(
        default=list, help_text="Event names this endpoint receives."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one webhook."""

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries"
    )
    outbox_message = models.ForeignKey(
        OutboxMessage, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.CharField(max_length=64)
    attempt = models.PositiveIntegerField()
    succeeded = models.BooleanField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField()
    response_excerpt = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} #{self.attempt}"
