"""Serializer fields shared by the apps' APIs."""

from typing import Any

from rest_framework import serializers


def pattern_field(
    regex: str, *, expected: str, example: str, **kwargs: Any
) -> serializers.RegexField:
    """A RegexField whose error says the expected format and gives an example.

    The message ("Enter a two-letter country code in capitals, for example DE.") is
    also the field's OpenAPI description, unless ``help_text`` is given.
    """
    message = f"Enter {expected}, for example {example}."
    kwargs.setdefault("help_text", message)
    return serializers.RegexField(regex, error_messages={"invalid": message}, **kwargs)
