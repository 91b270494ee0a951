"""Admin forms: email templates (separate fields, one JSON value), webhooks, broadcasts."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from notify.models import Channel, Webhook
from notify.services import (
    template_content_validate,
    webhook_events,
    webhook_save,
    webhook_validate,
)

HELP = (
    "Placeholders such as {{ order.number }}, {{ order.total }}, {{ user.name }}, "
    "{{ shop.name }}; {% if … %} blocks. Only data can be read: no methods, no settings."
)


class EmailTemplateForm(WagtailAdminModelForm):
    subject = forms.CharField(max_length=500, help_text=HELP)
    push = forms.CharField(
        max_length=500, required=False, help_text="Short text for push and in-app."
    )
    text_body = forms.CharField(widget=forms.Textarea, required=False)
    html_body = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        content = self.instance.content or {}
        self.initial.setdefault("subject", content.get("subject", ""))
        self.initial.setdefault("push", content.get("push", ""))
        self.initial.setdefault("text_body", content.get("text", ""))
        self.initial.setdefault("html_body", content.get("html", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            content = template_content_validate(
                {
                    "subject": cleaned.get("subject", ""),
                    "push": cleaned.get("push", ""),
                    "text": cleaned.get("text_body", ""),
                    "html": cleaned.get("html_body", ""),
                },
                event=cleaned.get("event") or self.instance.event or "",
            )
        except ValidationError as error:
            names = {"text": "text_body", "html": "html_body"}
            for part, messages in error.message_dict.items():
                self.add_error(names.get(part, part), messages)
            return cleaned
        self.instance.content = content
        return cleaned


class WebhookForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(choices=[], widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [
            ("*", "All events"),
            *[(name, name) for name in webhook_events()],
        ]

    def clean(self) -> dict[str, Any]:
        """The webhook rules of ``webhook_validate``, shown on their fields."""
        cleaned = super().clean()
        try:
            webhook_validate(
                url=cleaned.get("url") or "",
                secret=cleaned.get("secret") or "",
                events=cleaned.get("events") or [],
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in self.errors:
                    self.add_error(name, messages)
        return cleaned

    def save(self, commit: bool = True) -> Webhook:
        """Saved through ``webhook_save``, as every webhook is."""
        if not commit:
            return super().save(commit=False)
        return webhook_save(webhook=self.instance, data={})


class BroadcastForm(forms.Form):
    """A staff message to one user, everyone with a role, or all customers."""

    AUDIENCES = [
        ("all_customers", "All customers"),
        ("role", "Everyone with a role"),
        ("user", "One user"),
    ]

    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea, max_length=2000)
    audience = forms.ChoiceField(
        choices=AUDIENCES, widget=forms.RadioSelect, initial="all_customers"
    )
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        to_field_name="email",
        required=False,
        widget=forms.EmailInput,
        help_text="The email address of the user (for “One user”).",
        error_messages={"invalid_choice": "No active user has this email address."},
    )
    role = forms.ModelChoiceField(
        queryset=Group.objects.order_by("name"),
        to_field_name="name",
        required=False,
        help_text="For “Everyone with a role”.",
    )
    channels = forms.MultipleChoiceField(
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Channel.IN_APP],
        help_text="In-app only when none is ticked.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        audience = cleaned.get("audience")
        if audience == "user" and not cleaned.get("user") and "user" not in self.errors:
            self.add_error("user", "Give the email address of the user.")
        if audience == "role" and not cleaned.get("role") and "role" not in self.errors:
            self.add_error("role", "Choose a role.")
        if not cleaned.get("channels"):
            cleaned["channels"] = [Channel.IN_APP]
        return cleaned

    def broadcast_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``notification_broadcast`` for the audience."""
        data = self.cleaned_data
        audience = data["audience"]
        return {
            "title": data["title"],
            "body": data["body"],
            "channels": data["channels"],
            "user": data["user"].pk if audience == "user" else None,
            "role": data["role"].name if audience == "role" else None,
            "all_customers": audience == "all_customers",
        }
