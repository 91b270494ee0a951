"""Catalogue images: staff uploads stored as Wagtail images."""

from io import BytesIO
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.log_actions import log
from wagtail.models import Collection

from commerce.accounts.models import User
from customization.services import image_upload_check


@transaction.atomic
def catalogue_image_create(
    *,
    file: IO[bytes],
    title: str,
    alt_text: str = "",
    collection_id: int | None = None,
    user: User | None,
) -> AbstractImage:
    """Create a Wagtail image from a staff upload, for products, packages, categories.

    The upload goes through the same checks as a customer's photo (size while
    reading, type from the content, pixel ceiling); nothing is stored when they
    fail. The image lands in ``collection_id`` or the root collection.
    """
    checked = image_upload_check(file=file)
    if collection_id is None:
        collection = Collection.get_first_root_node()
    else:
        collection = Collection.objects.filter(pk=collection_id).first()
        if collection is None:
            raise ValidationError({"collection": ["Unknown collection."]})
    extension = "jpg" if checked.format == "JPEG" else checked.format.lower()
    name = f"{slugify(title)[:80] or 'image'}.{extension}"
    image = get_image_model()(
        title=title,
        description=alt_text,
        collection=collection,
        uploaded_by_user=user,
        file=ImageFile(BytesIO(checked.data), name=name),
    )
    image._set_image_file_metadata()
    image.save()
    log(instance=image, action="wagtail.create", user=user)
    return image
