"""Exports too large for one request: built by a Huey job, downloadable by the requester."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models

from commerce.enums import ExportFormat, ExportJobStatus, ExportKind


def _private_storage() -> object:
    return storages["private"]


def _export_path(instance: "ExportJob", filename: str) -> str:
    return f"exports/{instance.pk}/{filename}"


class ExportJob(models.Model):
    """One requested export; only ``requester`` may download ``file``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=ExportKind.choices)
    export_format = models.CharField(max_length=8, choices=ExportFormat.choices)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16,
        choices=ExportJobStatus.choices,
        default=ExportJobStatus.PENDING,
        db_index=True,
    )
    file = models.FileField(
        storage=_private_storage, upload_to=_export_path, max_length=255, blank=True
    )
    row_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.export_format} ({self.status})"
