from typing import Any

from rest_framework import serializers

from config.fields import IdField
from notify.models import Channel, DevicePlatform, Notification, NotificationPreference


class NotificationOutputSerializer(serializers.ModelSerializer[Notification]):
    is_read = serializers.BooleanField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "title",
            "body",
            "data",
            "channels",
            "is_read",
            "read_at",
            "created_at",
        ]


class NotificationListFilterSerializer(serializers.Serializer[Any]):
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)


class NotificationSendInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=2000)
    data = serializers.DictField(
        child=serializers.CharField(max_length=500),
        required=False,
        help_text="Up to 20 keys, string values only (Firebase data carries strings).",
    )
    channels = serializers.MultipleChoiceField(
        choices=Channel.choices, allow_empty=False
    )
    user = IdField(required=False)
    role = serializers.CharField(max_length=150, required=False)
    all_customers = serializers.BooleanField(required=False)

    def validate_data(self, value: dict[str, str]) -> dict[str, str]:
        if len(value) > 20:
            raise serializers.ValidationError("At most 20 keys.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        chosen = [
            name
            for name in ("user", "role", "all_customers")
            if attrs.get(name) not in (None, False)
        ]
        if len(chosen) != 1:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        "Give exactly one audience: user, role or all_customers."
                    ]
                }
            )
        return attrs


class NotificationSendOutputSerializer(serializers.Serializer[Any]):
    recipients = serializers.IntegerField()
    status = serializers.CharField()


class DeviceRegisterInputSerializer(serializers.Serializer[Any]):
    token = serializers.RegexField(
        r"^[A-Za-z0-9_:\-.]{20,512}$",
        help_text="A Firebase Cloud Messaging registration token.",
    )
    # Blank (unknown) is the default, so it is a valid value too (the schema says so).
    platform = serializers.ChoiceField(
        choices=DevicePlatform.choices, required=False, allow_blank=True, default=""
    )


class DeviceUnregisterInputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(max_length=512)


class DeviceOutputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    platform = serializers.CharField()
    created_at = serializers.DateTimeField()


class PreferenceSerializer(serializers.ModelSerializer[NotificationPreference]):
    class Meta:
        model = NotificationPreference
        fields = ["email", "push"]


class ReadAllOutputSerializer(serializers.Serializer[Any]):
    marked_read = serializers.IntegerField()
