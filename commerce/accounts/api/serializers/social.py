from rest_framework import serializers


class SocialTokenLoginInputSerializer(serializers.Serializer[dict[str, object]]):
    access_token = serializers.CharField(max_length=4096, required=False)
    id_token = serializers.CharField(
        max_length=8192,
        required=False,
        help_text="Google only: an ID token instead of an access token.",
    )

    def validate(self, attrs: dict[str, object]) -> dict[str, object]:
        if bool(attrs.get("access_token")) == bool(attrs.get("id_token")):
            raise serializers.ValidationError(
                {"access_token": ["Send either access_token or id_token."]}
            )
        return attrs


class FirebaseLoginInputSerializer(serializers.Serializer[dict[str, object]]):
    id_token = serializers.CharField(max_length=8192)


class LoginCodeExchangeInputSerializer(serializers.Serializer[dict[str, object]]):
    code = serializers.CharField(max_length=128)


class SocialRedirectInputSerializer(serializers.Serializer[dict[str, object]]):
    redirect_uri = serializers.URLField(max_length=2048, required=False)


class LoginMethodOutputSerializer(serializers.Serializer[object]):
    name = serializers.CharField()
    flows = serializers.ListField(child=serializers.CharField())


class LoginMethodListOutputSerializer(serializers.Serializer[object]):
    methods = LoginMethodOutputSerializer(many=True)
