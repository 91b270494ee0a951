from django.db import models


class CustomizationKind(models.TextChoices):
    BUTTON = "button", "Button (choose one text value)"
    COLOR = "color", "Colour (choose one colour)"
    IMAGE = "image", "Image (choose one image)"
    TEXT = "text", "Free text"
    UPLOAD = "upload", "Customer photo upload"


class UploadImageFormat(models.TextChoices):
    JPEG = "JPEG", "JPEG"
    PNG = "PNG", "PNG"
    WEBP = "WEBP", "WebP"


class AttachmentRequirement(models.TextChoices):
    DEFAULT = "default", "As the customization says"
    REQUIRED = "required", "Required"
    OPTIONAL = "optional", "Optional"
