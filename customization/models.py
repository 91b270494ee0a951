"""Customization definitions (snippets) and the photos customers upload for them."""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from config.models import TimeStampedModel
from customization.blocks import CustomizationOptionsBlock
from customization.enums import CustomizationKind

SINGLE_OPTION_KINDS = (CustomizationKind.TEXT, CustomizationKind.UPLOAD)


class Customization(
    DraftStateMixin, RevisionMixin, PreviewableMixin, index.Indexed, TimeStampedModel
):
    """A reusable customization that products and packages attach.

    ``options`` holds the choices (button, colour, image) or the single rule (text,
    upload) as StreamField JSON; every option block must match ``kind``.
    """

    name = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=16, choices=CustomizationKind.choices, db_index=True
    )
    help_text = models.CharField(max_length=255, blank=True)
    is_required = models.BooleanField("required", default=False)
    needs_approval = models.BooleanField(
        default=False,
        help_text="Orders with this customization wait for staff approval before processing.",
    )
    options = StreamField(CustomizationOptionsBlock(), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("help_text"),
        MultiFieldPanel(
            [FieldPanel("is_required"), FieldPanel("needs_approval")], heading="Rules"
        ),
        FieldPanel("options"),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("kind")]

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        super().clean()
        wrong = [
            block.block_type for block in self.options if block.block_type != self.kind
        ]
        if wrong:
            raise ValidationError(
                {
                    "options": f"Every option of a {self.kind} customization must be {self.kind}."
                }
            )
        count = len(self.options)
        if self.kind in SINGLE_OPTION_KINDS and count != 1:
            raise ValidationError(
                {"options": f"A {self.kind} customization has one option."}
            )
        if self.kind not in SINGLE_OPTION_KINDS and count == 0:
            raise ValidationError(
                {"options": "Add at least one option to choose from."}
            )

    def get_preview_template(self, request: Any, mode_name: str) -> str:
        return "customization/customization_preview.html"

    def get_preview_context(self, request: Any, mode_name: str) -> dict[str, Any]:
        context: dict[str, Any] = super().get_preview_context(request, mode_name)
        context["currency"] = settings.SHOP_CURRENCY
        return context


def _private_storage() -> Any:
    return storages["private"]


def _upload_path(instance: "CustomerUpload", filename: str) -> str:
    # Never the guest token in the path: the token is what grants access.
    folder = instance.owner_id if instance.owner_id is not None else "guests"
    return f"uploads/{folder}/{instance.pk}.{instance.format.lower()}"


class CustomerUpload(models.Model):
    """A photo uploaded for an ``upload`` customization; private to whoever uploaded it.

    The uploader is a customer (``owner``) or a guest cart (``guest_token``, the cart's
    token), never both; a guest's uploads pass to the customer when the guest cart is
    merged at login. The stored file is a re-encoded copy without metadata. Uploads not
    used by an order expire and are removed by a periodic task.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="uploads",
        null=True,
        blank=True,
    )
    guest_token = models.UUIDField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The token of the guest cart that uploaded it; empty once owned.",
    )
    file = models.FileField(
        storage=_private_storage, upload_to=_upload_path, max_length=255
    )
    original_name = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(
        help_text="Bytes of the stored, re-encoded file."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(owner__isnull=False, guest_token__isnull=True)
                    | models.Q(owner__isnull=True, guest_token__isnull=False)
                ),
                name="customerupload_owner_or_guest_token",
                violation_error_code="owner_or_guest_token",
                violation_error_message=(
                    "An upload belongs to a customer or to a guest cart, not both."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} ({self.format} {self.width}x{self.height})"

    @property
    def content_type(self) -> str:
        return f"image/{self.format.lower()}"
