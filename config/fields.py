"""Serializer fields shared by the apps' APIs."""

from typing import Any

from rest_framework import serializers

# The largest value a database integer (PostgreSQL bigint, SQLite INTEGER) holds:
# a larger one raises OverflowError in SQLite's driver before any query runs.
DATABASE_INTEGER_MAX = 2**63 - 1


class IdField(serializers.IntegerField):
    """A primary key given by the client: 1 to the largest database integer."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DATABASE_INTEGER_MAX)
        super().__init__(**kwargs)
