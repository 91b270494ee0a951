"""Wagtail admin for notifications, templates, devices, webhooks and the outbox."""

from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from notify.forms import EmailTemplateForm, WebhookForm
from notify.models import (
    DeviceToken,
    EmailTemplate,
    Notification,
    OutboxMessage,
    Webhook,
    WebhookDelivery,
)


class EmailTemplateViewSet(SnippetViewSet):
    model = EmailTemplate
    icon = "mail"
    menu_label = "Email templates"
    list_display = ["event", "language", "updated_at"]
    list_filter = ["event", "language"]
    add_to_admin_menu = False
    edit_handler = ObjectList(
        [
            FieldPanel("event"),
            FieldPanel("language"),
            FieldPanel("subject"),
            FieldPanel("push"),
            FieldPanel("text_body"),
            FieldPanel("html_body"),
        ],
        base_form_class=EmailTemplateForm,
    )


class NotificationViewSet(ModelViewSet):
    model = Notification
    icon = "info-circle"
    form_fields = ["recipient", "title", "body"]
    list_display = ["title", "recipient", "event", "read_at", "created_at"]
    list_filter = ["event"]
    search_fields = ["title", "body"]
    inspect_view_enabled = True


class DeviceTokenViewSet(ModelViewSet):
    model = DeviceToken
    icon = "mobile-alt"
    form_fields = ["user", "token", "platform"]
    list_display = ["user", "platform", "last_seen_at"]
    list_filter = ["platform"]
    inspect_view_enabled = True


class WebhookViewSet(ModelViewSet):
    model = Webhook
    icon = "link"
    form_fields = ["name", "url", "secret", "events", "is_active"]
    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]

    def get_form_class(self, for_update: bool = False):
        self.form_fields = ["name", "url", "secret", "events", "is_active"]
        form_class = super().get_form_class(for_update)
        return type("WebhookAdminForm", (WebhookForm, form_class), {})


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    form_fields = ["webhook"]
    list_display = [
        "webhook",
        "event",
        "attempt",
        "succeeded",
        "status_code",
        "duration_ms",
        "created_at",
    ]
    list_filter = ["succeeded", "event", "webhook"]
    inspect_view_enabled = True


class OutboxMessageViewSet(ModelViewSet):
    model = OutboxMessage
    icon = "resubmit"
    form_fields = ["status"]
    list_display = ["topic", "status", "attempts", "available_at", "last_error"]
    list_filter = ["status", "topic"]
    inspect_view_enabled = True


class NotifyViewSetGroup(ModelViewSetGroup):
    menu_label = "Notifications"
    menu_icon = "mail"
    menu_order = 900
    items = (
        NotificationViewSet("notifications"),
        DeviceTokenViewSet("device_tokens"),
        WebhookViewSet("webhooks"),
        WebhookDeliveryViewSet("webhook_deliveries"),
        OutboxMessageViewSet("outbox"),
    )
