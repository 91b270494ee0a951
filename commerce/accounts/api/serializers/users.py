from typing import Any

from rest_framework import serializers

from commerce.accounts.models import User
from commerce.accounts.selectors.users import user_role_get
from commerce.enums import UserRole
from commerce.exceptions import InvalidAccountTokenError
from config.fields import pattern_field

PHONE_PATTERN = r"^\+?[0-9 ()\-]{0,32}$"
PHONE_FORMAT = (
    "a phone number of digits, spaces, brackets and dashes, + first if needed"
)
PHONE_EXAMPLE = "+49 30 1234567"


class UserOutputSerializer(serializers.ModelSerializer[User]):
    role = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "name",
            "phone",
            "avatar",
            "role",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_role(self, user: User) -> str:
        return user_role_get(user=user).value


class TokenPairOutputSerializer(serializers.Serializer[dict[str, object]]):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    expires_in = serializers.IntegerField()
    token_type = serializers.CharField()
    scope = serializers.CharField()


class UserRegisterOutputSerializer(serializers.Serializer[dict[str, object]]):
    user = UserOutputSerializer()
    tokens = TokenPairOutputSerializer()


class UserRegisterInputSerializer(serializers.Serializer[dict[str, object]]):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class UserLoginInputSerializer(serializers.Serializer[dict[str, object]]):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenRefreshInputSerializer(serializers.Serializer[dict[str, object]]):
    refresh_token = serializers.CharField(max_length=1024)


class UserLogoutInputSerializer(serializers.Serializer[dict[str, object]]):
    refresh_token = serializers.CharField(max_length=1024, required=False)


class UserProfileUpdateOutputSerializer(UserOutputSerializer):
    tokens = TokenPairOutputSerializer(
        required=False,
        help_text="Only after a password change: a fresh pair for this session "
        "(every earlier token of the account is revoked).",
    )

    class Meta(UserOutputSerializer.Meta):
        fields = [*UserOutputSerializer.Meta.fields, "tokens"]
        read_only_fields = fields


class OnlyDeclaredFieldsMixin:
    """Refuse fields the operation does not change, instead of ignoring them."""

    unknown_field_messages: dict[str, str] = {}

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            unknown = [key for key in data if key not in self.fields]  # type: ignore[attr-defined]
            if unknown:
                raise serializers.ValidationError(
                    {
                        key: [
                            self.unknown_field_messages.get(
                                key, "This field cannot be changed here."
                            )
                        ]
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class UserProfileUpdateInputSerializer(
    OnlyDeclaredFieldsMixin, serializers.Serializer[dict[str, object]]
):
    unknown_field_messages = {
        "email": "Change the email address with POST /api/users/email/change.",
        "role": "The role is set by an administrator.",
        "is_active": "The active flag is set by an administrator.",
    }

    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    phone = pattern_field(
        PHONE_PATTERN,
        expected=PHONE_FORMAT,
        example=PHONE_EXAMPLE,
        max_length=32,
        required=False,
        allow_blank=True,
    )
    avatar = serializers.ImageField(required=False, allow_null=True)
    password = serializers.CharField(
        max_length=128, required=False, trim_whitespace=False
    )
    current_password = serializers.CharField(
        max_length=128, required=False, trim_whitespace=False
    )


class UserUpdateInputSerializer(serializers.Serializer[dict[str, object]]):
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    phone = pattern_field(
        PHONE_PATTERN,
        expected=PHONE_FORMAT,
        example=PHONE_EXAMPLE,
        max_length=32,
        required=False,
        allow_blank=True,
    )
    is_active = serializers.BooleanField(required=False)
    role = serializers.ChoiceField(choices=UserRole.choices, required=False)


class UserListFilterSerializer(serializers.Serializer[dict[str, object]]):
    role = serializers.ChoiceField(choices=UserRole.choices, required=False)
    search = serializers.CharField(max_length=100, required=False)


class AccountTokenField(serializers.CharField):
    """The token of an account link: a malformed one is answered like a wrong one."""

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data is serializers.empty or data in ("", None):
            return super().run_validation(data)
        try:
            return super().run_validation(data)
        except serializers.ValidationError:
            raise InvalidAccountTokenError() from None


class PasswordResetInputSerializer(serializers.Serializer[dict[str, object]]):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInputSerializer(serializers.Serializer[dict[str, object]]):
    token = AccountTokenField(max_length=512)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class EmailChangeInputSerializer(serializers.Serializer[dict[str, object]]):
    new_email = serializers.EmailField(max_length=254)
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)


class EmailChangeConfirmInputSerializer(serializers.Serializer[dict[str, object]]):
    token = AccountTokenField(max_length=1024)


class AcceptedOutputSerializer(serializers.Serializer[dict[str, object]]):
    detail = serializers.CharField()
