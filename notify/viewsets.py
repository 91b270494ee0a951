"""Wagtail admin for notifications, templates, devices, webhooks and the outbox."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from notify.forms import BroadcastForm, EmailTemplateForm, WebhookForm
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


def broadcast_view(request: HttpRequest) -> HttpResponse:
    """Send message: a broadcast through the service ``POST /api/notifications`` uses.

    "Preview" renders the announcement as its first recipient would get it and
    counts the recipients, without sending; "Send" queues it.
    """
    from django.core.exceptions import ValidationError

    from notify.services import notification_broadcast, notification_broadcast_preview

    if not request.user.has_perm(BROADCAST_PERMISSION):
        raise PermissionDenied
    form = BroadcastForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        arguments = form.broadcast_arguments()
        if "preview" in request.POST:
            preview = notification_broadcast_preview(**arguments)
        else:
            try:
                count = notification_broadcast(
                    sender_id=request.user.pk, data={}, **arguments
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Message queued for {count} recipients.")
                return redirect("notifications:index")
    return TemplateResponse(
        request, "notify/broadcast_form.html", {"form": form, "preview": preview}
    )


BROADCAST_PERMISSION = "notify.add_notification"


class NotificationIndexView(IndexView):
    add_item_label = "Send message"


class NotificationViewSet(ModelViewSet):
    """Notifications sent; "Send message" replaces the plain add form."""

    model = Notification
    icon = "info-circle"
    form_fields = ["recipient", "title", "body"]
    index_view_class = NotificationIndexView
    list_display = ["title", "recipient", "event", "read_at", "created_at"]
    list_filter = ["event"]
    search_fields = ["title", "body"]
    inspect_view_enabled = True

    @property
    def add_view(self) -> Any:
        return broadcast_view


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
    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("secret"),
            FieldPanel("events"),
            FieldPanel("is_active"),
        ],
        base_form_class=WebhookForm,
    )


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


class OutboxIndexView(IndexView):
    def get_list_more_buttons(self, instance: OutboxMessage) -> list:
        buttons = super().get_list_more_buttons(instance)
        if instance.status != "delivered" and self.request.user.has_perm(
            "notify.change_outboxmessage"
        ):
            buttons.append(
                MenuItem(
                    "Retry now",
                    url=reverse("outbox:retry", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=5,
                )
            )
        return buttons


def outbox_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Manual retry of a failed or waiting delivery (webhooks, email, push)."""
    from notify.outbox import outbox_message_retry
    from notify.tasks import outbox_enqueue

    if not request.user.has_perm("notify.change_outboxmessage"):
        raise PermissionDenied
    message = get_object_or_404(OutboxMessage, pk=pk)
    if request.method == "POST":
        outbox_message_retry(message_id=message.pk)
        outbox_enqueue(message.pk)
        messages.success(request, f"{message} queued again.")
        return redirect("outbox:index")
    return TemplateResponse(
        request, "notify/outbox_retry_confirm.html", {"message": message}
    )


class OutboxMessageViewSet(ModelViewSet):
    model = OutboxMessage
    icon = "resubmit"
    form_fields = ["status"]
    list_display = ["topic", "status", "attempts", "available_at", "last_error"]
    list_filter = ["status", "topic"]
    inspect_view_enabled = True
    index_view_class = OutboxIndexView

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("retry/<int:pk>/", outbox_retry_view, name="retry"),
        ]


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
