"""Admin forms: email templates edited as separate fields, stored as one JSON value."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from notify.http import UnsafeUrlError, url_check
from notify.services import template_content_validate

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
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [
            ("*", "All events"),
            *[(name, name) for name in settings.WEBHOOK_EVENTS],
        ]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            url_check(url)
        except UnsafeUrlError as error:
            raise ValidationError(str(error)) from None
        return url
