from typing import Any

from rest_framework import serializers


class ContactFieldOutputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The key of this field in the POST body")
    # Names of the form builder; they shadow attributes of DRF's Field, hence the ignores.
    label = serializers.CharField()  # type: ignore[assignment]
    field_type = serializers.CharField(
        help_text=(
            "singleline, multiline, email, number, url, checkbox, checkboxes, "
            "dropdown, multiselect, radio, date, datetime or hidden"
        )
    )
    required = serializers.BooleanField()  # type: ignore[assignment]
    choices = serializers.ListField(
        child=serializers.CharField(),
        help_text="The allowed values of checkboxes, dropdown, multiselect and radio",
    )
    help_text = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    default = serializers.CharField(allow_blank=True)


class ContactFormOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField(allow_blank=True, help_text="HTML")
    fields = ContactFieldOutputSerializer(many=True)  # type: ignore[assignment]


class ContactSubmitOutputSerializer(serializers.Serializer[Any]):
    message = serializers.CharField(help_text="The page's thank-you text")
