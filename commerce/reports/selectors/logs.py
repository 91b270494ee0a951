"""The audit log: Wagtail's page and model log entries, read as one list."""

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast
from wagtail.models import ModelLogEntry, PageLogEntry

from commerce.accounts.models import User

# Log entries about these models are shown only to users who may view the model.
RESTRICTED_OBJECT_TYPES: dict[str, str] = {
    "commerce.user": "commerce.view_user",
    "auth.group": "auth.view_group",
    "oauth2_provider.application": "oauth2_provider.view_application",
}
LOG_FIELDS = (
    "id",
    "kind",
    "content_type_id",
    "object_id",
    "label",
    "action",
    "timestamp",
    "user_id",
    "data",
)


def log_hidden_content_type_ids(*, viewer: User) -> list[int]:
    """Content types whose entries ``viewer`` may not see (users, roles, apps)."""
    condition = Q(pk__in=[])
    for object_type, permission in RESTRICTED_OBJECT_TYPES.items():
        if not viewer.has_perm(permission):
            app_label, model = object_type.split(".")
            condition |= Q(app_label=app_label, model=model)
    return list(ContentType.objects.filter(condition).values_list("pk", flat=True))


def _filtered(queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
    if filters.get("user"):
        queryset = queryset.filter(user_id=filters["user"])
    if filters.get("object_type"):
        app_label, _, model = filters["object_type"].partition(".")
        queryset = queryset.filter(
            content_type__app_label=app_label, content_type__model=model
        )
    if filters.get("action"):
        queryset = queryset.filter(action=filters["action"])
    date_from: date | None = filters.get("date_from")
    date_to: date | None = filters.get("date_to")
    if date_from:
        queryset = queryset.filter(timestamp__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(timestamp__date__lte=date_to)
    return queryset


def log_entry_list(
    *, filters: dict[str, Any], hidden_content_type_ids: list[int]
) -> QuerySet[Any]:
    """Page and model log entries as dicts of LOG_FIELDS, newest first.

    One UNION query, so pagination and counting stay in the database.
    """
    pages = _filtered(PageLogEntry.objects.all(), filters).annotate(
        kind=Value("page", output_field=CharField()),
        object_id_text=Cast("page_id", CharField()),
    )
    models = _filtered(
        ModelLogEntry.objects.exclude(content_type_id__in=hidden_content_type_ids),
        filters,
    ).annotate(
        kind=Value("model", output_field=CharField()),
        object_id_text=F("object_id"),
    )
    fields = [
        "id",
        "kind",
        "content_type_id",
        "object_id_text",
        "label",
        "action",
        "timestamp",
        "user_id",
        "data",
    ]
    entries: QuerySet[Any] = (
        pages.order_by()
        .values(*fields)
        .union(models.order_by().values(*fields), all=True)
        .order_by("-timestamp", "-id")
    )
    return entries


def log_entry_rows(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page of ``log_entry_list`` with its object type and user's email.

    Two queries for the whole page (content types, users), whatever its size.
    """
    content_types = ContentType.objects.in_bulk(
        {entry["content_type_id"] for entry in entries}
    )
    users = User.objects.in_bulk(
        {entry["user_id"] for entry in entries if entry["user_id"]}
    )
    rows = []
    for entry in entries:
        content_type = content_types.get(entry["content_type_id"])
        user = users.get(entry["user_id"])
        rows.append(
            {
                **entry,
                "object_id": entry["object_id_text"],
                "object_type": (
                    f"{content_type.app_label}.{content_type.model}"
                    if content_type
                    else ""
                ),
                "user": entry["user_id"],
                "user_email": user.email if user else None,
            }
        )
    return rows
